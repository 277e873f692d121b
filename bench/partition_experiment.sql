\timing on
DROP TABLE IF EXISTS bench_part_incident;
CREATE TABLE bench_part_incident (LIKE incidents_incident INCLUDING DEFAULTS) PARTITION BY RANGE (occurred_from);
DO $$
DECLARE y int;
BEGIN
  FOR y IN 2016..2027 LOOP
    EXECUTE format('CREATE TABLE bench_part_incident_%s PARTITION OF bench_part_incident FOR VALUES FROM (%L) TO (%L)', y, y || '-01-01', (y+1) || '-01-01');
  END LOOP;
END $$;
INSERT INTO bench_part_incident SELECT * FROM incidents_incident;
CREATE INDEX ON bench_part_incident (group_id, occurred_from);
CREATE INDEX ON bench_part_incident (municipality_id, occurred_from);
CREATE INDEX ON bench_part_incident (occurred_from, id);
ANALYZE bench_part_incident;
SET jit = off;
-- a group's year (export), the police feed of a municipality in a week, the newest page
EXPLAIN (ANALYZE, SUMMARY ON, TIMING OFF) SELECT count(*) FROM incidents_incident WHERE group_id = 1 AND occurred_from >= now() - interval '365 days';
EXPLAIN (ANALYZE, SUMMARY ON, TIMING OFF) SELECT count(*) FROM bench_part_incident WHERE group_id = 1 AND occurred_from >= now() - interval '365 days';
EXPLAIN (ANALYZE, SUMMARY ON, TIMING OFF) SELECT municipality_id, count(*) FROM incidents_incident WHERE occurred_from >= now() - interval '30 days' GROUP BY 1;
EXPLAIN (ANALYZE, SUMMARY ON, TIMING OFF) SELECT municipality_id, count(*) FROM bench_part_incident WHERE occurred_from >= now() - interval '30 days' GROUP BY 1;
EXPLAIN (ANALYZE, SUMMARY ON, TIMING OFF) SELECT municipality_id, area_id, count(*) FROM incidents_incident WHERE source = 'police' GROUP BY 1, 2;
EXPLAIN (ANALYZE, SUMMARY ON, TIMING OFF) SELECT municipality_id, area_id, count(*) FROM bench_part_incident WHERE source = 'police' GROUP BY 1, 2;
EXPLAIN (ANALYZE, SUMMARY ON, TIMING OFF) SELECT id FROM incidents_incident ORDER BY occurred_from DESC, id DESC LIMIT 51;
EXPLAIN (ANALYZE, SUMMARY ON, TIMING OFF) SELECT id FROM bench_part_incident ORDER BY occurred_from DESC, id DESC LIMIT 51;
-- a page five years back: by key (what the list and the API do now) and by offset (what they did)
EXPLAIN (ANALYZE, SUMMARY ON, TIMING OFF) SELECT id FROM incidents_incident WHERE occurred_from < now() - interval '1825 days' ORDER BY occurred_from DESC, id DESC LIMIT 51;
EXPLAIN (ANALYZE, SUMMARY ON, TIMING OFF) SELECT id FROM bench_part_incident WHERE occurred_from < now() - interval '1825 days' ORDER BY occurred_from DESC, id DESC LIMIT 51;
EXPLAIN (ANALYZE, SUMMARY ON, TIMING OFF) SELECT id FROM incidents_incident ORDER BY occurred_from DESC, id DESC LIMIT 51 OFFSET 500000;
