-- The seeded defaults of the protection of children in difficulty (protection.md §3, §4.4): the
-- criteria of 民发〔2019〕62号 and 民发〔2020〕125号 in force from 2000-01-01 for every region without a
-- version of its own, and the county review's routes for every region without a table of its own.
-- Their ids are fixed so that every installation agrees.
INSERT INTO "protection_criteria" ("id", "name", "effective_from", "region_code", "de_facto_unsupported", "extreme_poverty_under_age", "created_by_user_id")
VALUES (
  '00000000-0000-7000-8000-000000000201',
  '民发〔2019〕62号、民发〔2020〕125号',
  '2000-01-01',
  NULL,
  '{"absent": ["dead", "declared_missing"], "qualifying": {"severe_disability": {}, "serious_illness": {}, "guardianship_revoked": {}, "deported": {}, "missing": {"minElapsedMonths": 6}, "imprisoned": {"minTermMonths": 6}, "drug_rehab": {"minTermMonths": 6}, "deprived_of_liberty": {"minTermMonths": 6}}}'::jsonb,
  16,
  NULL
);
--> statement-breakpoint
INSERT INTO "protection_route_tables" ("scope", "id", "routes", "updated_by_user_id", "updated_at")
VALUES (
  'default',
  '00000000-0000-7000-8000-000000000202',
  '[{"route": "civil_affairs", "categories": null, "severeBasis": null, "schoolingSupport": null},
    {"route": "reviewer", "categories": ["severe_illness_disability"], "severeBasis": ["disability", "both"], "schoolingSupport": null},
    {"route": "health", "categories": ["severe_illness_disability"], "severeBasis": ["illness", "both"], "schoolingSupport": null},
    {"route": "education", "categories": null, "severeBasis": null, "schoolingSupport": true},
    {"route": "human_resources", "categories": ["poor_family"], "severeBasis": null, "schoolingSupport": null}]'::jsonb,
  NULL,
  '2000-01-01T00:00:00Z'
);
