-- evaluate.sql - pairwise precision and recall of `review dedup` against
-- the labels loaded by load.sh.  Two records are linked when the current
-- 'duplicate' links put them in one cluster (transitively); they are a
-- true duplicate pair when they carry the same label.
CREATE TEMP TABLE canon AS
  WITH RECURSIVE e(x, y) AS (
      SELECT a, b FROM current_links WHERE decision = 'duplicate'
      UNION SELECT b, a FROM current_links WHERE decision = 'duplicate'),
    reach(s, t) AS (SELECT id, id FROM records
                    UNION SELECT r.s, e.y FROM reach r JOIN e ON e.x = r.t)
  SELECT s AS id, min(t) AS c FROM reach GROUP BY s;
CREATE TEMP TABLE lc AS SELECT l.id, l.cluster, c.c FROM labels l JOIN canon c ON c.id = l.id;
CREATE TEMP TABLE pairs AS
  SELECT x.id AS a, y.id AS b, x.c = y.c AS linked, x.cluster = y.cluster AS truth
  FROM lc x JOIN lc y ON x.id < y.id AND (x.cluster = y.cluster OR x.c = y.c);
SELECT 'records', count(*) FROM records;
SELECT 'true duplicate pairs', sum(truth) FROM pairs;
SELECT 'linked pairs', sum(linked) FROM pairs;
SELECT 'linked and true', sum(linked AND truth) FROM pairs;
SELECT 'precision', printf('%.4f', 1.0 * sum(linked AND truth) / sum(linked)) FROM pairs;
SELECT 'recall', printf('%.4f', 1.0 * sum(linked AND truth) / sum(truth)) FROM pairs;
SELECT 'pairs to review', count(*) FROM dedup_candidates c
  WHERE NOT EXISTS (SELECT 1 FROM dedup_links l WHERE l.a = c.a AND l.b = c.b);
SELECT 'true duplicates among them', count(*) FROM dedup_candidates c
  JOIN labels x ON x.id = c.a JOIN labels y ON y.id = c.b WHERE x.cluster = y.cluster;
SELECT 'recall >= 0.95 and precision >= 0.99',
       CASE WHEN 1.0 * sum(linked AND truth) / sum(truth) >= 0.95
             AND 1.0 * sum(linked AND truth) / sum(linked) >= 0.99 THEN 'yes' ELSE 'NO' END
  FROM pairs;
