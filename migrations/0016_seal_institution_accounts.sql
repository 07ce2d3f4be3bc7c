ALTER TABLE "batches" ALTER COLUMN "payee_account_number" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "institution_account_changes" ALTER COLUMN "bank_account_number" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "institutions" ALTER COLUMN "bank_account_number" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "payee_account_number_sealed" text;--> statement-breakpoint
ALTER TABLE "institution_account_changes" ADD COLUMN "bank_account_number_sealed" text;--> statement-breakpoint
ALTER TABLE "institutions" ADD COLUMN "bank_account_number_sealed" text;--> statement-breakpoint
ALTER TABLE "batches" ADD CONSTRAINT "batches_payee_sealed_check" CHECK (("batches"."payee_account_number_sealed" is null) <> ("batches"."payee_account_number" is null));--> statement-breakpoint
ALTER TABLE "institution_account_changes" ADD CONSTRAINT "institution_account_changes_sealed_check" CHECK (("institution_account_changes"."bank_account_number_sealed" is null) <> ("institution_account_changes"."bank_account_number" is null));--> statement-breakpoint
ALTER TABLE "institutions" ADD CONSTRAINT "institutions_sealed_check" CHECK (("institutions"."bank_account_number_sealed" is null) <> ("institutions"."bank_account_number" is null));