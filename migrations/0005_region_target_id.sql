-- Targets set before this migration get an id of their own, then the column becomes required.
ALTER TABLE "region_targets" ADD COLUMN "id" uuid;--> statement-breakpoint
UPDATE "region_targets" SET "id" = gen_random_uuid() WHERE "id" IS NULL;--> statement-breakpoint
ALTER TABLE "region_targets" ALTER COLUMN "id" SET NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "region_targets_id_key" ON "region_targets" USING btree ("id");
