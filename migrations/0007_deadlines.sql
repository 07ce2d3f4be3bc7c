CREATE TABLE "calendar_years" (
	"year" integer PRIMARY KEY NOT NULL,
	"id" uuid NOT NULL,
	"holidays" text[] NOT NULL,
	"workdays" text[] NOT NULL,
	"recorded_by_user_id" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "region_settings" (
	"region_code" char(6) PRIMARY KEY NOT NULL,
	"id" uuid NOT NULL,
	"review_working_days" integer,
	"supervision_phone" text,
	"updated_by_user_id" uuid NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "region_settings_review_working_days_check" CHECK ("region_settings"."review_working_days" is null or "region_settings"."review_working_days" between 1 and 60)
);
--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "received_on" date;--> statement-breakpoint
-- Applications filed before deadlines existed were received on the China date they were filed.
UPDATE "applications" SET "received_on" = ("created_at" at time zone 'Asia/Shanghai')::date;--> statement-breakpoint
ALTER TABLE "applications" ALTER COLUMN "received_on" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "calendar_years" ADD CONSTRAINT "calendar_years_recorded_by_user_id_users_id_fk" FOREIGN KEY ("recorded_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "region_settings" ADD CONSTRAINT "region_settings_updated_by_user_id_users_id_fk" FOREIGN KEY ("updated_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "calendar_years_id_key" ON "calendar_years" USING btree ("id");--> statement-breakpoint
CREATE UNIQUE INDEX "region_settings_id_key" ON "region_settings" USING btree ("id");--> statement-breakpoint
CREATE INDEX "applications_status_received_idx" ON "applications" USING btree ("status","received_on","id");--> statement-breakpoint
CREATE INDEX "claims_region_status_submitted_idx" ON "claims" USING btree ("region_code","status","submitted_at","id");