DROP INDEX "children_id_number_key";--> statement-breakpoint
ALTER TABLE "batches" ALTER COLUMN "payee_account_number" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "children" ALTER COLUMN "id_number" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "children" ALTER COLUMN "guardian_phone" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "institution_account_changes" ALTER COLUMN "bank_account_number" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "institutions" ALTER COLUMN "bank_account_number" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "payee_account_number_sealed" text;--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "id_number_sealed" text;--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "id_number_lookup" char(64);--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "id_number_tail_lookup" char(64);--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "id_number_masked" char(18);--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "certificate_no_sealed" text;--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "guardian_phone_sealed" text;--> statement-breakpoint
ALTER TABLE "institution_account_changes" ADD COLUMN "bank_account_number_sealed" text;--> statement-breakpoint
ALTER TABLE "institutions" ADD COLUMN "bank_account_number_sealed" text;--> statement-breakpoint
CREATE UNIQUE INDEX "children_id_number_lookup_key" ON "children" USING btree ("id_number_lookup");--> statement-breakpoint
CREATE INDEX "children_id_number_tail_lookup_idx" ON "children" USING btree ("id_number_tail_lookup");--> statement-breakpoint
ALTER TABLE "batches" ADD CONSTRAINT "batches_payee_sealed_check" CHECK (("batches"."payee_account_number_sealed" is null) <> ("batches"."payee_account_number" is null));--> statement-breakpoint
ALTER TABLE "children" ADD CONSTRAINT "children_sealed_check" CHECK (("children"."id_number_sealed" is not null and "children"."id_number_lookup" is not null and "children"."id_number_tail_lookup" is not null and "children"."id_number_masked" is not null and "children"."guardian_phone_sealed" is not null and "children"."id_number" is null and "children"."guardian_phone" is null and "children"."certificate_no" is null)
        or ("children"."id_number_sealed" is null and "children"."id_number" is not null and "children"."guardian_phone" is not null));--> statement-breakpoint
ALTER TABLE "institution_account_changes" ADD CONSTRAINT "institution_account_changes_sealed_check" CHECK (("institution_account_changes"."bank_account_number_sealed" is null) <> ("institution_account_changes"."bank_account_number" is null));--> statement-breakpoint
ALTER TABLE "institutions" ADD CONSTRAINT "institutions_sealed_check" CHECK (("institutions"."bank_account_number_sealed" is null) <> ("institutions"."bank_account_number" is null));