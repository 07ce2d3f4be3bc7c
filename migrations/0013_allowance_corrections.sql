CREATE TABLE "allowance_refunds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"overpayment_id" uuid NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"refunded_on" date NOT NULL,
	"voucher_no" text NOT NULL,
	"recorded_by_user_id" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "allowance_refunds_amount_check" CHECK ("allowance_refunds"."amount" > 0)
);
--> statement-breakpoint
ALTER TABLE "allowance_overpayments" DROP CONSTRAINT "allowance_overpayments_status_check";--> statement-breakpoint
ALTER TABLE "allowance_overpayments" DROP CONSTRAINT "allowance_overpayments_amounts_check";--> statement-breakpoint
ALTER TABLE "beneficiary_tiers" DROP CONSTRAINT "beneficiary_tiers_pkey";--> statement-breakpoint
ALTER TABLE "allowance_overpayments" ADD COLUMN "refunded" numeric(14, 2) DEFAULT '0.00' NOT NULL;--> statement-breakpoint
ALTER TABLE "beneficiary_tiers" ADD COLUMN "seq" bigint PRIMARY KEY NOT NULL GENERATED ALWAYS AS IDENTITY (sequence name "beneficiary_tiers_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1);--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "certificate_issued_on" date;--> statement-breakpoint
ALTER TABLE "allowance_refunds" ADD CONSTRAINT "allowance_refunds_overpayment_id_allowance_overpayments_id_fk" FOREIGN KEY ("overpayment_id") REFERENCES "public"."allowance_overpayments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allowance_refunds" ADD CONSTRAINT "allowance_refunds_recorded_by_user_id_users_id_fk" FOREIGN KEY ("recorded_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "allowance_refunds_overpayment_idx" ON "allowance_refunds" USING btree ("overpayment_id");--> statement-breakpoint
CREATE INDEX "beneficiary_tiers_beneficiary_idx" ON "beneficiary_tiers" USING btree ("beneficiary_id","seq");--> statement-breakpoint
ALTER TABLE "allowance_overpayments" ADD CONSTRAINT "allowance_overpayments_status_check" CHECK ("allowance_overpayments"."status" in ('open', 'partially_recovered', 'recovered', 'waived', 'cancelled', 'refund_due', 'refunded'));--> statement-breakpoint
ALTER TABLE "allowance_overpayments" ADD CONSTRAINT "allowance_overpayments_amounts_check" CHECK ("allowance_overpayments"."amount" >= 0 and "allowance_overpayments"."recovered" >= 0 and "allowance_overpayments"."refunded" >= 0 and "allowance_overpayments"."refunded" <= "allowance_overpayments"."recovered");