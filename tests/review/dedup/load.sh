#!/bin/sh
# load.sh FILE.msr RECORDS.csv - put a labelled record set (make_set.py's
# columns) into a review file as one import, the way `review import` would,
# and keep the cluster labels in a side table `labels` for evaluate.sql.
set -e
review=$1; csv=$2
sqlite3 "$review" <<SQL
.bail on
.mode csv
.import '$csv' lab
BEGIN;
INSERT INTO imports(id, source, source_type, file_name, file_sha256, format, n_records,
                    imported_at, imported_by)
  SELECT 1, 'labelled set', 'database', 'records.csv', 'test', 'csv', count(*),
         '2026-11-23T09:00:00Z', 'test' FROM lab;
INSERT INTO records(id, import_id, seq, line, raw, title, authors, year, journal, volume,
                    issue, pages, doi, pmid)
  SELECT CAST(id AS INTEGER), 1, CAST(id AS INTEGER), CAST(id AS INTEGER) + 1, '',
         nullif(title, ''), nullif(authors, ''), CAST(nullif(year, '') AS INTEGER),
         nullif(journal, ''), nullif(volume, ''), nullif(issue, ''), nullif(pages, ''),
         nullif(doi, ''), nullif(pmid, '') FROM lab;
CREATE TABLE labels(id INTEGER PRIMARY KEY, cluster INTEGER NOT NULL);
INSERT INTO labels SELECT CAST(id AS INTEGER), CAST(cluster AS INTEGER) FROM lab;
DROP TABLE lab;
COMMIT;
SQL
