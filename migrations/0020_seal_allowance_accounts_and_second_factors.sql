ALTER TABLE "service_secrets" DISABLE ROW LEVEL SECURITY;--> statement-breakpoint
DROP TABLE "service_secrets" CASCADE;--> statement-breakpoint
ALTER TABLE "allowance_transfers" ALTER COLUMN "account_number" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "beneficiaries" ALTER COLUMN "account_number" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "beneficiary_account_changes" ALTER COLUMN "account_number" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "allowance_transfers" ADD COLUMN "account_number_sealed" text;--> statement-breakpoint
ALTER TABLE "beneficiaries" ADD COLUMN "account_number_sealed" text;--> statement-breakpoint
ALTER TABLE "beneficiary_account_changes" ADD COLUMN "account_number_sealed" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "totp_secret_sealed" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "totp_pending_secret_sealed" text;--> statement-breakpoint
ALTER TABLE "allowance_transfers" ADD CONSTRAINT "allowance_transfers_account_sealed_check" CHECK (("allowance_transfers"."account_number_sealed" is null) <> ("allowance_transfers"."account_number" is null));--> statement-breakpoint
ALTER TABLE "beneficiaries" ADD CONSTRAINT "beneficiaries_account_sealed_check" CHECK (("beneficiaries"."account_number_sealed" is null) <> ("beneficiaries"."account_number" is null));--> statement-breakpoint
ALTER TABLE "beneficiary_account_changes" ADD CONSTRAINT "beneficiary_account_changes_sealed_check" CHECK (("beneficiary_account_changes"."account_number_sealed" is null) <> ("beneficiary_account_changes"."account_number" is null));--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_totp_sealed_check" CHECK (("users"."totp_secret" is null or "users"."totp_secret_sealed" is null) and ("users"."totp_pending_secret" is null or "users"."totp_pending_secret_sealed" is null));