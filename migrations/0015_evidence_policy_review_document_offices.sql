CREATE TABLE "claim_attachments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"claim_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"bytes" integer NOT NULL,
	"sha256" char(64) NOT NULL,
	"content" "bytea" NOT NULL,
	"uploaded_by_user_id" uuid NOT NULL,
	"uploaded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "claim_attachments_kind_check" CHECK ("claim_attachments"."kind" in ('attendance', 'invoice', 'discharge_summary', 'prescription', 'device_receipt', 'other')),
	CONSTRAINT "claim_attachments_content_type_check" CHECK ("claim_attachments"."content_type" in ('application/pdf', 'image/jpeg', 'image/png')),
	CONSTRAINT "claim_attachments_bytes_check" CHECK ("claim_attachments"."bytes" between 1 and 10485760 and "claim_attachments"."bytes" = octet_length("claim_attachments"."content"))
);
--> statement-breakpoint
CREATE TABLE "reconciliation_counters" (
	"region_code" char(6) NOT NULL,
	"year" integer NOT NULL,
	"last_number" integer NOT NULL,
	CONSTRAINT "reconciliation_counters_pkey" PRIMARY KEY("region_code","year")
);
--> statement-breakpoint
ALTER TABLE "policy_versions" DROP CONSTRAINT "policy_versions_region_effective_key";--> statement-breakpoint
ALTER TABLE "policy_versions" ADD COLUMN "status" text DEFAULT 'approved' NOT NULL;--> statement-breakpoint
ALTER TABLE "policy_versions" ADD COLUMN "approved_by_user_id" uuid;--> statement-breakpoint
ALTER TABLE "policy_versions" ADD COLUMN "approved_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "policy_versions" ADD COLUMN "withdrawn_by_user_id" uuid;--> statement-breakpoint
ALTER TABLE "policy_versions" ADD COLUMN "withdrawn_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "policy_versions" ADD COLUMN "withdrawal_reason" text;--> statement-breakpoint
ALTER TABLE "reconciliations" ADD COLUMN "number" text;--> statement-breakpoint
ALTER TABLE "region_settings" ADD COLUMN "required_evidence" jsonb;--> statement-breakpoint
ALTER TABLE "region_settings" ADD COLUMN "authorities" jsonb;--> statement-breakpoint
ALTER TABLE "claim_attachments" ADD CONSTRAINT "claim_attachments_claim_id_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_attachments" ADD CONSTRAINT "claim_attachments_uploaded_by_user_id_users_id_fk" FOREIGN KEY ("uploaded_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "claim_attachments_claim_idx" ON "claim_attachments" USING btree ("claim_id","id");--> statement-breakpoint
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_approved_by_user_id_users_id_fk" FOREIGN KEY ("approved_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_withdrawn_by_user_id_users_id_fk" FOREIGN KEY ("withdrawn_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "policy_versions_region_effective_key" ON "policy_versions" USING btree (coalesce("region_code", ''),"effective_from") WHERE "policy_versions"."status" <> 'withdrawn';--> statement-breakpoint
CREATE UNIQUE INDEX "reconciliations_number_key" ON "reconciliations" USING btree ("number");--> statement-breakpoint
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_status_check" CHECK ("policy_versions"."status" in ('pending', 'approved', 'withdrawn'));--> statement-breakpoint
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_withdrawn_check" CHECK (("policy_versions"."status" = 'withdrawn') = ("policy_versions"."withdrawn_at" is not null));