CREATE TABLE "reconciliation_counters" (
	"region_code" char(6) NOT NULL,
	"year" integer NOT NULL,
	"last_number" integer NOT NULL,
	CONSTRAINT "reconciliation_counters_pkey" PRIMARY KEY("region_code","year")
);
--> statement-breakpoint
ALTER TABLE "reconciliations" ADD COLUMN "number" text;--> statement-breakpoint
ALTER TABLE "region_settings" ADD COLUMN "authorities" jsonb;--> statement-breakpoint
CREATE UNIQUE INDEX "reconciliations_number_key" ON "reconciliations" USING btree ("number");