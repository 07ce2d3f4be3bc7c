-- allowance.md, Corrections and edges, for records made before them.
-- Money recovered beyond what an overpayment finally came to is owed back to the family.
UPDATE "allowance_overpayments" SET "status" = 'refund_due'
  WHERE "status" IN ('cancelled', 'recovered') AND "recovered" - "refunded" > "amount";--> statement-breakpoint
-- One record pays a month: a record enrolled after an earlier record of the child exited starts
-- where that exit stopped (where that still leaves it a month to pay; the roll's planning keeps
-- any other overlap from paying a month twice).
UPDATE "beneficiaries" "later" SET "start_month" = "earlier"."exit_from_month"
  FROM (
    SELECT "b"."id", max("e"."exit_from_month") AS "exit_from_month"
    FROM "beneficiaries" "b"
    JOIN "beneficiaries" "e" ON "e"."child_id" = "b"."child_id" AND "e"."id" <> "b"."id"
      AND "e"."status" = 'exited' AND "e"."created_at" < "b"."created_at"
    GROUP BY "b"."id"
  ) "earlier"
  WHERE "later"."id" = "earlier"."id" AND "later"."start_month" < "earlier"."exit_from_month"
    AND "earlier"."exit_from_month" <= "later"."last_month";
