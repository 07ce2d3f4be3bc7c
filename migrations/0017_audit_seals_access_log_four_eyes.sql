CREATE TABLE "access_log" (
	"id" uuid PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_id" uuid,
	"actor_role" text,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" uuid,
	"filter" jsonb,
	"client_address" text,
	"request_id" text,
	CONSTRAINT "access_log_action_check" CHECK ("access_log"."action" in ('read', 'search', 'download', 'export'))
);
--> statement-breakpoint
CREATE TABLE "allowance_waivers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"overpayment_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"status" text NOT NULL,
	"requested_by_user_id" uuid NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"decided_by_user_id" uuid,
	"decided_at" timestamp with time zone,
	CONSTRAINT "allowance_waivers_status_check" CHECK ("allowance_waivers"."status" in ('pending', 'confirmed', 'replaced')),
	CONSTRAINT "allowance_waivers_decided_check" CHECK (("allowance_waivers"."status" = 'pending') = ("allowance_waivers"."decided_at" is null))
);
--> statement-breakpoint
CREATE TABLE "audit_seal_runs" (
	"last_seq" bigint PRIMARY KEY NOT NULL,
	"first_seq" bigint NOT NULL,
	"sealed_at" timestamp with time zone NOT NULL,
	"watermark" "xid8" NOT NULL,
	"key_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_seals" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"audit_id" uuid NOT NULL,
	"chain_hash" char(64) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "beneficiary_account_changes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"beneficiary_id" uuid NOT NULL,
	"bank" text NOT NULL,
	"account_name" text NOT NULL,
	"account_number" text NOT NULL,
	"status" text NOT NULL,
	"requested_by_user_id" uuid NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"decided_by_user_id" uuid,
	"decided_at" timestamp with time zone,
	CONSTRAINT "beneficiary_account_changes_status_check" CHECK ("beneficiary_account_changes"."status" in ('pending', 'confirmed', 'replaced')),
	CONSTRAINT "beneficiary_account_changes_decided_check" CHECK (("beneficiary_account_changes"."status" = 'pending') = ("beneficiary_account_changes"."decided_at" is null))
);
--> statement-breakpoint
CREATE TABLE "institution_account_changes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"institution_id" uuid NOT NULL,
	"bank_name" text NOT NULL,
	"bank_account_name" text NOT NULL,
	"bank_account_number" text NOT NULL,
	"status" text NOT NULL,
	"requested_by_user_id" uuid NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"decided_by_user_id" uuid,
	"decided_at" timestamp with time zone,
	CONSTRAINT "institution_account_changes_status_check" CHECK ("institution_account_changes"."status" in ('pending', 'confirmed', 'replaced')),
	CONSTRAINT "institution_account_changes_decided_check" CHECK (("institution_account_changes"."status" = 'pending') = ("institution_account_changes"."decided_at" is null))
);
--> statement-breakpoint
ALTER TABLE "users" DROP CONSTRAINT "users_role_scope_check";--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL;--> statement-breakpoint
ALTER TABLE "access_log" ADD CONSTRAINT "access_log_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allowance_waivers" ADD CONSTRAINT "allowance_waivers_overpayment_id_allowance_overpayments_id_fk" FOREIGN KEY ("overpayment_id") REFERENCES "public"."allowance_overpayments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allowance_waivers" ADD CONSTRAINT "allowance_waivers_requested_by_user_id_users_id_fk" FOREIGN KEY ("requested_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allowance_waivers" ADD CONSTRAINT "allowance_waivers_decided_by_user_id_users_id_fk" FOREIGN KEY ("decided_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "beneficiary_account_changes" ADD CONSTRAINT "beneficiary_account_changes_beneficiary_id_beneficiaries_id_fk" FOREIGN KEY ("beneficiary_id") REFERENCES "public"."beneficiaries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "beneficiary_account_changes" ADD CONSTRAINT "beneficiary_account_changes_requested_by_user_id_users_id_fk" FOREIGN KEY ("requested_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "beneficiary_account_changes" ADD CONSTRAINT "beneficiary_account_changes_decided_by_user_id_users_id_fk" FOREIGN KEY ("decided_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "institution_account_changes" ADD CONSTRAINT "institution_account_changes_institution_id_institutions_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "institution_account_changes" ADD CONSTRAINT "institution_account_changes_requested_by_user_id_users_id_fk" FOREIGN KEY ("requested_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "institution_account_changes" ADD CONSTRAINT "institution_account_changes_decided_by_user_id_users_id_fk" FOREIGN KEY ("decided_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "access_log_at_idx" ON "access_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "access_log_actor_idx" ON "access_log" USING btree ("actor_id","id");--> statement-breakpoint
CREATE INDEX "access_log_entity_idx" ON "access_log" USING btree ("entity_type","entity_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "allowance_waivers_pending_key" ON "allowance_waivers" USING btree ("overpayment_id") WHERE "allowance_waivers"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "allowance_waivers_overpayment_idx" ON "allowance_waivers" USING btree ("overpayment_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "audit_seals_audit_id_key" ON "audit_seals" USING btree ("audit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "beneficiary_account_changes_pending_key" ON "beneficiary_account_changes" USING btree ("beneficiary_id") WHERE "beneficiary_account_changes"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "beneficiary_account_changes_beneficiary_idx" ON "beneficiary_account_changes" USING btree ("beneficiary_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "institution_account_changes_pending_key" ON "institution_account_changes" USING btree ("institution_id") WHERE "institution_account_changes"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "institution_account_changes_institution_idx" ON "institution_account_changes" USING btree ("institution_id","id");--> statement-breakpoint
CREATE INDEX "audit_events_xid_idx" ON "audit_events" USING btree ("xid");--> statement-breakpoint
CREATE INDEX "audit_events_actor_idx" ON "audit_events" USING btree ("actor_id","id");--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_role_scope_check" CHECK (("users"."role" in ('admin', 'auditor') and "users"."region_code" is null and "users"."institution_id" is null)
        or ("users"."role" in ('reviewer', 'finance', 'civil_affairs') and "users"."region_code" is not null and "users"."institution_id" is null)
        or ("users"."role" = 'institution' and "users"."institution_id" is not null and "users"."region_code" is null));