CREATE TABLE "claim_months" (
	"child_id" uuid NOT NULL,
	"service" text NOT NULL,
	"month" char(7) NOT NULL,
	"claim_id" uuid NOT NULL,
	CONSTRAINT "claim_months_pkey" PRIMARY KEY("child_id","service","month")
);
--> statement-breakpoint
CREATE TABLE "claims" (
	"id" uuid PRIMARY KEY NOT NULL,
	"institution_id" uuid NOT NULL,
	"external_ref" text NOT NULL,
	"child_id" uuid NOT NULL,
	"region_code" char(6) NOT NULL,
	"category" text NOT NULL,
	"service" text NOT NULL,
	"device_kind" text,
	"period_from" char(7),
	"period_to" char(7),
	"months" integer,
	"service_date" date,
	"service_year" integer NOT NULL,
	"service_month" char(7) NOT NULL,
	"gross_cost" numeric(14, 2) NOT NULL,
	"basic_medical_insurance" numeric(14, 2) NOT NULL,
	"critical_illness_insurance" numeric(14, 2) NOT NULL,
	"supplementary_critical_illness_insurance" numeric(14, 2) NOT NULL,
	"medical_aid" numeric(14, 2) NOT NULL,
	"remainder" numeric(14, 2) NOT NULL,
	"free_issued" boolean NOT NULL,
	"reviewed_by" text NOT NULL,
	"status" text NOT NULL,
	"estimate_policy_id" uuid NOT NULL,
	"estimate_cap" numeric(14, 2) NOT NULL,
	"estimate_subsidy" numeric(14, 2) NOT NULL,
	"estimate_reasons" text[] NOT NULL,
	"approved_amount" numeric(14, 2),
	"batch_id" uuid,
	"content_fingerprint" text NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "claims_status_check" CHECK ("claims"."status" in ('submitted', 'approved', 'rejected', 'returned', 'withdrawn', 'batched', 'paid')),
	CONSTRAINT "claims_period_or_date_check" CHECK (("claims"."period_from" is not null and "claims"."period_to" is not null and "claims"."months" > 0 and "claims"."service_date" is null)
        or ("claims"."period_from" is null and "claims"."period_to" is null and "claims"."months" is null and "claims"."service_date" is not null)),
	CONSTRAINT "claims_money_check" CHECK ("claims"."gross_cost" >= 0 and "claims"."basic_medical_insurance" >= 0 and "claims"."critical_illness_insurance" >= 0
        and "claims"."supplementary_critical_illness_insurance" >= 0 and "claims"."medical_aid" >= 0 and "claims"."remainder" >= 0
        and "claims"."remainder" = "claims"."gross_cost" - "claims"."basic_medical_insurance" - "claims"."critical_illness_insurance"
          - "claims"."supplementary_critical_illness_insurance" - "claims"."medical_aid"),
	CONSTRAINT "claims_approved_amount_check" CHECK (("claims"."status" in ('approved', 'batched', 'paid')) = ("claims"."approved_amount" is not null)
        and ("claims"."approved_amount" is null or ("claims"."approved_amount" >= 0 and "claims"."approved_amount" <= "claims"."remainder")))
);
--> statement-breakpoint
CREATE TABLE "entitlement_usage" (
	"id" uuid PRIMARY KEY NOT NULL,
	"claim_id" uuid NOT NULL,
	"child_id" uuid NOT NULL,
	"service" text NOT NULL,
	"device_kind" text,
	"year" integer NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "entitlement_usage_amount_check" CHECK ("entitlement_usage"."amount" >= 0)
);
--> statement-breakpoint
CREATE TABLE "settlements" (
	"claim_id" uuid PRIMARY KEY NOT NULL,
	"policy_id" uuid NOT NULL,
	"remainder" numeric(14, 2) NOT NULL,
	"cap" numeric(14, 2) NOT NULL,
	"subsidy" numeric(14, 2) NOT NULL,
	"approved_amount" numeric(14, 2) NOT NULL,
	"reasons" text[] NOT NULL,
	"limits" jsonb NOT NULL,
	"steps" jsonb NOT NULL,
	"note" text,
	"approved_by_user_id" uuid NOT NULL,
	"approved_at" timestamp with time zone NOT NULL,
	CONSTRAINT "settlements_amounts_check" CHECK ("settlements"."approved_amount" >= 0 and "settlements"."approved_amount" <= "settlements"."subsidy"
        and "settlements"."subsidy" <= "settlements"."cap" and "settlements"."subsidy" <= "settlements"."remainder")
);
--> statement-breakpoint
ALTER TABLE "claim_months" ADD CONSTRAINT "claim_months_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_months" ADD CONSTRAINT "claim_months_claim_id_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_institution_id_institutions_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_estimate_policy_id_policy_versions_id_fk" FOREIGN KEY ("estimate_policy_id") REFERENCES "public"."policy_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entitlement_usage" ADD CONSTRAINT "entitlement_usage_claim_id_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entitlement_usage" ADD CONSTRAINT "entitlement_usage_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settlements" ADD CONSTRAINT "settlements_claim_id_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settlements" ADD CONSTRAINT "settlements_policy_id_policy_versions_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."policy_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settlements" ADD CONSTRAINT "settlements_approved_by_user_id_users_id_fk" FOREIGN KEY ("approved_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "claim_months_claim_idx" ON "claim_months" USING btree ("claim_id");--> statement-breakpoint
CREATE UNIQUE INDEX "claims_institution_external_ref_key" ON "claims" USING btree ("institution_id","external_ref");--> statement-breakpoint
CREATE INDEX "claims_region_status_idx" ON "claims" USING btree ("region_code","status","id");--> statement-breakpoint
CREATE INDEX "claims_institution_idx" ON "claims" USING btree ("institution_id","id");--> statement-breakpoint
CREATE INDEX "claims_child_service_idx" ON "claims" USING btree ("child_id","service");--> statement-breakpoint
CREATE UNIQUE INDEX "entitlement_usage_claim_key" ON "entitlement_usage" USING btree ("claim_id");--> statement-breakpoint
CREATE INDEX "entitlement_usage_child_idx" ON "entitlement_usage" USING btree ("child_id","service","year");