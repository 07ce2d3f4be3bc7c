ALTER TABLE "protection_cases" DROP CONSTRAINT "protection_cases_bank_check";--> statement-breakpoint
ALTER TABLE "protection_reports" DROP CONSTRAINT "protection_reports_acknowledged_check";--> statement-breakpoint
ALTER TABLE "protection_cases" ADD COLUMN "applicant_phone_sealed" text NOT NULL;--> statement-breakpoint
ALTER TABLE "protection_cases" ADD COLUMN "hiv_affected_sealed" text NOT NULL;--> statement-breakpoint
ALTER TABLE "protection_cases" ADD COLUMN "parents_sealed" text NOT NULL;--> statement-breakpoint
ALTER TABLE "protection_cases" ADD COLUMN "bank_account_number_sealed" text;--> statement-breakpoint
ALTER TABLE "protection_cases" ADD COLUMN "pending_bank_account_number_sealed" text;--> statement-breakpoint
ALTER TABLE "protection_reports" ADD COLUMN "note_sealed" text;--> statement-breakpoint
ALTER TABLE "protection_reports" ADD COLUMN "action_taken_sealed" text;--> statement-breakpoint
ALTER TABLE "protection_visits" ADD COLUMN "note_sealed" text;--> statement-breakpoint
ALTER TABLE "protection_cases" DROP COLUMN "applicant_phone";--> statement-breakpoint
ALTER TABLE "protection_cases" DROP COLUMN "hiv_affected";--> statement-breakpoint
ALTER TABLE "protection_cases" DROP COLUMN "parents";--> statement-breakpoint
ALTER TABLE "protection_cases" DROP COLUMN "bank_account_number";--> statement-breakpoint
ALTER TABLE "protection_cases" DROP COLUMN "pending_bank_account_number";--> statement-breakpoint
ALTER TABLE "protection_reports" DROP COLUMN "note";--> statement-breakpoint
ALTER TABLE "protection_reports" DROP COLUMN "action_taken";--> statement-breakpoint
ALTER TABLE "protection_visits" DROP COLUMN "note";--> statement-breakpoint
ALTER TABLE "protection_cases" ADD CONSTRAINT "protection_cases_bank_check" CHECK (("protection_cases"."bank_account_number_sealed" is null) = ("protection_cases"."bank_name" is null) and ("protection_cases"."bank_account_number_sealed" is null) = ("protection_cases"."bank_account_name" is null)
        and ("protection_cases"."pending_bank_account_number_sealed" is null) = ("protection_cases"."pending_bank_requested_at" is null));--> statement-breakpoint
ALTER TABLE "protection_reports" ADD CONSTRAINT "protection_reports_acknowledged_check" CHECK (("protection_reports"."status" = 'acknowledged') = ("protection_reports"."acknowledged_at" is not null and "protection_reports"."acknowledged_by_user_id" is not null and "protection_reports"."action_taken_sealed" is not null and "protection_reports"."police_notified" is not null));