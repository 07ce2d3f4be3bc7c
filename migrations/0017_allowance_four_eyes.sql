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
ALTER TABLE "allowance_waivers" ADD CONSTRAINT "allowance_waivers_overpayment_id_allowance_overpayments_id_fk" FOREIGN KEY ("overpayment_id") REFERENCES "public"."allowance_overpayments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allowance_waivers" ADD CONSTRAINT "allowance_waivers_requested_by_user_id_users_id_fk" FOREIGN KEY ("requested_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allowance_waivers" ADD CONSTRAINT "allowance_waivers_decided_by_user_id_users_id_fk" FOREIGN KEY ("decided_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "beneficiary_account_changes" ADD CONSTRAINT "beneficiary_account_changes_beneficiary_id_beneficiaries_id_fk" FOREIGN KEY ("beneficiary_id") REFERENCES "public"."beneficiaries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "beneficiary_account_changes" ADD CONSTRAINT "beneficiary_account_changes_requested_by_user_id_users_id_fk" FOREIGN KEY ("requested_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "beneficiary_account_changes" ADD CONSTRAINT "beneficiary_account_changes_decided_by_user_id_users_id_fk" FOREIGN KEY ("decided_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "allowance_waivers_pending_key" ON "allowance_waivers" USING btree ("overpayment_id") WHERE "allowance_waivers"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "allowance_waivers_overpayment_idx" ON "allowance_waivers" USING btree ("overpayment_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "beneficiary_account_changes_pending_key" ON "beneficiary_account_changes" USING btree ("beneficiary_id") WHERE "beneficiary_account_changes"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "beneficiary_account_changes_beneficiary_idx" ON "beneficiary_account_changes" USING btree ("beneficiary_id","id");