CREATE TABLE "protection_standards" (
	"id" uuid PRIMARY KEY NOT NULL,
	"effective_from" char(7) NOT NULL,
	"region_code" char(6),
	"orphan_institution_monthly" numeric(14, 2) NOT NULL,
	"orphan_scattered_monthly" numeric(14, 2) NOT NULL,
	"de_facto_unsupported_monthly" numeric(14, 2) NOT NULL,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "protection_standards_region_effective_key" UNIQUE NULLS NOT DISTINCT("region_code","effective_from"),
	CONSTRAINT "protection_standards_amounts_check" CHECK ("protection_standards"."orphan_institution_monthly" >= 0 and "protection_standards"."orphan_scattered_monthly" >= 0 and "protection_standards"."de_facto_unsupported_monthly" >= 0)
);
--> statement-breakpoint
ALTER TABLE "region_budgets" DROP CONSTRAINT "region_budgets_amounts_check";--> statement-breakpoint
ALTER TABLE "region_budgets" ADD COLUMN "protection_basic_living" numeric(14, 2);--> statement-breakpoint
ALTER TABLE "protection_standards" ADD CONSTRAINT "protection_standards_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "region_budgets" ADD CONSTRAINT "region_budgets_amounts_check" CHECK (coalesce("region_budgets"."rehabilitation", 0) >= 0 and coalesce("region_budgets"."allowance_county", 0) >= 0 and coalesce("region_budgets"."allowance_hardship", 0) >= 0
        and coalesce("region_budgets"."protection_basic_living", 0) >= 0);