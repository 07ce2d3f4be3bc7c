CREATE TABLE "allowance_entries" (
	"roll_id" uuid NOT NULL,
	"transfer_no" integer NOT NULL,
	"beneficiary_id" uuid NOT NULL,
	"child_id" uuid NOT NULL,
	"month" char(7) NOT NULL,
	"tier" text NOT NULL,
	"fund" text NOT NULL,
	"standard_id" uuid NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"live" boolean NOT NULL,
	"removed_reason" text,
	CONSTRAINT "allowance_entries_pkey" PRIMARY KEY("roll_id","beneficiary_id","month"),
	CONSTRAINT "allowance_entries_fund_check" CHECK (("allowance_entries"."tier", "allowance_entries"."fund") in (('care', 'county'), ('nursing_supplement', 'hardship'))),
	CONSTRAINT "allowance_entries_amount_check" CHECK ("allowance_entries"."amount" > 0),
	CONSTRAINT "allowance_entries_removed_check" CHECK (not ("allowance_entries"."live" and "allowance_entries"."removed_reason" is not null)),
	CONSTRAINT "allowance_entries_removed_reason_check" CHECK ("allowance_entries"."removed_reason" is null or "allowance_entries"."removed_reason" in ('objection', 'hold', 'exit'))
);
--> statement-breakpoint
CREATE TABLE "allowance_objections" (
	"id" uuid PRIMARY KEY NOT NULL,
	"roll_id" uuid NOT NULL,
	"beneficiary_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"recorded_by_user_id" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "allowance_overpayment_entries" (
	"overpayment_id" uuid NOT NULL,
	"roll_id" uuid NOT NULL,
	"transfer_no" integer NOT NULL,
	"month" char(7) NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"live" boolean DEFAULT true NOT NULL,
	CONSTRAINT "allowance_overpayment_entries_pkey" PRIMARY KEY("overpayment_id","roll_id","month")
);
--> statement-breakpoint
CREATE TABLE "allowance_overpayments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"beneficiary_id" uuid NOT NULL,
	"region_code" char(6) NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"recovered" numeric(14, 2) NOT NULL,
	"status" text NOT NULL,
	"waive_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "allowance_overpayments_status_check" CHECK ("allowance_overpayments"."status" in ('open', 'partially_recovered', 'recovered', 'waived', 'cancelled')),
	CONSTRAINT "allowance_overpayments_amounts_check" CHECK ("allowance_overpayments"."amount" >= 0 and "allowance_overpayments"."recovered" >= 0)
);
--> statement-breakpoint
CREATE TABLE "allowance_recoveries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"overpayment_id" uuid NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"recovered_on" date NOT NULL,
	"voucher_no" text NOT NULL,
	"recorded_by_user_id" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "allowance_recoveries_amount_check" CHECK ("allowance_recoveries"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "allowance_roll_documents" (
	"roll_id" uuid PRIMARY KEY NOT NULL,
	"pdf" "bytea" NOT NULL,
	"pdf_sha256" char(64) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "allowance_rolls" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"region_code" char(6) NOT NULL,
	"month" char(7) NOT NULL,
	"status" text NOT NULL,
	"notice_from" date,
	"notice_to" date,
	"held_at_issue" jsonb,
	"created_by_user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	"issued_by_user_id" uuid,
	"issued_at" timestamp with time zone,
	"sha256" char(64),
	"issued_total" numeric(14, 2),
	"settled_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "allowance_rolls_status_check" CHECK ("allowance_rolls"."status" in ('draft', 'published', 'issued', 'settled', 'cancelled')),
	CONSTRAINT "allowance_rolls_notice_check" CHECK ("allowance_rolls"."status" in ('draft', 'cancelled') or ("allowance_rolls"."notice_from" is not null and "allowance_rolls"."notice_to" is not null)),
	CONSTRAINT "allowance_rolls_issued_check" CHECK (("allowance_rolls"."status" in ('issued', 'settled')) = ("allowance_rolls"."sha256" is not null and "allowance_rolls"."issued_at" is not null and "allowance_rolls"."issued_total" is not null))
);
--> statement-breakpoint
CREATE TABLE "allowance_standards" (
	"id" uuid PRIMARY KEY NOT NULL,
	"effective_from" char(7) NOT NULL,
	"region_code" char(6),
	"care_monthly" numeric(14, 2) NOT NULL,
	"nursing_supplement_monthly" numeric(14, 2) NOT NULL,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "allowance_standards_region_effective_key" UNIQUE NULLS NOT DISTINCT("region_code","effective_from"),
	CONSTRAINT "allowance_standards_amounts_check" CHECK ("allowance_standards"."care_monthly" >= 0 and "allowance_standards"."nursing_supplement_monthly" >= 0)
);
--> statement-breakpoint
CREATE TABLE "allowance_transfers" (
	"roll_id" uuid NOT NULL,
	"transfer_no" integer NOT NULL,
	"beneficiary_id" uuid NOT NULL,
	"child_name" text NOT NULL,
	"community_name" text NOT NULL,
	"community_code" char(12),
	"bank" text NOT NULL,
	"account_name" text NOT NULL,
	"account_number" text NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"status" text NOT NULL,
	"removed_reason" text,
	"failure_reason" text,
	"result_recorded_at" timestamp with time zone,
	"result_recorded_by_user_id" uuid,
	CONSTRAINT "allowance_transfers_pkey" PRIMARY KEY("roll_id","transfer_no"),
	CONSTRAINT "allowance_transfers_status_check" CHECK ("allowance_transfers"."status" in ('pending', 'paid', 'failed', 'removed')),
	CONSTRAINT "allowance_transfers_amount_check" CHECK ("allowance_transfers"."amount" > 0),
	CONSTRAINT "allowance_transfers_result_check" CHECK (("allowance_transfers"."status" in ('paid', 'failed')) = ("allowance_transfers"."result_recorded_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "beneficiaries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"child_id" uuid NOT NULL,
	"region_code" char(6) NOT NULL,
	"status" text NOT NULL,
	"accepted_on" date NOT NULL,
	"accepted_by" text NOT NULL,
	"community_name" text NOT NULL,
	"community_code" char(12),
	"bank" text NOT NULL,
	"account_name" text NOT NULL,
	"account_number" text NOT NULL,
	"start_month" char(7) NOT NULL,
	"last_month" char(7) NOT NULL,
	"last_verified_on" date,
	"enrolled_by_user_id" uuid NOT NULL,
	"decided_by_user_id" uuid,
	"decided_at" timestamp with time zone,
	"rejection_reason" text,
	"exit_reason" text,
	"exit_from_month" char(7),
	"exit_note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "beneficiaries_status_check" CHECK ("beneficiaries"."status" in ('pending', 'active', 'rejected', 'exited')),
	CONSTRAINT "beneficiaries_months_check" CHECK ("beneficiaries"."start_month" <= "beneficiaries"."last_month"),
	CONSTRAINT "beneficiaries_exit_check" CHECK (("beneficiaries"."status" = 'exited') = ("beneficiaries"."exit_from_month" is not null and "beneficiaries"."exit_reason" is not null)),
	CONSTRAINT "beneficiaries_exit_reason_check" CHECK ("beneficiaries"."exit_reason" is null or "beneficiaries"."exit_reason" in ('death', 'moved_out', 'certificate_revoked', 'other'))
);
--> statement-breakpoint
CREATE TABLE "beneficiary_holds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"beneficiary_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"note" text,
	"roll_id" uuid,
	"placed_by_user_id" uuid,
	"placed_at" timestamp with time zone NOT NULL,
	"released_by_user_id" uuid,
	"released_at" timestamp with time zone,
	CONSTRAINT "beneficiary_holds_reason_check" CHECK ("beneficiary_holds"."reason" in ('bank_failure', 'manual', 'objection'))
);
--> statement-breakpoint
CREATE TABLE "beneficiary_tiers" (
	"beneficiary_id" uuid NOT NULL,
	"from_month" char(7) NOT NULL,
	"tier" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "beneficiary_tiers_pkey" PRIMARY KEY("beneficiary_id","from_month"),
	CONSTRAINT "beneficiary_tiers_tier_check" CHECK ("beneficiary_tiers"."tier" in ('care', 'nursing_supplement'))
);
--> statement-breakpoint
CREATE TABLE "region_budgets" (
	"id" uuid NOT NULL,
	"region_code" char(6) NOT NULL,
	"year" integer NOT NULL,
	"rehabilitation" numeric(14, 2),
	"allowance_county" numeric(14, 2),
	"allowance_hardship" numeric(14, 2),
	"updated_by_user_id" uuid NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "region_budgets_pkey" PRIMARY KEY("region_code","year"),
	CONSTRAINT "region_budgets_amounts_check" CHECK (coalesce("region_budgets"."rehabilitation", 0) >= 0 and coalesce("region_budgets"."allowance_county", 0) >= 0 and coalesce("region_budgets"."allowance_hardship", 0) >= 0)
);
--> statement-breakpoint
ALTER TABLE "users" DROP CONSTRAINT "users_role_scope_check";--> statement-breakpoint
ALTER TABLE "allowance_entries" ADD CONSTRAINT "allowance_entries_roll_id_allowance_rolls_id_fk" FOREIGN KEY ("roll_id") REFERENCES "public"."allowance_rolls"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allowance_entries" ADD CONSTRAINT "allowance_entries_beneficiary_id_beneficiaries_id_fk" FOREIGN KEY ("beneficiary_id") REFERENCES "public"."beneficiaries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allowance_entries" ADD CONSTRAINT "allowance_entries_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allowance_entries" ADD CONSTRAINT "allowance_entries_standard_id_allowance_standards_id_fk" FOREIGN KEY ("standard_id") REFERENCES "public"."allowance_standards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allowance_objections" ADD CONSTRAINT "allowance_objections_roll_id_allowance_rolls_id_fk" FOREIGN KEY ("roll_id") REFERENCES "public"."allowance_rolls"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allowance_objections" ADD CONSTRAINT "allowance_objections_beneficiary_id_beneficiaries_id_fk" FOREIGN KEY ("beneficiary_id") REFERENCES "public"."beneficiaries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allowance_objections" ADD CONSTRAINT "allowance_objections_recorded_by_user_id_users_id_fk" FOREIGN KEY ("recorded_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allowance_overpayment_entries" ADD CONSTRAINT "allowance_overpayment_entries_overpayment_id_allowance_overpayments_id_fk" FOREIGN KEY ("overpayment_id") REFERENCES "public"."allowance_overpayments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allowance_overpayment_entries" ADD CONSTRAINT "allowance_overpayment_entries_roll_id_allowance_rolls_id_fk" FOREIGN KEY ("roll_id") REFERENCES "public"."allowance_rolls"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allowance_overpayments" ADD CONSTRAINT "allowance_overpayments_beneficiary_id_beneficiaries_id_fk" FOREIGN KEY ("beneficiary_id") REFERENCES "public"."beneficiaries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allowance_recoveries" ADD CONSTRAINT "allowance_recoveries_overpayment_id_allowance_overpayments_id_fk" FOREIGN KEY ("overpayment_id") REFERENCES "public"."allowance_overpayments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allowance_recoveries" ADD CONSTRAINT "allowance_recoveries_recorded_by_user_id_users_id_fk" FOREIGN KEY ("recorded_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allowance_roll_documents" ADD CONSTRAINT "allowance_roll_documents_roll_id_allowance_rolls_id_fk" FOREIGN KEY ("roll_id") REFERENCES "public"."allowance_rolls"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allowance_rolls" ADD CONSTRAINT "allowance_rolls_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allowance_rolls" ADD CONSTRAINT "allowance_rolls_issued_by_user_id_users_id_fk" FOREIGN KEY ("issued_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allowance_standards" ADD CONSTRAINT "allowance_standards_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allowance_transfers" ADD CONSTRAINT "allowance_transfers_roll_id_allowance_rolls_id_fk" FOREIGN KEY ("roll_id") REFERENCES "public"."allowance_rolls"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allowance_transfers" ADD CONSTRAINT "allowance_transfers_beneficiary_id_beneficiaries_id_fk" FOREIGN KEY ("beneficiary_id") REFERENCES "public"."beneficiaries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allowance_transfers" ADD CONSTRAINT "allowance_transfers_result_recorded_by_user_id_users_id_fk" FOREIGN KEY ("result_recorded_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "beneficiaries" ADD CONSTRAINT "beneficiaries_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "beneficiaries" ADD CONSTRAINT "beneficiaries_enrolled_by_user_id_users_id_fk" FOREIGN KEY ("enrolled_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "beneficiaries" ADD CONSTRAINT "beneficiaries_decided_by_user_id_users_id_fk" FOREIGN KEY ("decided_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "beneficiary_holds" ADD CONSTRAINT "beneficiary_holds_beneficiary_id_beneficiaries_id_fk" FOREIGN KEY ("beneficiary_id") REFERENCES "public"."beneficiaries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "beneficiary_holds" ADD CONSTRAINT "beneficiary_holds_placed_by_user_id_users_id_fk" FOREIGN KEY ("placed_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "beneficiary_holds" ADD CONSTRAINT "beneficiary_holds_released_by_user_id_users_id_fk" FOREIGN KEY ("released_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "beneficiary_tiers" ADD CONSTRAINT "beneficiary_tiers_beneficiary_id_beneficiaries_id_fk" FOREIGN KEY ("beneficiary_id") REFERENCES "public"."beneficiaries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "region_budgets" ADD CONSTRAINT "region_budgets_updated_by_user_id_users_id_fk" FOREIGN KEY ("updated_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "allowance_entries_live_child_month_key" ON "allowance_entries" USING btree ("child_id","month") WHERE "allowance_entries"."live";--> statement-breakpoint
CREATE INDEX "allowance_entries_beneficiary_idx" ON "allowance_entries" USING btree ("beneficiary_id","month");--> statement-breakpoint
CREATE INDEX "allowance_entries_roll_transfer_idx" ON "allowance_entries" USING btree ("roll_id","transfer_no");--> statement-breakpoint
CREATE INDEX "allowance_objections_roll_idx" ON "allowance_objections" USING btree ("roll_id");--> statement-breakpoint
CREATE INDEX "allowance_overpayment_entries_transfer_idx" ON "allowance_overpayment_entries" USING btree ("roll_id","transfer_no");--> statement-breakpoint
CREATE INDEX "allowance_overpayments_region_idx" ON "allowance_overpayments" USING btree ("region_code","id");--> statement-breakpoint
CREATE INDEX "allowance_overpayments_beneficiary_idx" ON "allowance_overpayments" USING btree ("beneficiary_id");--> statement-breakpoint
CREATE INDEX "allowance_recoveries_overpayment_idx" ON "allowance_recoveries" USING btree ("overpayment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "allowance_rolls_number_key" ON "allowance_rolls" USING btree ("number");--> statement-breakpoint
CREATE INDEX "allowance_rolls_region_month_idx" ON "allowance_rolls" USING btree ("region_code","month","id");--> statement-breakpoint
CREATE UNIQUE INDEX "allowance_transfers_roll_beneficiary_key" ON "allowance_transfers" USING btree ("roll_id","beneficiary_id");--> statement-breakpoint
CREATE INDEX "allowance_transfers_beneficiary_idx" ON "allowance_transfers" USING btree ("beneficiary_id");--> statement-breakpoint
CREATE UNIQUE INDEX "beneficiaries_live_child_key" ON "beneficiaries" USING btree ("child_id") WHERE "beneficiaries"."status" in ('pending', 'active');--> statement-breakpoint
CREATE INDEX "beneficiaries_region_idx" ON "beneficiaries" USING btree ("region_code","status","id");--> statement-breakpoint
CREATE INDEX "beneficiaries_child_idx" ON "beneficiaries" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "beneficiary_holds_beneficiary_idx" ON "beneficiary_holds" USING btree ("beneficiary_id");--> statement-breakpoint
CREATE UNIQUE INDEX "beneficiary_holds_open_reason_key" ON "beneficiary_holds" USING btree ("beneficiary_id","reason") WHERE "beneficiary_holds"."released_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "region_budgets_id_key" ON "region_budgets" USING btree ("id");--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_role_scope_check" CHECK (("users"."role" = 'admin' and "users"."region_code" is null and "users"."institution_id" is null)
        or ("users"."role" in ('reviewer', 'finance', 'civil_affairs') and "users"."region_code" is not null and "users"."institution_id" is null)
        or ("users"."role" = 'institution' and "users"."institution_id" is not null and "users"."region_code" is null));--> statement-breakpoint
-- The seeded default allowance standard (allowance.md): 30.00 a month (关爱补贴) and 10.00 a month
-- on top of the nursing subsidy (护理补贴提标), in force from 2000-01 for every region without its
-- own. Its id is fixed so that every installation agrees.
INSERT INTO "allowance_standards" ("id", "effective_from", "region_code", "care_monthly", "nursing_supplement_monthly", "created_by_user_id")
VALUES ('00000000-0000-7000-8000-0000000000a1', '2000-01', NULL, '30.00', '10.00', NULL);
