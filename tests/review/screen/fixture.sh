# fixture.sh - a small review for the screening tests: 6 records from one
# search (records 5 and 6 are duplicates: one cluster, canonical 5), two
# keywords.  Sourced by the review-screen-* and review-conflicts-* cases
# with $METASYN set and the current directory the test's $TMP.
$METASYN review init s.msr --title "Screening test" >/dev/null || exit 1
sqlite3 s.msr <<'SQL' || exit 1
INSERT INTO imports(id, source, file_name, file_sha256, format, n_records, imported_at, imported_by)
  VALUES (1, 'PubMed', 'pubmed.nbib', 'aa', 'medline', 6, '2026-11-20T10:00:00Z', 'ann');
INSERT INTO records(id, import_id, seq, line, raw, title, authors, year, journal, abstract) VALUES
 (1, 1, 1, 1, 'r1', 'Surgery versus prolonged conservative treatment for sciatica', 'Peul, WC; van Houwelingen, HC', 2007, 'N Engl J Med',
  'Background: Lumbar disc surgery is often performed in patients with sciatica. In this randomized trial, 283 patients were assigned to early surgery or prolonged conservative care.'),
 (2, 1, 2, 2, 'r2', 'Back pain in dogs: a case series', 'Vet, A', 2010, 'Vet Rec',
  'We describe twelve dogs with back pain treated in a veterinary clinic.'),
 (3, 1, 3, 3, 'r3', 'Microdiscectomy for lumbar disc herniation: randomised comparison', 'Smith, J', 2015, 'Spine',
  'A randomised trial of microdiscectomy against physiotherapy in adults with sciatica.'),
 (4, 1, 4, 4, 'r4', 'Opinion: why we operate', 'Jones, K', 2012, 'BMJ', NULL),
 (5, 1, 5, 5, 'r5', 'Epidural steroids for sciatica', 'Lee, S', 2018, 'Lancet', 'A randomized, placebo-controlled trial in 400 patients.'),
 (6, 1, 6, 6, 'r6', 'Epidural steroids for sciatica.', 'Lee S', 2018, 'Lancet', 'Duplicate.');
INSERT INTO dedup_links(a, b, decision, method, decided_by, decided_at)
  VALUES (5, 6, 'duplicate', 'manual', 'ann', '2026-11-20T11:00:00Z');
INSERT INTO keywords(word, kind) VALUES ('randomi', 'include'), ('dogs', 'exclude');
SQL
