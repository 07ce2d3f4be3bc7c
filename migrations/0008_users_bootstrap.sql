ALTER TABLE "users" ADD COLUMN "bootstrap" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "disabled_at" timestamp with time zone;--> statement-breakpoint
-- The admin created from BOOTSTRAP_ADMIN_TOKEN before this migration was audited with bootstrap: true.
UPDATE "users" SET "bootstrap" = true WHERE "id" IN (
  SELECT "entity_id" FROM "audit_events" WHERE "action" = 'user.created' AND "data"->>'bootstrap' = 'true');--> statement-breakpoint
-- Where a personal admin exists already, the bootstrap token has done its work: it stops now.
UPDATE "users" SET "disabled_at" = now() WHERE "bootstrap" AND EXISTS (
  SELECT 1 FROM "users" "other" WHERE "other"."role" = 'admin' AND NOT "other"."bootstrap");
