CREATE TABLE "batch_counters" (
	"region_code" char(6) NOT NULL,
	"year" integer NOT NULL,
	"last_number" integer NOT NULL,
	CONSTRAINT "batch_counters_pkey" PRIMARY KEY("region_code","year")
);
--> statement-breakpoint
CREATE TABLE "batch_documents" (
	"batch_id" uuid PRIMARY KEY NOT NULL,
	"pdf" "bytea" NOT NULL,
	"pdf_sha256" char(64) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "batch_lines" (
	"batch_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"claim_id" uuid NOT NULL,
	"cancelled" boolean DEFAULT false NOT NULL,
	"external_ref" text NOT NULL,
	"child_name" text NOT NULL,
	"id_number_masked" char(18) NOT NULL,
	"category" text NOT NULL,
	"service" text NOT NULL,
	"device_kind" text,
	"period" text NOT NULL,
	"gross_cost" numeric(14, 2) NOT NULL,
	"deductions_total" numeric(14, 2) NOT NULL,
	"remainder" numeric(14, 2) NOT NULL,
	"approved_amount" numeric(14, 2) NOT NULL,
	CONSTRAINT "batch_lines_pkey" PRIMARY KEY("batch_id","line_no")
);
--> statement-breakpoint
CREATE TABLE "batches" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"region_code" char(6) NOT NULL,
	"institution_id" uuid NOT NULL,
	"status" text NOT NULL,
	"approved_through" date NOT NULL,
	"claim_count" integer NOT NULL,
	"total" numeric(14, 2) NOT NULL,
	"payee_code" text NOT NULL,
	"payee_name" text NOT NULL,
	"payee_bank" text NOT NULL,
	"payee_account_name" text NOT NULL,
	"payee_account_number" text NOT NULL,
	"created_by_user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"issued_by_user_id" uuid,
	"issued_at" timestamp with time zone,
	"sha256" char(64),
	"cancelled_at" timestamp with time zone,
	"paid_at" date,
	"paid_amount" numeric(14, 2),
	"voucher_no" text,
	"payment_recorded_by_user_id" uuid,
	"payment_recorded_at" timestamp with time zone,
	CONSTRAINT "batches_status_check" CHECK ("batches"."status" in ('draft', 'issued', 'paid', 'cancelled')),
	CONSTRAINT "batches_issued_check" CHECK (("batches"."status" in ('issued', 'paid')) = ("batches"."sha256" is not null and "batches"."issued_at" is not null)),
	CONSTRAINT "batches_paid_check" CHECK (("batches"."status" = 'paid') = ("batches"."paid_at" is not null and "batches"."voucher_no" is not null and "batches"."paid_amount" is not null)),
	CONSTRAINT "batches_paid_amount_check" CHECK ("batches"."paid_amount" is null or "batches"."paid_amount" = "batches"."total")
);
--> statement-breakpoint
ALTER TABLE "batch_documents" ADD CONSTRAINT "batch_documents_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_lines" ADD CONSTRAINT "batch_lines_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_lines" ADD CONSTRAINT "batch_lines_claim_id_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batches" ADD CONSTRAINT "batches_institution_id_institutions_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batches" ADD CONSTRAINT "batches_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batches" ADD CONSTRAINT "batches_issued_by_user_id_users_id_fk" FOREIGN KEY ("issued_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batches" ADD CONSTRAINT "batches_payment_recorded_by_user_id_users_id_fk" FOREIGN KEY ("payment_recorded_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "batch_lines_live_claim_key" ON "batch_lines" USING btree ("claim_id") WHERE not "batch_lines"."cancelled";--> statement-breakpoint
CREATE UNIQUE INDEX "batches_number_key" ON "batches" USING btree ("number");--> statement-breakpoint
CREATE INDEX "batches_region_status_idx" ON "batches" USING btree ("region_code","status","id");--> statement-breakpoint
CREATE INDEX "batches_institution_idx" ON "batches" USING btree ("institution_id","id");--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."batches"("id") ON DELETE no action ON UPDATE no action;