ALTER TABLE "service_secrets" DISABLE ROW LEVEL SECURITY;--> statement-breakpoint
DROP TABLE "service_secrets" CASCADE;--> statement-breakpoint
DROP INDEX "children_id_number_open_key";--> statement-breakpoint
ALTER TABLE "allowance_transfers" ALTER COLUMN "account_number" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "batches" ALTER COLUMN "payee_account_number" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "beneficiaries" ALTER COLUMN "account_number" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "beneficiary_account_changes" ALTER COLUMN "account_number" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "children" ALTER COLUMN "id_number" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "children" ALTER COLUMN "guardian_phone" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "institution_account_changes" ALTER COLUMN "bank_account_number" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "institutions" ALTER COLUMN "bank_account_number" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "allowance_transfers" ADD COLUMN "account_number_sealed" text;--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "payee_account_number_sealed" text;--> statement-breakpoint
ALTER TABLE "beneficiaries" ADD COLUMN "account_number_sealed" text;--> statement-breakpoint
ALTER TABLE "beneficiary_account_changes" ADD COLUMN "account_number_sealed" text;--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "id_number_sealed" text;--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "id_number_lookup" char(64);--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "id_number_tail_lookup" char(64);--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "id_number_masked" char(18);--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "certificate_no_sealed" text;--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "guardian_phone_sealed" text;--> statement-breakpoint
ALTER TABLE "institution_account_changes" ADD COLUMN "bank_account_number_sealed" text;--> statement-breakpoint
ALTER TABLE "institutions" ADD COLUMN "bank_account_number_sealed" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "totp_secret_sealed" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "totp_pending_secret_sealed" text;--> statement-breakpoint
CREATE UNIQUE INDEX "children_id_number_lookup_open_key" ON "children" USING btree ("id_number_lookup") WHERE "children"."closed_at" is null;--> statement-breakpoint
CREATE INDEX "children_id_number_tail_lookup_idx" ON "children" USING btree ("id_number_tail_lookup");--> statement-breakpoint
ALTER TABLE "allowance_transfers" ADD CONSTRAINT "allowance_transfers_account_sealed_check" CHECK (("allowance_transfers"."account_number_sealed" is null) <> ("allowance_transfers"."account_number" is null));--> statement-breakpoint
ALTER TABLE "batches" ADD CONSTRAINT "batches_payee_sealed_check" CHECK (("batches"."payee_account_number_sealed" is null) <> ("batches"."payee_account_number" is null));--> statement-breakpoint
ALTER TABLE "beneficiaries" ADD CONSTRAINT "beneficiaries_account_sealed_check" CHECK (("beneficiaries"."account_number_sealed" is null) <> ("beneficiaries"."account_number" is null));--> statement-breakpoint
ALTER TABLE "beneficiary_account_changes" ADD CONSTRAINT "beneficiary_account_changes_sealed_check" CHECK (("beneficiary_account_changes"."account_number_sealed" is null) <> ("beneficiary_account_changes"."account_number" is null));--> statement-breakpoint
ALTER TABLE "children" ADD CONSTRAINT "children_sealed_check" CHECK (("children"."id_number_sealed" is not null and "children"."id_number_lookup" is not null and "children"."id_number_tail_lookup" is not null and "children"."id_number_masked" is not null and "children"."guardian_phone_sealed" is not null and "children"."id_number" is null and "children"."guardian_phone" is null and "children"."certificate_no" is null)
        or ("children"."id_number_sealed" is null and "children"."id_number" is not null and "children"."guardian_phone" is not null));--> statement-breakpoint
ALTER TABLE "institution_account_changes" ADD CONSTRAINT "institution_account_changes_sealed_check" CHECK (("institution_account_changes"."bank_account_number_sealed" is null) <> ("institution_account_changes"."bank_account_number" is null));--> statement-breakpoint
ALTER TABLE "institutions" ADD CONSTRAINT "institutions_sealed_check" CHECK (("institutions"."bank_account_number_sealed" is null) <> ("institutions"."bank_account_number" is null));--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_totp_sealed_check" CHECK (("users"."totp_secret" is null or "users"."totp_secret_sealed" is null) and ("users"."totp_pending_secret" is null or "users"."totp_pending_secret_sealed" is null));