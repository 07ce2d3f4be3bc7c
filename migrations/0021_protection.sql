CREATE TABLE "protection_case_categories" (
	"case_id" uuid NOT NULL,
	"from_month" char(7) NOT NULL,
	"categories" text[] NOT NULL,
	"recorded_by_user_id" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "protection_case_categories_pkey" PRIMARY KEY("case_id","from_month"),
	CONSTRAINT "protection_case_categories_nonempty_check" CHECK (cardinality("protection_case_categories"."categories") > 0)
);
--> statement-breakpoint
CREATE TABLE "protection_case_counters" (
	"region_code" char(6) NOT NULL,
	"year" integer NOT NULL,
	"last_number" integer NOT NULL,
	CONSTRAINT "protection_case_counters_pkey" PRIMARY KEY("region_code","year")
);
--> statement-breakpoint
CREATE TABLE "protection_case_holds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"note" text,
	"quarterly_update_id" uuid,
	"placed_by_user_id" uuid,
	"placed_at" timestamp with time zone NOT NULL,
	"released_by_user_id" uuid,
	"released_at" timestamp with time zone,
	CONSTRAINT "protection_case_holds_reason_check" CHECK ("protection_case_holds"."reason" in ('bank_failure', 'exit_reported', 'manual'))
);
--> statement-breakpoint
CREATE TABLE "protection_case_living" (
	"case_id" uuid NOT NULL,
	"from_month" char(7) NOT NULL,
	"living_arrangement" text NOT NULL,
	"recorded_by_user_id" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "protection_case_living_pkey" PRIMARY KEY("case_id","from_month"),
	CONSTRAINT "protection_case_living_check" CHECK ("protection_case_living"."living_arrangement" in ('scattered', 'institution'))
);
--> statement-breakpoint
CREATE TABLE "protection_cases" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"child_id" uuid NOT NULL,
	"region_code" char(6) NOT NULL,
	"township_code" char(9) NOT NULL,
	"village_code" char(12) NOT NULL,
	"status" text NOT NULL,
	"received_on" date NOT NULL,
	"received_by_user_id" uuid NOT NULL,
	"via_village" boolean NOT NULL,
	"applicant_name" text NOT NULL,
	"applicant_relation" text NOT NULL,
	"applicant_phone" text NOT NULL,
	"categories" text[] NOT NULL,
	"severe_basis" text,
	"schooling_support" boolean NOT NULL,
	"left_behind" boolean NOT NULL,
	"hiv_affected" boolean NOT NULL,
	"parents" jsonb NOT NULL,
	"documents" text[] NOT NULL,
	"bank_name" text,
	"bank_account_name" text,
	"bank_account_number" text,
	"bank_account_changed_by_user_id" uuid,
	"pending_bank_name" text,
	"pending_bank_account_name" text,
	"pending_bank_account_number" text,
	"pending_bank_requested_by_user_id" uuid,
	"pending_bank_requested_at" timestamp with time zone,
	"step_since" date,
	"county_received_on" date,
	"recognised_on" date,
	"recognised_by_user_id" uuid,
	"cover_from" char(7),
	"last_month" char(7),
	"last_verified_on" date,
	"refused_on" date,
	"refused_by_user_id" uuid,
	"refused_by" text,
	"refusal_reason" text,
	"withdrawn_on" date,
	"withdrawal_reason" text,
	"exit_reason" text,
	"exit_event_on" date,
	"exit_from_month" char(7),
	"exit_note" text,
	"exited_on" date,
	"exited_by_user_id" uuid,
	"studying_school" text,
	"studying_stage" text,
	"studying_expected_graduation" char(7),
	"studying_recorded_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "protection_cases_status_check" CHECK ("protection_cases"."status" in ('received', 'notice', 'returned_to_township', 'county_review', 'recognised', 'refused', 'withdrawn', 'exited')),
	CONSTRAINT "protection_cases_village_check" CHECK (left("protection_cases"."village_code", 9) = "protection_cases"."township_code" and left("protection_cases"."township_code", 6) = "protection_cases"."region_code"),
	CONSTRAINT "protection_cases_severe_basis_check" CHECK (("protection_cases"."severe_basis" is not null) = ('severe_illness_disability' = any("protection_cases"."categories"))),
	CONSTRAINT "protection_cases_categories_check" CHECK (cardinality("protection_cases"."categories") > 0),
	CONSTRAINT "protection_cases_open_step_check" CHECK (("protection_cases"."status" in ('received', 'notice', 'returned_to_township', 'county_review')) = ("protection_cases"."step_since" is not null)),
	CONSTRAINT "protection_cases_recognised_check" CHECK (("protection_cases"."status" in ('recognised', 'exited')) = ("protection_cases"."recognised_on" is not null and "protection_cases"."cover_from" is not null and "protection_cases"."last_month" is not null)),
	CONSTRAINT "protection_cases_refused_check" CHECK (("protection_cases"."status" = 'refused') = ("protection_cases"."refused_on" is not null and "protection_cases"."refusal_reason" is not null and "protection_cases"."refused_by" is not null)),
	CONSTRAINT "protection_cases_exit_check" CHECK (("protection_cases"."status" = 'exited') = ("protection_cases"."exit_reason" is not null and "protection_cases"."exit_from_month" is not null)),
	CONSTRAINT "protection_cases_bank_check" CHECK (("protection_cases"."bank_account_number" is null) = ("protection_cases"."bank_name" is null) and ("protection_cases"."bank_account_number" is null) = ("protection_cases"."bank_account_name" is null)
        and ("protection_cases"."pending_bank_account_number" is null) = ("protection_cases"."pending_bank_requested_at" is null))
);
--> statement-breakpoint
CREATE TABLE "protection_checks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"received_on" date NOT NULL,
	"objection_id" uuid,
	"decision" text,
	"reason" text,
	"notice_from" date,
	"decided_on" date,
	"decided_by_user_id" uuid,
	"decided_at" timestamp with time zone,
	CONSTRAINT "protection_checks_decision_check" CHECK (("protection_checks"."decision" is null) = ("protection_checks"."decided_on" is null) and ("protection_checks"."decision" is null or "protection_checks"."decision" in ('agree', 'refuse', 'withdrawn')))
);
--> statement-breakpoint
CREATE TABLE "protection_criteria" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"effective_from" date NOT NULL,
	"region_code" char(6),
	"de_facto_unsupported" jsonb NOT NULL,
	"extreme_poverty_under_age" integer NOT NULL,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "protection_criteria_region_effective_key" UNIQUE NULLS NOT DISTINCT("region_code","effective_from"),
	CONSTRAINT "protection_criteria_age_check" CHECK ("protection_criteria"."extreme_poverty_under_age" between 1 and 18)
);
--> statement-breakpoint
CREATE TABLE "protection_notice_cases" (
	"notice_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"added_on" date NOT NULL,
	"removed_on" date,
	"removed_reason" text,
	CONSTRAINT "protection_notice_cases_pkey" PRIMARY KEY("notice_id","case_id"),
	CONSTRAINT "protection_notice_cases_removed_check" CHECK (("protection_notice_cases"."removed_on" is null) = ("protection_notice_cases"."removed_reason" is null) and ("protection_notice_cases"."removed_reason" is null or "protection_notice_cases"."removed_reason" in ('objection', 'withdrawn')))
);
--> statement-breakpoint
CREATE TABLE "protection_notices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"region_code" char(6) NOT NULL,
	"township_code" char(9) NOT NULL,
	"village_code" char(12) NOT NULL,
	"notice_from" date NOT NULL,
	"notice_to" date NOT NULL,
	"status" text NOT NULL,
	"opened_by_user_id" uuid NOT NULL,
	"closed_on" date,
	"closed_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "protection_notices_status_check" CHECK ("protection_notices"."status" in ('open', 'closed') and ("protection_notices"."status" = 'closed') = ("protection_notices"."closed_on" is not null)),
	CONSTRAINT "protection_notices_period_check" CHECK ("protection_notices"."notice_from" <= "protection_notices"."notice_to")
);
--> statement-breakpoint
CREATE TABLE "protection_objections" (
	"id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"notice_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"on" date NOT NULL,
	"recorded_by_user_id" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "protection_quarterly_lines" (
	"update_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"result" text NOT NULL,
	"changes" jsonb,
	"exit" jsonb,
	CONSTRAINT "protection_quarterly_lines_pkey" PRIMARY KEY("update_id","case_id"),
	CONSTRAINT "protection_quarterly_lines_result_check" CHECK ("protection_quarterly_lines"."result" in ('confirmed', 'changed', 'exited'))
);
--> statement-breakpoint
CREATE TABLE "protection_quarterly_updates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"region_code" char(6) NOT NULL,
	"township_code" char(9) NOT NULL,
	"quarter" char(7) NOT NULL,
	"submitted_on" date NOT NULL,
	"submitted_by_user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "protection_quarterly_updates_quarter_check" CHECK ("protection_quarterly_updates"."quarter" ~ '^[0-9]{4}-Q[1-4]$')
);
--> statement-breakpoint
CREATE TABLE "protection_reviews" (
	"id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"route" text NOT NULL,
	"status" text NOT NULL,
	"received_on" date NOT NULL,
	"reason" text,
	"decided_on" date,
	"decided_by_user_id" uuid,
	"decided_at" timestamp with time zone,
	CONSTRAINT "protection_reviews_route_check" CHECK ("protection_reviews"."route" in ('civil_affairs', 'reviewer', 'health', 'education', 'human_resources')),
	CONSTRAINT "protection_reviews_status_check" CHECK ("protection_reviews"."status" in ('pending', 'approved', 'refused', 'closed')),
	CONSTRAINT "protection_reviews_decided_check" CHECK (("protection_reviews"."status" in ('approved', 'refused')) = ("protection_reviews"."decided_on" is not null))
);
--> statement-breakpoint
CREATE TABLE "protection_route_tables" (
	"scope" text PRIMARY KEY NOT NULL,
	"id" uuid NOT NULL,
	"routes" jsonb NOT NULL,
	"updated_by_user_id" uuid,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "protection_route_tables_scope_check" CHECK ("protection_route_tables"."scope" = 'default' or "protection_route_tables"."scope" ~ '^[0-9]{6}$')
);
--> statement-breakpoint
ALTER TABLE "users" DROP CONSTRAINT "users_role_scope_check";--> statement-breakpoint
ALTER TABLE "children" ALTER COLUMN "category" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "village_code" char(12);--> statement-breakpoint
ALTER TABLE "region_settings" ADD COLUMN "township_check_working_days" integer;--> statement-breakpoint
ALTER TABLE "region_settings" ADD COLUMN "protection_notice_working_days" integer;--> statement-breakpoint
ALTER TABLE "region_settings" ADD COLUMN "county_review_working_days" integer;--> statement-breakpoint
ALTER TABLE "region_settings" ADD COLUMN "protection_no_notice_categories" text[];--> statement-breakpoint
ALTER TABLE "region_settings" ADD COLUMN "protection_cover_from" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "township_code" char(9);--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "department" text;--> statement-breakpoint
ALTER TABLE "protection_case_categories" ADD CONSTRAINT "protection_case_categories_case_id_protection_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."protection_cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_case_categories" ADD CONSTRAINT "protection_case_categories_recorded_by_user_id_users_id_fk" FOREIGN KEY ("recorded_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_case_holds" ADD CONSTRAINT "protection_case_holds_case_id_protection_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."protection_cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_case_holds" ADD CONSTRAINT "protection_case_holds_placed_by_user_id_users_id_fk" FOREIGN KEY ("placed_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_case_holds" ADD CONSTRAINT "protection_case_holds_released_by_user_id_users_id_fk" FOREIGN KEY ("released_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_case_living" ADD CONSTRAINT "protection_case_living_case_id_protection_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."protection_cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_case_living" ADD CONSTRAINT "protection_case_living_recorded_by_user_id_users_id_fk" FOREIGN KEY ("recorded_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_cases" ADD CONSTRAINT "protection_cases_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_cases" ADD CONSTRAINT "protection_cases_received_by_user_id_users_id_fk" FOREIGN KEY ("received_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_cases" ADD CONSTRAINT "protection_cases_bank_account_changed_by_user_id_users_id_fk" FOREIGN KEY ("bank_account_changed_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_cases" ADD CONSTRAINT "protection_cases_pending_bank_requested_by_user_id_users_id_fk" FOREIGN KEY ("pending_bank_requested_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_cases" ADD CONSTRAINT "protection_cases_recognised_by_user_id_users_id_fk" FOREIGN KEY ("recognised_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_cases" ADD CONSTRAINT "protection_cases_refused_by_user_id_users_id_fk" FOREIGN KEY ("refused_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_cases" ADD CONSTRAINT "protection_cases_exited_by_user_id_users_id_fk" FOREIGN KEY ("exited_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_checks" ADD CONSTRAINT "protection_checks_case_id_protection_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."protection_cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_checks" ADD CONSTRAINT "protection_checks_decided_by_user_id_users_id_fk" FOREIGN KEY ("decided_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_criteria" ADD CONSTRAINT "protection_criteria_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_notice_cases" ADD CONSTRAINT "protection_notice_cases_notice_id_protection_notices_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."protection_notices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_notice_cases" ADD CONSTRAINT "protection_notice_cases_case_id_protection_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."protection_cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_notices" ADD CONSTRAINT "protection_notices_opened_by_user_id_users_id_fk" FOREIGN KEY ("opened_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_notices" ADD CONSTRAINT "protection_notices_closed_by_user_id_users_id_fk" FOREIGN KEY ("closed_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_objections" ADD CONSTRAINT "protection_objections_case_id_protection_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."protection_cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_objections" ADD CONSTRAINT "protection_objections_notice_id_protection_notices_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."protection_notices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_objections" ADD CONSTRAINT "protection_objections_recorded_by_user_id_users_id_fk" FOREIGN KEY ("recorded_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_quarterly_lines" ADD CONSTRAINT "protection_quarterly_lines_update_id_protection_quarterly_updates_id_fk" FOREIGN KEY ("update_id") REFERENCES "public"."protection_quarterly_updates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_quarterly_lines" ADD CONSTRAINT "protection_quarterly_lines_case_id_protection_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."protection_cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_quarterly_updates" ADD CONSTRAINT "protection_quarterly_updates_submitted_by_user_id_users_id_fk" FOREIGN KEY ("submitted_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_reviews" ADD CONSTRAINT "protection_reviews_case_id_protection_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."protection_cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_reviews" ADD CONSTRAINT "protection_reviews_decided_by_user_id_users_id_fk" FOREIGN KEY ("decided_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_route_tables" ADD CONSTRAINT "protection_route_tables_updated_by_user_id_users_id_fk" FOREIGN KEY ("updated_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "protection_case_holds_case_idx" ON "protection_case_holds" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "protection_case_holds_open_reason_key" ON "protection_case_holds" USING btree ("case_id","reason") WHERE "protection_case_holds"."released_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "protection_cases_number_key" ON "protection_cases" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "protection_cases_live_child_key" ON "protection_cases" USING btree ("child_id") WHERE "protection_cases"."status" not in ('refused', 'withdrawn', 'exited');--> statement-breakpoint
CREATE INDEX "protection_cases_region_queue_idx" ON "protection_cases" USING btree ("region_code","status","step_since","id");--> statement-breakpoint
CREATE INDEX "protection_cases_township_idx" ON "protection_cases" USING btree ("township_code","status","id");--> statement-breakpoint
CREATE INDEX "protection_cases_child_idx" ON "protection_cases" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "protection_checks_case_idx" ON "protection_checks" USING btree ("case_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "protection_checks_pending_key" ON "protection_checks" USING btree ("case_id") WHERE "protection_checks"."decided_on" is null;--> statement-breakpoint
CREATE INDEX "protection_notice_cases_case_idx" ON "protection_notice_cases" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "protection_notices_village_idx" ON "protection_notices" USING btree ("village_code","status","id");--> statement-breakpoint
CREATE INDEX "protection_notices_region_idx" ON "protection_notices" USING btree ("region_code","status","id");--> statement-breakpoint
CREATE UNIQUE INDEX "protection_notices_open_key" ON "protection_notices" USING btree ("village_code","notice_from") WHERE "protection_notices"."status" = 'open';--> statement-breakpoint
CREATE INDEX "protection_objections_case_idx" ON "protection_objections" USING btree ("case_id","id");--> statement-breakpoint
CREATE INDEX "protection_quarterly_lines_case_idx" ON "protection_quarterly_lines" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "protection_quarterly_updates_township_quarter_key" ON "protection_quarterly_updates" USING btree ("township_code","quarter");--> statement-breakpoint
CREATE INDEX "protection_quarterly_updates_region_idx" ON "protection_quarterly_updates" USING btree ("region_code","quarter");--> statement-breakpoint
CREATE UNIQUE INDEX "protection_reviews_case_route_key" ON "protection_reviews" USING btree ("case_id","route");--> statement-breakpoint
CREATE INDEX "protection_reviews_route_status_idx" ON "protection_reviews" USING btree ("route","status","case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "protection_route_tables_id_key" ON "protection_route_tables" USING btree ("id");--> statement-breakpoint
CREATE INDEX "children_village_code_idx" ON "children" USING btree ("village_code","id");--> statement-breakpoint
ALTER TABLE "children" ADD CONSTRAINT "children_village_code_check" CHECK ("children"."village_code" is null or left("children"."village_code", 6) = "children"."region_code");--> statement-breakpoint
ALTER TABLE "region_settings" ADD CONSTRAINT "region_settings_protection_working_days_check" CHECK (coalesce("region_settings"."township_check_working_days", 1) between 1 and 60 and coalesce("region_settings"."protection_notice_working_days", 1) between 1 and 60
        and coalesce("region_settings"."county_review_working_days", 1) between 1 and 60);--> statement-breakpoint
ALTER TABLE "region_settings" ADD CONSTRAINT "region_settings_protection_cover_from_check" CHECK ("region_settings"."protection_cover_from" is null or "region_settings"."protection_cover_from" in ('next_month', 'recognition_month', 'received_month'));--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_township_code_check" CHECK (("users"."role" = 'township') = ("users"."township_code" is not null));--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_department_check" CHECK (("users"."role" = 'department') = ("users"."department" is not null) and ("users"."department" is null or "users"."department" in ('health', 'education', 'human_resources')));--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_role_scope_check" CHECK (("users"."role" in ('admin', 'auditor') and "users"."region_code" is null and "users"."institution_id" is null)
        or ("users"."role" in ('reviewer', 'finance', 'civil_affairs') and "users"."region_code" is not null and "users"."institution_id" is null)
        or ("users"."role" = 'institution' and "users"."institution_id" is not null and "users"."region_code" is null)
        or ("users"."role" = 'township' and "users"."township_code" is not null and "users"."region_code" = left("users"."township_code", 6) and "users"."institution_id" is null)
        or ("users"."role" = 'department' and "users"."department" is not null and "users"."region_code" is not null and "users"."institution_id" is null));