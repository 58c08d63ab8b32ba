-- record 4's full-text conflict resolved: include (a second report of a study)
INSERT INTO resolutions(record_id, stage, decision, reason, note, replaces, resolved_by, resolved_at)
 VALUES (4, 2, 'include', NULL, 'same trial as record 1', NULL, 'cat', '2026-11-10T09:00:00Z');
