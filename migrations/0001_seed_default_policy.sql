-- The seeded default policy: the rate table of domain.md, in force from 2000-01-01 for every
-- region that has no version of its own. Its ids are fixed so that every installation agrees.
INSERT INTO "policy_versions" ("id", "name", "effective_from", "region_code", "created_by_user_id")
VALUES ('00000000-0000-7000-8000-000000000001', '残疾儿童康复救助默认标准', '2000-01-01', NULL, NULL);
--> statement-breakpoint
INSERT INTO "policy_rules" ("id", "policy_id", "position", "service", "device_kind", "categories", "annual_limit", "monthly_limit", "once_per_child_limit", "max_age")
VALUES
  ('00000000-0000-7000-8000-000000000101', '00000000-0000-7000-8000-000000000001', 1, 'training', NULL, ARRAY['vision'], 1000.00, 1700.00, NULL, 14),
  ('00000000-0000-7000-8000-000000000102', '00000000-0000-7000-8000-000000000001', 2, 'training', NULL, ARRAY['hearing','speech','intellectual','autism'], 17000.00, 1700.00, NULL, 14),
  ('00000000-0000-7000-8000-000000000103', '00000000-0000-7000-8000-000000000001', 3, 'training', NULL, ARRAY['limb'], 17000.00, 1700.00, NULL, 7),
  ('00000000-0000-7000-8000-000000000104', '00000000-0000-7000-8000-000000000001', 4, 'early_intervention', NULL, ARRAY['vision','hearing','speech','intellectual','autism'], 24000.00, 2400.00, NULL, 14),
  ('00000000-0000-7000-8000-000000000105', '00000000-0000-7000-8000-000000000001', 5, 'early_intervention', NULL, ARRAY['limb'], 24000.00, 2400.00, NULL, 7),
  ('00000000-0000-7000-8000-000000000106', '00000000-0000-7000-8000-000000000001', 6, 'cochlear_implant', NULL, ARRAY['hearing'], NULL, NULL, 12000.00, 6),
  ('00000000-0000-7000-8000-000000000107', '00000000-0000-7000-8000-000000000001', 7, 'limb_surgery', NULL, ARRAY['limb'], NULL, NULL, 17200.00, 17),
  ('00000000-0000-7000-8000-000000000108', '00000000-0000-7000-8000-000000000001', 8, 'device', 'hearing_aid', ARRAY['hearing','speech'], 4800.00, NULL, NULL, 14),
  ('00000000-0000-7000-8000-000000000109', '00000000-0000-7000-8000-000000000001', 9, 'device', 'prosthesis_orthosis', ARRAY['limb'], 5000.00, NULL, NULL, 7),
  ('00000000-0000-7000-8000-000000000110', '00000000-0000-7000-8000-000000000001', 10, 'device', 'mobility_aid', NULL, 1500.00, NULL, NULL, NULL);
