ALTER TABLE "policy_versions" DROP CONSTRAINT "policy_versions_region_effective_key";--> statement-breakpoint
ALTER TABLE "policy_versions" ADD COLUMN "status" text DEFAULT 'approved' NOT NULL;--> statement-breakpoint
ALTER TABLE "policy_versions" ADD COLUMN "approved_by_user_id" uuid;--> statement-breakpoint
ALTER TABLE "policy_versions" ADD COLUMN "approved_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "policy_versions" ADD COLUMN "withdrawn_by_user_id" uuid;--> statement-breakpoint
ALTER TABLE "policy_versions" ADD COLUMN "withdrawn_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "policy_versions" ADD COLUMN "withdrawal_reason" text;--> statement-breakpoint
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_approved_by_user_id_users_id_fk" FOREIGN KEY ("approved_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_withdrawn_by_user_id_users_id_fk" FOREIGN KEY ("withdrawn_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "policy_versions_region_effective_key" ON "policy_versions" USING btree (coalesce("region_code", ''),"effective_from") WHERE "policy_versions"."status" <> 'withdrawn';--> statement-breakpoint
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_status_check" CHECK ("policy_versions"."status" in ('pending', 'approved', 'withdrawn'));--> statement-breakpoint
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_withdrawn_check" CHECK (("policy_versions"."status" = 'withdrawn') = ("policy_versions"."withdrawn_at" is not null));