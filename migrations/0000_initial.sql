CREATE TABLE "applications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"child_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"services" text[] NOT NULL,
	"status" text NOT NULL,
	"preferred_institution_id" uuid,
	"institution_id" uuid,
	"filed_by_user_id" uuid NOT NULL,
	"filed_by_institution_id" uuid,
	"decided_by_user_id" uuid,
	"decided_at" timestamp with time zone,
	"rejection_reason" text,
	"dropped_out_on" date,
	"dropout_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "applications_status_check" CHECK ("applications"."status" in ('pending', 'approved', 'rejected')),
	CONSTRAINT "applications_referral_check" CHECK ("applications"."status" <> 'approved' or "applications"."institution_id" is not null)
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" uuid,
	"actor_role" text,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" uuid NOT NULL,
	"region_code" char(6),
	"data" jsonb NOT NULL,
	"request_id" text
);
--> statement-breakpoint
CREATE TABLE "children" (
	"id" uuid PRIMARY KEY NOT NULL,
	"id_number" char(18) NOT NULL,
	"name" text NOT NULL,
	"region_code" char(6) NOT NULL,
	"category" text NOT NULL,
	"certificate_no" text,
	"birth_date" date NOT NULL,
	"sex" text NOT NULL,
	"guardian_name" text NOT NULL,
	"guardian_relation" text NOT NULL,
	"guardian_phone" text NOT NULL,
	"registered_by_user_id" uuid NOT NULL,
	"registered_by_institution_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "children_sex_check" CHECK ("children"."sex" in ('male', 'female'))
);
--> statement-breakpoint
CREATE TABLE "institutions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"region_code" char(6) NOT NULL,
	"services" text[] NOT NULL,
	"bank_name" text NOT NULL,
	"bank_account_name" text NOT NULL,
	"bank_account_number" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "policy_rules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"policy_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"service" text NOT NULL,
	"device_kind" text,
	"categories" text[],
	"annual_limit" numeric(14, 2),
	"monthly_limit" numeric(14, 2),
	"once_per_child_limit" numeric(14, 2),
	"max_age" integer,
	CONSTRAINT "policy_rules_device_kind_check" CHECK (("policy_rules"."service" = 'device') = ("policy_rules"."device_kind" is not null))
);
--> statement-breakpoint
CREATE TABLE "policy_versions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"effective_from" date NOT NULL,
	"region_code" char(6),
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "policy_versions_region_effective_key" UNIQUE NULLS NOT DISTINCT("region_code","effective_from")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"region_code" char(6),
	"institution_id" uuid,
	"token_hash" char(64) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_role_scope_check" CHECK (("users"."role" = 'admin' and "users"."region_code" is null and "users"."institution_id" is null)
        or ("users"."role" in ('reviewer', 'finance') and "users"."region_code" is not null and "users"."institution_id" is null)
        or ("users"."role" = 'institution' and "users"."institution_id" is not null and "users"."region_code" is null))
);
--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_preferred_institution_id_institutions_id_fk" FOREIGN KEY ("preferred_institution_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_institution_id_institutions_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_filed_by_user_id_users_id_fk" FOREIGN KEY ("filed_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_filed_by_institution_id_institutions_id_fk" FOREIGN KEY ("filed_by_institution_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_decided_by_user_id_users_id_fk" FOREIGN KEY ("decided_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "children" ADD CONSTRAINT "children_registered_by_user_id_users_id_fk" FOREIGN KEY ("registered_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "children" ADD CONSTRAINT "children_registered_by_institution_id_institutions_id_fk" FOREIGN KEY ("registered_by_institution_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_rules" ADD CONSTRAINT "policy_rules_policy_id_policy_versions_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."policy_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_institution_id_institutions_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "applications_child_idx" ON "applications" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "applications_institution_idx" ON "applications" USING btree ("institution_id");--> statement-breakpoint
CREATE INDEX "applications_preferred_institution_idx" ON "applications" USING btree ("preferred_institution_id");--> statement-breakpoint
CREATE INDEX "audit_events_entity_idx" ON "audit_events" USING btree ("entity_type","entity_id","id");--> statement-breakpoint
CREATE INDEX "audit_events_region_idx" ON "audit_events" USING btree ("region_code","id");--> statement-breakpoint
CREATE UNIQUE INDEX "children_id_number_key" ON "children" USING btree ("id_number");--> statement-breakpoint
CREATE INDEX "children_region_code_idx" ON "children" USING btree ("region_code","id");--> statement-breakpoint
CREATE INDEX "children_registered_by_institution_idx" ON "children" USING btree ("registered_by_institution_id");--> statement-breakpoint
CREATE UNIQUE INDEX "institutions_code_key" ON "institutions" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "policy_rules_policy_position_key" ON "policy_rules" USING btree ("policy_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "users_token_hash_key" ON "users" USING btree ("token_hash");