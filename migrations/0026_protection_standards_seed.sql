-- The seeded default basic-living standard of children in difficulty (protection.md §8): the national
-- minimums of 1000.00 a month for an orphan in an institution (机构养育), 600.00 for an orphan living
-- scattered (散居) and 600.00 for a de facto unsupported child, in force from 2019-01 for every region
-- without its own. Its id is fixed so that every installation agrees.
INSERT INTO "protection_standards" ("id", "effective_from", "region_code", "orphan_institution_monthly", "orphan_scattered_monthly", "de_facto_unsupported_monthly", "created_by_user_id")
VALUES ('00000000-0000-7000-8000-000000000203', '2019-01', NULL, '1000.00', '600.00', '600.00', NULL);
