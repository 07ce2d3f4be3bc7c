DROP INDEX "children_id_number_key";--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "closed_reason" text;--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "closed_by_user_id" uuid;--> statement-breakpoint
ALTER TABLE "children" ADD CONSTRAINT "children_closed_by_user_id_users_id_fk" FOREIGN KEY ("closed_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "children_id_number_open_key" ON "children" USING btree ("id_number") WHERE "children"."closed_at" is null;--> statement-breakpoint
ALTER TABLE "children" ADD CONSTRAINT "children_closed_check" CHECK (("children"."closed_at" is null) = ("children"."closed_reason" is null) and ("children"."closed_at" is null) = ("children"."closed_by_user_id" is null));