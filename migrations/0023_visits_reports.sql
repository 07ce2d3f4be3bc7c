CREATE TABLE "protection_reports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"child_id" uuid NOT NULL,
	"case_id" uuid,
	"visit_id" uuid,
	"region_code" char(6) NOT NULL,
	"township_code" char(9),
	"concerns" text[] NOT NULL,
	"note" text,
	"status" text NOT NULL,
	"raised_at" timestamp with time zone NOT NULL,
	"raised_by_user_id" uuid NOT NULL,
	"police_notified_at" timestamp with time zone,
	"police_recorded_by_user_id" uuid,
	"action_taken" text,
	"police_notified" boolean,
	"acknowledged_by_user_id" uuid,
	"acknowledged_at" timestamp with time zone,
	CONSTRAINT "protection_reports_concerns_check" CHECK (cardinality("protection_reports"."concerns") > 0 and "protection_reports"."concerns" <@ array['guardianship', 'living', 'schooling', 'health', 'safety']),
	CONSTRAINT "protection_reports_status_check" CHECK ("protection_reports"."status" in ('open', 'acknowledged')),
	CONSTRAINT "protection_reports_acknowledged_check" CHECK (("protection_reports"."status" = 'acknowledged') = ("protection_reports"."acknowledged_at" is not null and "protection_reports"."acknowledged_by_user_id" is not null and "protection_reports"."action_taken" is not null and "protection_reports"."police_notified" is not null)),
	CONSTRAINT "protection_reports_police_check" CHECK (("protection_reports"."police_notified_at" is null) = ("protection_reports"."police_recorded_by_user_id" is null))
);
--> statement-breakpoint
CREATE TABLE "protection_visits" (
	"id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"child_id" uuid NOT NULL,
	"region_code" char(6) NOT NULL,
	"township_code" char(9) NOT NULL,
	"visited_on" date NOT NULL,
	"visitor" text NOT NULL,
	"visitor_role" text NOT NULL,
	"guardianship" text NOT NULL,
	"living" text NOT NULL,
	"schooling" text NOT NULL,
	"health" text NOT NULL,
	"safety" text NOT NULL,
	"note" text,
	"recorded_by_user_id" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "protection_visits_checks_check" CHECK ("protection_visits"."guardianship" in ('ok', 'concern', 'danger') and "protection_visits"."living" in ('ok', 'concern', 'danger') and "protection_visits"."schooling" in ('ok', 'concern', 'danger')
        and "protection_visits"."health" in ('ok', 'concern', 'danger') and "protection_visits"."safety" in ('ok', 'concern', 'danger'))
);
--> statement-breakpoint
ALTER TABLE "region_settings" ADD COLUMN "visit_cadence_months" jsonb;--> statement-breakpoint
ALTER TABLE "region_settings" ADD COLUMN "report_acknowledge_hours" integer;--> statement-breakpoint
ALTER TABLE "protection_reports" ADD CONSTRAINT "protection_reports_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_reports" ADD CONSTRAINT "protection_reports_case_id_protection_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."protection_cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_reports" ADD CONSTRAINT "protection_reports_visit_id_protection_visits_id_fk" FOREIGN KEY ("visit_id") REFERENCES "public"."protection_visits"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_reports" ADD CONSTRAINT "protection_reports_raised_by_user_id_users_id_fk" FOREIGN KEY ("raised_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_reports" ADD CONSTRAINT "protection_reports_police_recorded_by_user_id_users_id_fk" FOREIGN KEY ("police_recorded_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_reports" ADD CONSTRAINT "protection_reports_acknowledged_by_user_id_users_id_fk" FOREIGN KEY ("acknowledged_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_visits" ADD CONSTRAINT "protection_visits_case_id_protection_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."protection_cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_visits" ADD CONSTRAINT "protection_visits_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_visits" ADD CONSTRAINT "protection_visits_recorded_by_user_id_users_id_fk" FOREIGN KEY ("recorded_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "protection_reports_region_idx" ON "protection_reports" USING btree ("region_code","status","raised_at");--> statement-breakpoint
CREATE INDEX "protection_reports_township_idx" ON "protection_reports" USING btree ("township_code","status","raised_at");--> statement-breakpoint
CREATE INDEX "protection_reports_child_idx" ON "protection_reports" USING btree ("child_id");--> statement-breakpoint
CREATE UNIQUE INDEX "protection_reports_visit_key" ON "protection_reports" USING btree ("visit_id");--> statement-breakpoint
CREATE INDEX "protection_visits_case_idx" ON "protection_visits" USING btree ("case_id","visited_on");--> statement-breakpoint
CREATE INDEX "protection_visits_township_idx" ON "protection_visits" USING btree ("township_code","visited_on","id");--> statement-breakpoint
CREATE INDEX "protection_visits_region_idx" ON "protection_visits" USING btree ("region_code","visited_on","id");--> statement-breakpoint
ALTER TABLE "region_settings" ADD CONSTRAINT "region_settings_report_acknowledge_hours_check" CHECK ("region_settings"."report_acknowledge_hours" is null or "region_settings"."report_acknowledge_hours" between 1 and 72);