-- A scripted review history for `metasyn review prisma` (tests/cli/cases/review-prisma-*).
-- Three database/register searches and one other source; duplicates; two
-- reviewers at both stages with a conflict, resolutions, a changed decision,
-- a 'maybe', an unresolved conflict, an unscreened record, a decision made on
-- a non-canonical duplicate, not-retrieved reports and several reasons.
-- Expected counts are worked out in tests/cli/cases/review-prisma-counts/cmd.
BEGIN;
INSERT INTO imports(id, source, source_type, search_date, file_name, file_sha256, format, n_records, imported_at, imported_by) VALUES
 (1, 'PubMed', 'database', '2026-10-01', 'pubmed.nbib', 'a1', 'medline', 6, '2026-10-01T10:00:00Z', 'ann'),
 (2, 'Embase', 'database', '2026-10-01', 'embase.ris', 'a2', 'ris', 6, '2026-10-01T10:05:00Z', 'ann'),
 (3, 'ClinicalTrials.gov', 'register', '2026-10-02', 'ctgov.csv', 'a3', 'csv', 3, '2026-10-02T09:00:00Z', 'ann'),
 (4, 'Citation searching', 'other', NULL, 'citations.ris', 'a4', 'ris', 3, '2026-10-20T09:00:00Z', 'bob');
INSERT INTO records(id, import_id, seq, line, raw, type, title, authors, year, journal, volume, issue, pages, doi, pmid) VALUES
 (1, 1, 1, 1, 'raw', 'JOUR', 'Surgery versus prolonged conservative treatment for sciatica', 'Smith, John; Doe, Alan', 2019, 'N Engl J Med', '356', '22', '2245-2256', '10.1056/x1', '111'),
 (2, 1, 2, 20, 'raw', 'JOUR', 'Microdiscectomy in lumbar disc herniation', 'Jones, Mary', 2018, 'Spine', '43', '1', '1-9', '10.1097/x2', '222'),
 (3, 1, 3, 40, 'raw', 'JOUR', 'Back pain in rats', 'Lee, K', 2017, 'Pain', NULL, NULL, NULL, '10.1016/x3', '333'),
 (4, 1, 4, 60, 'raw', 'JOUR', 'Discectomy outcomes at two years', 'García, María; Ruiz, P', 2020, 'Eur Spine J', '29', '4', '800-810', NULL, '444'),
 (5, 1, 5, 80, 'raw', 'JOUR', 'Epidural steroids, a cohort', 'Brown, T', 2016, 'BMJ', NULL, NULL, NULL, NULL, '555'),
 (6, 1, 6, 99, 'raw', 'JOUR', 'Early surgery for sciatica: a case series', 'White, S', 2015, 'Lancet', NULL, NULL, NULL, NULL, '666'),
 (7, 2, 1, 1, 'raw', 'JOUR', 'Surgery versus prolonged conservative treatment for sciatica.', 'Smith, J.; Doe, A.', 2019, 'New England Journal of Medicine', '356', '22', '2245', '10.1056/x1', NULL),
 (8, 2, 2, 15, 'raw', 'JOUR', 'Microdiscectomy in lumbar disc herniation: protocol', 'Jones, Mary', 2017, 'BMJ Open', NULL, NULL, NULL, NULL, NULL),
 (9, 2, 3, 30, 'raw', 'JOUR', 'Back pain in rats', 'Lee, K.', 2017, 'Pain', NULL, NULL, NULL, '10.1016/x3', NULL),
 (10, 2, 4, 45, 'raw', 'JOUR', 'Physiotherapy for radicular pain', 'Kim, H', 2021, 'Physiotherapy', NULL, NULL, NULL, NULL, NULL),
 (11, 2, 5, 60, 'raw', 'JOUR', 'Sequestrectomy trial', 'Novak, P', 2022, 'Spine J', NULL, NULL, NULL, NULL, NULL),
 (18, 2, 6, 75, 'raw', 'JOUR', 'Sciatica in children', 'Olsen, B', 2019, 'Pediatrics', NULL, NULL, NULL, NULL, NULL),
 (12, 3, 1, 2, 'raw', NULL, 'Back pain in rats (registry entry)', 'Lee, K', 2017, NULL, NULL, NULL, NULL, '10.1016/x3', NULL),
 (13, 3, 2, 3, 'raw', NULL, 'Surgery for sciatica in adolescents', 'Park, J', 2023, NULL, NULL, NULL, NULL, NULL, NULL),
 (14, 3, 3, 4, 'raw', NULL, 'Nerve root block trial', 'Diaz, R', 2024, NULL, NULL, NULL, NULL, NULL, NULL),
 (15, 4, 1, 1, 'raw', 'JOUR', 'Discectomy outcomes at two years', 'Garcia, M', 2020, 'Eur Spine J', NULL, NULL, NULL, NULL, '444'),
 (16, 4, 2, 12, 'raw', 'JOUR', 'Tubular discectomy, a randomised trial', 'Smith, Anna', 2019, 'Spine', '44', '3', '100-108', '10.1097/x16', NULL),
 (17, 4, 3, 24, 'raw', 'JOUR', 'Tubular discectomy: a randomized trial', 'Smith, A', 2019, 'Spine', '44', '3', '100', '10.1097/x16', NULL);
INSERT INTO dedup_links(id, a, b, decision, method, score, replaces, decided_by, decided_at) VALUES
 (1, 1, 7, 'duplicate', 'doi', NULL, NULL, 'ann', '2026-10-03T09:00:00Z'),
 (2, 2, 8, 'duplicate', 'auto', 0.97, NULL, 'ann', '2026-10-03T09:00:00Z'),
 (3, 3, 9, 'duplicate', 'doi', NULL, NULL, 'ann', '2026-10-03T09:00:00Z'),
 (4, 9, 12, 'duplicate', 'doi', NULL, NULL, 'ann', '2026-10-03T09:00:00Z'),
 (5, 2, 8, 'distinct', 'manual', NULL, 2, 'bob', '2026-10-04T09:00:00Z'),
 (6, 4, 15, 'duplicate', 'pmid', NULL, NULL, 'ann', '2026-10-21T09:00:00Z'),
 (7, 16, 17, 'duplicate', 'doi', NULL, NULL, 'ann', '2026-10-21T09:00:00Z');
-- stage 1 (title and abstract)
INSERT INTO screening(id, record_id, stage, reviewer, decision, reason, note, via, replaces, decided_at) VALUES
 (1, 1, 1, 'ann', 'include', NULL, NULL, 'screen', NULL, '2026-10-05T09:00:00Z'),
 (2, 1, 1, 'bob', 'include', NULL, NULL, 'screen', NULL, '2026-10-05T09:00:00Z'),
 (3, 2, 1, 'ann', 'include', NULL, NULL, 'screen', NULL, '2026-10-05T09:00:00Z'),
 (4, 2, 1, 'bob', 'exclude', 'Not a trial', NULL, 'screen', NULL, '2026-10-05T09:00:00Z'),
 (5, 3, 1, 'ann', 'exclude', 'Animal study', NULL, 'screen', NULL, '2026-10-05T09:00:00Z'),
 (6, 3, 1, 'bob', 'exclude', 'Animal study', NULL, 'screen', NULL, '2026-10-05T09:00:00Z'),
 (7, 4, 1, 'ann', 'include', NULL, NULL, 'screen', NULL, '2026-10-05T09:00:00Z'),
 (8, 4, 1, 'bob', 'include', NULL, NULL, 'screen', NULL, '2026-10-05T09:00:00Z'),
 (9, 5, 1, 'ann', 'maybe', NULL, NULL, 'screen', NULL, '2026-10-05T09:00:00Z'),
 (10, 5, 1, 'bob', 'include', NULL, NULL, 'screen', NULL, '2026-10-05T09:00:00Z'),
 (11, 6, 1, 'ann', 'exclude', 'Not a trial', NULL, 'screen', NULL, '2026-10-05T09:00:00Z'),
 (12, 6, 1, 'bob', 'include', NULL, NULL, 'screen', NULL, '2026-10-05T09:00:00Z'),
 (13, 6, 1, 'ann', 'include', NULL, 'changed my mind', 'screen', 11, '2026-10-06T09:00:00Z'),
 (14, 8, 1, 'ann', 'exclude', 'Protocol', NULL, 'screen', NULL, '2026-10-05T09:00:00Z'),
 (15, 8, 1, 'bob', 'exclude', 'Protocol', NULL, 'screen', NULL, '2026-10-05T09:00:00Z'),
 (16, 10, 1, 'ann', 'include', NULL, NULL, 'screen', NULL, '2026-10-05T09:00:00Z'),
 (17, 10, 1, 'bob', 'exclude', 'Not a trial', NULL, 'screen', NULL, '2026-10-05T09:00:00Z'),
 (18, 11, 1, 'ann', 'include', NULL, NULL, 'csv', NULL, '2026-10-05T09:00:00Z'),
 (19, 13, 1, 'ann', 'include', NULL, NULL, 'screen', NULL, '2026-10-05T09:00:00Z'),
 (20, 13, 1, 'bob', 'include', NULL, NULL, 'screen', NULL, '2026-10-05T09:00:00Z'),
 (21, 18, 1, 'ann', 'include', NULL, NULL, 'screen', NULL, '2026-10-05T09:00:00Z'),
 (22, 18, 1, 'bob', 'include', NULL, NULL, 'screen', NULL, '2026-10-05T09:00:00Z'),
 (23, 17, 1, 'ann', 'include', NULL, NULL, 'screen', NULL, '2026-10-22T09:00:00Z'),
 (24, 17, 1, 'bob', 'include', NULL, NULL, 'screen', NULL, '2026-10-22T09:00:00Z');
INSERT INTO resolutions(id, record_id, stage, decision, reason, note, replaces, resolved_by, resolved_at) VALUES
 (1, 2, 1, 'include', NULL, 'discussed', NULL, 'cat', '2026-10-07T09:00:00Z');
-- stage 2 (full text)
INSERT INTO screening(id, record_id, stage, reviewer, decision, reason, note, via, replaces, decided_at) VALUES
 (25, 1, 2, 'ann', 'include', NULL, NULL, 'screen', NULL, '2026-11-01T09:00:00Z'),
 (26, 1, 2, 'bob', 'include', NULL, NULL, 'screen', NULL, '2026-11-01T09:00:00Z'),
 (27, 2, 2, 'ann', 'not_retrieved', NULL, NULL, 'screen', NULL, '2026-11-01T09:00:00Z'),
 (28, 2, 2, 'bob', 'not_retrieved', NULL, NULL, 'screen', NULL, '2026-11-01T09:00:00Z'),
 (29, 4, 2, 'ann', 'include', NULL, NULL, 'screen', NULL, '2026-11-01T09:00:00Z'),
 (30, 4, 2, 'bob', 'exclude', 'Wrong population', NULL, 'screen', NULL, '2026-11-01T09:00:00Z'),
 (31, 6, 2, 'ann', 'exclude', 'Wrong study design', NULL, 'screen', NULL, '2026-11-01T09:00:00Z'),
 (32, 6, 2, 'bob', 'exclude', 'Wrong study design', NULL, 'screen', NULL, '2026-11-01T09:00:00Z'),
 (33, 13, 2, 'ann', 'exclude', 'Wrong population', NULL, 'screen', NULL, '2026-11-01T09:00:00Z'),
 (34, 13, 2, 'bob', 'exclude', 'Wrong population', NULL, 'screen', NULL, '2026-11-01T09:00:00Z'),
 (35, 18, 2, 'ann', 'exclude', 'Wrong population', NULL, 'screen', NULL, '2026-11-01T09:00:00Z'),
 (36, 18, 2, 'bob', 'exclude', 'Wrong population', NULL, 'screen', NULL, '2026-11-01T09:00:00Z'),
 (37, 17, 2, 'ann', 'include', NULL, NULL, 'screen', NULL, '2026-11-02T09:00:00Z'),
 (38, 17, 2, 'bob', 'include', NULL, NULL, 'screen', NULL, '2026-11-02T09:00:00Z');
COMMIT;
