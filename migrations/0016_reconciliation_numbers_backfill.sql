-- Reports made before numbering get their numbers in the order they were made, per region of their
-- institution and China year, and the counters continue from there.
WITH numbered AS (
  SELECT r.id,
         i.region_code,
         extract(year FROM r.created_at AT TIME ZONE 'Asia/Shanghai')::int AS year,
         row_number() OVER (PARTITION BY i.region_code, extract(year FROM r.created_at AT TIME ZONE 'Asia/Shanghai') ORDER BY r.created_at, r.id) AS seq
  FROM reconciliations r
  JOIN institutions i ON i.id = r.institution_id
  WHERE r.number IS NULL
)
UPDATE reconciliations r
SET number = numbered.region_code || '-DZ-' || numbered.year || '-' || numbered.seq
FROM numbered
WHERE r.id = numbered.id;
--> statement-breakpoint
INSERT INTO reconciliation_counters (region_code, year, last_number)
SELECT i.region_code, extract(year FROM r.created_at AT TIME ZONE 'Asia/Shanghai')::int, count(*)::int
FROM reconciliations r
JOIN institutions i ON i.id = r.institution_id
GROUP BY i.region_code, extract(year FROM r.created_at AT TIME ZONE 'Asia/Shanghai')
ON CONFLICT (region_code, year) DO UPDATE SET last_number = greatest(reconciliation_counters.last_number, excluded.last_number);
