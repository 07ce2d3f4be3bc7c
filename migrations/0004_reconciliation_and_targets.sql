CREATE TABLE "reconciliation_lines" (
	"reconciliation_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"external_ref" text NOT NULL,
	"status" text NOT NULL,
	"statement_amount" numeric(14, 2),
	"approved_amount" numeric(14, 2),
	"claim_status" text,
	"claim_id" uuid,
	CONSTRAINT "reconciliation_lines_pkey" PRIMARY KEY("reconciliation_id","line_no"),
	CONSTRAINT "reconciliation_lines_status_check" CHECK ("reconciliation_lines"."status" in ('matched', 'amount_mismatch', 'missing_in_system', 'missing_in_statement'))
);
--> statement-breakpoint
CREATE TABLE "reconciliations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"institution_id" uuid NOT NULL,
	"region_code" char(6),
	"from_month" char(7) NOT NULL,
	"to_month" char(7) NOT NULL,
	"matched" integer NOT NULL,
	"amount_mismatch" integer NOT NULL,
	"missing_in_system" integer NOT NULL,
	"missing_in_statement" integer NOT NULL,
	"statement_total" numeric(14, 2) NOT NULL,
	"approved_total" numeric(14, 2) NOT NULL,
	"paid_total" numeric(14, 2) NOT NULL,
	"created_by_user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "region_targets" (
	"region_code" char(6) NOT NULL,
	"year" integer NOT NULL,
	"children_target" integer NOT NULL,
	"updated_by_user_id" uuid NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "region_targets_pkey" PRIMARY KEY("region_code","year"),
	CONSTRAINT "region_targets_positive_check" CHECK ("region_targets"."children_target" > 0)
);
--> statement-breakpoint
ALTER TABLE "reconciliation_lines" ADD CONSTRAINT "reconciliation_lines_reconciliation_id_reconciliations_id_fk" FOREIGN KEY ("reconciliation_id") REFERENCES "public"."reconciliations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconciliation_lines" ADD CONSTRAINT "reconciliation_lines_claim_id_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconciliations" ADD CONSTRAINT "reconciliations_institution_id_institutions_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconciliations" ADD CONSTRAINT "reconciliations_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "region_targets" ADD CONSTRAINT "region_targets_updated_by_user_id_users_id_fk" FOREIGN KEY ("updated_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reconciliations_institution_idx" ON "reconciliations" USING btree ("institution_id","id");