CREATE TABLE "basic_living_entries" (
	"roll_id" uuid NOT NULL,
	"transfer_no" integer NOT NULL,
	"case_id" uuid NOT NULL,
	"child_id" uuid NOT NULL,
	"month" char(7) NOT NULL,
	"tier" text NOT NULL,
	"fund" text NOT NULL,
	"standard_id" uuid NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"live" boolean NOT NULL,
	"removed_reason" text,
	CONSTRAINT "basic_living_entries_pkey" PRIMARY KEY("roll_id","case_id","month"),
	CONSTRAINT "basic_living_entries_fund_check" CHECK (("basic_living_entries"."tier", "basic_living_entries"."fund") in (('orphan_institution', 'basic_living'), ('orphan_scattered', 'basic_living'), ('de_facto_unsupported', 'basic_living'))),
	CONSTRAINT "basic_living_entries_amount_check" CHECK ("basic_living_entries"."amount" > 0),
	CONSTRAINT "basic_living_entries_removed_check" CHECK (not ("basic_living_entries"."live" and "basic_living_entries"."removed_reason" is not null)),
	CONSTRAINT "basic_living_entries_removed_reason_check" CHECK ("basic_living_entries"."removed_reason" is null or "basic_living_entries"."removed_reason" in ('objection', 'hold', 'exit'))
);
--> statement-breakpoint
CREATE TABLE "basic_living_overpayment_entries" (
	"overpayment_id" uuid NOT NULL,
	"roll_id" uuid NOT NULL,
	"transfer_no" integer NOT NULL,
	"month" char(7) NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"live" boolean DEFAULT true NOT NULL,
	CONSTRAINT "basic_living_overpayment_entries_pkey" PRIMARY KEY("overpayment_id","roll_id","month")
);
--> statement-breakpoint
CREATE TABLE "basic_living_overpayments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"region_code" char(6) NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"recovered" numeric(14, 2) NOT NULL,
	"refunded" numeric(14, 2) DEFAULT '0.00' NOT NULL,
	"status" text NOT NULL,
	"waive_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "basic_living_overpayments_status_check" CHECK ("basic_living_overpayments"."status" in ('open', 'partially_recovered', 'recovered', 'waived', 'cancelled', 'refund_due', 'refunded')),
	CONSTRAINT "basic_living_overpayments_amounts_check" CHECK ("basic_living_overpayments"."amount" >= 0 and "basic_living_overpayments"."recovered" >= 0 and "basic_living_overpayments"."refunded" >= 0 and "basic_living_overpayments"."refunded" <= "basic_living_overpayments"."recovered")
);
--> statement-breakpoint
CREATE TABLE "basic_living_recoveries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"overpayment_id" uuid NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"recovered_on" date NOT NULL,
	"voucher_no" text NOT NULL,
	"recorded_by_user_id" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "basic_living_recoveries_amount_check" CHECK ("basic_living_recoveries"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "basic_living_refunds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"overpayment_id" uuid NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"refunded_on" date NOT NULL,
	"voucher_no" text NOT NULL,
	"recorded_by_user_id" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "basic_living_refunds_amount_check" CHECK ("basic_living_refunds"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "basic_living_roll_documents" (
	"roll_id" uuid PRIMARY KEY NOT NULL,
	"pdf" "bytea" NOT NULL,
	"pdf_sha256" char(64) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "basic_living_rolls" (
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
	CONSTRAINT "basic_living_rolls_status_check" CHECK ("basic_living_rolls"."status" in ('draft', 'issued', 'settled', 'cancelled')),
	CONSTRAINT "basic_living_rolls_notice_check" CHECK ("basic_living_rolls"."notice_from" is null and "basic_living_rolls"."notice_to" is null and "basic_living_rolls"."published_at" is null),
	CONSTRAINT "basic_living_rolls_issued_check" CHECK (("basic_living_rolls"."status" in ('issued', 'settled')) = ("basic_living_rolls"."sha256" is not null and "basic_living_rolls"."issued_at" is not null and "basic_living_rolls"."issued_total" is not null))
);
--> statement-breakpoint
CREATE TABLE "basic_living_transfers" (
	"roll_id" uuid NOT NULL,
	"transfer_no" integer NOT NULL,
	"case_id" uuid NOT NULL,
	"child_name" text NOT NULL,
	"village_name" text NOT NULL,
	"village_code" char(12),
	"bank" text NOT NULL,
	"account_name" text NOT NULL,
	"account_number_sealed" text,
	"account_number" text,
	"amount" numeric(14, 2) NOT NULL,
	"status" text NOT NULL,
	"removed_reason" text,
	"failure_reason" text,
	"result_recorded_at" timestamp with time zone,
	"result_recorded_by_user_id" uuid,
	CONSTRAINT "basic_living_transfers_pkey" PRIMARY KEY("roll_id","transfer_no"),
	CONSTRAINT "basic_living_transfers_account_sealed_check" CHECK (("basic_living_transfers"."account_number_sealed" is null) <> ("basic_living_transfers"."account_number" is null)),
	CONSTRAINT "basic_living_transfers_status_check" CHECK ("basic_living_transfers"."status" in ('pending', 'paid', 'failed', 'removed')),
	CONSTRAINT "basic_living_transfers_amount_check" CHECK ("basic_living_transfers"."amount" > 0),
	CONSTRAINT "basic_living_transfers_result_check" CHECK (("basic_living_transfers"."status" in ('paid', 'failed')) = ("basic_living_transfers"."result_recorded_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "basic_living_waivers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"overpayment_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"status" text NOT NULL,
	"requested_by_user_id" uuid NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"decided_by_user_id" uuid,
	"decided_at" timestamp with time zone,
	CONSTRAINT "basic_living_waivers_status_check" CHECK ("basic_living_waivers"."status" in ('pending', 'confirmed', 'replaced')),
	CONSTRAINT "basic_living_waivers_decided_check" CHECK (("basic_living_waivers"."status" = 'pending') = ("basic_living_waivers"."decided_at" is null))
);
--> statement-breakpoint
ALTER TABLE "basic_living_entries" ADD CONSTRAINT "basic_living_entries_roll_id_basic_living_rolls_id_fk" FOREIGN KEY ("roll_id") REFERENCES "public"."basic_living_rolls"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "basic_living_entries" ADD CONSTRAINT "basic_living_entries_case_id_protection_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."protection_cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "basic_living_entries" ADD CONSTRAINT "basic_living_entries_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "basic_living_entries" ADD CONSTRAINT "basic_living_entries_standard_id_protection_standards_id_fk" FOREIGN KEY ("standard_id") REFERENCES "public"."protection_standards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "basic_living_overpayment_entries" ADD CONSTRAINT "basic_living_overpayment_entries_overpayment_id_basic_living_overpayments_id_fk" FOREIGN KEY ("overpayment_id") REFERENCES "public"."basic_living_overpayments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "basic_living_overpayment_entries" ADD CONSTRAINT "basic_living_overpayment_entries_roll_id_basic_living_rolls_id_fk" FOREIGN KEY ("roll_id") REFERENCES "public"."basic_living_rolls"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "basic_living_overpayments" ADD CONSTRAINT "basic_living_overpayments_case_id_protection_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."protection_cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "basic_living_recoveries" ADD CONSTRAINT "basic_living_recoveries_overpayment_id_basic_living_overpayments_id_fk" FOREIGN KEY ("overpayment_id") REFERENCES "public"."basic_living_overpayments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "basic_living_recoveries" ADD CONSTRAINT "basic_living_recoveries_recorded_by_user_id_users_id_fk" FOREIGN KEY ("recorded_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "basic_living_refunds" ADD CONSTRAINT "basic_living_refunds_overpayment_id_basic_living_overpayments_id_fk" FOREIGN KEY ("overpayment_id") REFERENCES "public"."basic_living_overpayments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "basic_living_refunds" ADD CONSTRAINT "basic_living_refunds_recorded_by_user_id_users_id_fk" FOREIGN KEY ("recorded_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "basic_living_roll_documents" ADD CONSTRAINT "basic_living_roll_documents_roll_id_basic_living_rolls_id_fk" FOREIGN KEY ("roll_id") REFERENCES "public"."basic_living_rolls"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "basic_living_rolls" ADD CONSTRAINT "basic_living_rolls_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "basic_living_rolls" ADD CONSTRAINT "basic_living_rolls_issued_by_user_id_users_id_fk" FOREIGN KEY ("issued_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "basic_living_transfers" ADD CONSTRAINT "basic_living_transfers_roll_id_basic_living_rolls_id_fk" FOREIGN KEY ("roll_id") REFERENCES "public"."basic_living_rolls"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "basic_living_transfers" ADD CONSTRAINT "basic_living_transfers_case_id_protection_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."protection_cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "basic_living_transfers" ADD CONSTRAINT "basic_living_transfers_result_recorded_by_user_id_users_id_fk" FOREIGN KEY ("result_recorded_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "basic_living_waivers" ADD CONSTRAINT "basic_living_waivers_overpayment_id_basic_living_overpayments_id_fk" FOREIGN KEY ("overpayment_id") REFERENCES "public"."basic_living_overpayments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "basic_living_waivers" ADD CONSTRAINT "basic_living_waivers_requested_by_user_id_users_id_fk" FOREIGN KEY ("requested_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "basic_living_waivers" ADD CONSTRAINT "basic_living_waivers_decided_by_user_id_users_id_fk" FOREIGN KEY ("decided_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "basic_living_entries_live_child_month_key" ON "basic_living_entries" USING btree ("child_id","month") WHERE "basic_living_entries"."live";--> statement-breakpoint
CREATE INDEX "basic_living_entries_case_idx" ON "basic_living_entries" USING btree ("case_id","month");--> statement-breakpoint
CREATE INDEX "basic_living_entries_roll_transfer_idx" ON "basic_living_entries" USING btree ("roll_id","transfer_no");--> statement-breakpoint
CREATE INDEX "basic_living_overpayment_entries_transfer_idx" ON "basic_living_overpayment_entries" USING btree ("roll_id","transfer_no");--> statement-breakpoint
CREATE INDEX "basic_living_overpayments_region_idx" ON "basic_living_overpayments" USING btree ("region_code","id");--> statement-breakpoint
CREATE INDEX "basic_living_overpayments_case_idx" ON "basic_living_overpayments" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "basic_living_recoveries_overpayment_idx" ON "basic_living_recoveries" USING btree ("overpayment_id");--> statement-breakpoint
CREATE INDEX "basic_living_refunds_overpayment_idx" ON "basic_living_refunds" USING btree ("overpayment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "basic_living_rolls_number_key" ON "basic_living_rolls" USING btree ("number");--> statement-breakpoint
CREATE INDEX "basic_living_rolls_region_month_idx" ON "basic_living_rolls" USING btree ("region_code","month","id");--> statement-breakpoint
CREATE UNIQUE INDEX "basic_living_transfers_roll_case_key" ON "basic_living_transfers" USING btree ("roll_id","case_id");--> statement-breakpoint
CREATE INDEX "basic_living_transfers_case_idx" ON "basic_living_transfers" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "basic_living_waivers_pending_key" ON "basic_living_waivers" USING btree ("overpayment_id") WHERE "basic_living_waivers"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "basic_living_waivers_overpayment_idx" ON "basic_living_waivers" USING btree ("overpayment_id","id");