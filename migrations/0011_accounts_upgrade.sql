-- The upgrade of a running office to personal accounts (security.md §1, Upgrading a running office).
-- Every existing user gets a username: the role and a number in the order the users were created
-- (reviewer1, reviewer2, finance1, …); the bootstrap admin is "bootstrap". No one has a password yet.
UPDATE "users" SET "username" = "numbered"."username" FROM (
  SELECT "id", CASE WHEN "bootstrap" THEN 'bootstrap'
    ELSE "role" || row_number() OVER (PARTITION BY "role", "bootstrap" ORDER BY "created_at", "id") END AS "username"
  FROM "users"
) AS "numbered" WHERE "users"."id" = "numbered"."id" AND "users"."username" IS NULL;--> statement-breakpoint
-- Each token becomes a row of api_tokens, as its SHA-256 (the tokens were never stored): a
-- non-admin's keeps working for 30 days from this upgrade; an admin's only sets that admin's first
-- password, once; the bootstrap admin's works until the first personal admin has activated. A
-- disabled user's token is revoked, so that enabling the user later gives it no token back.
INSERT INTO "api_tokens" ("id", "user_id", "token_hash", "kind", "name", "created_at", "expires_at", "revoked_at", "revoked_reason")
SELECT gen_random_uuid(), "id", "token_hash",
  CASE WHEN "bootstrap" THEN 'bootstrap' WHEN "role" = 'admin' THEN 'password_setup' ELSE 'legacy' END,
  CASE WHEN "bootstrap" THEN 'BOOTSTRAP_ADMIN_TOKEN' WHEN "role" = 'admin' THEN '升级前的令牌（仅用于设置首个密码）' ELSE '升级前的令牌（30 天后失效）' END,
  now(),
  CASE WHEN "role" = 'admin' THEN NULL ELSE now() + interval '30 days' END,
  "disabled_at",
  CASE WHEN "disabled_at" IS NULL THEN NULL ELSE 'user_disabled' END
FROM "users" WHERE "token_hash" IS NOT NULL;
