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
ALTER TABLE "region_settings" ADD COLUMN "required_evidence" jsonb;--> statement-breakpoint
ALTER TABLE "claim_attachments" ADD CONSTRAINT "claim_attachments_claim_id_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_attachments" ADD CONSTRAINT "claim_attachments_uploaded_by_user_id_users_id_fk" FOREIGN KEY ("uploaded_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "claim_attachments_claim_idx" ON "claim_attachments" USING btree ("claim_id","id");