#!/usr/bin/env python3
"""make_set.py - the labelled deduplication test set of `metasyn review dedup`.

Base papers are drawn (fixed seed) from the word lists below; each gets
authors, a journal, year, volume, pages, DOI and PMID.  Some are exported
again "from another database" with the changes real exports show
(author formats, abbreviated journal names, missing DOI/PMID, subtitle
dropped, HTML and accents in titles, typos, upper case, preprint versions).
Traps are different papers that look alike: errata, conference abstracts of
a paper, Part 1 / Part 2, 12- versus 24-month reports, series with the same
title pattern, updated reviews.  The last column, cluster, labels the paper:
records with the same cluster are duplicates.

  python3 make_set.py > records.csv            (the committed set, 1 000 records)
  python3 make_set.py --n 50000 > big.csv      (the performance file)

Python 3 standard library only.
"""
import csv
import random
import sys

SURNAMES = [
    "Smith", "Jones", "Müller", "García", "Østergaard", "O'Brien", "Nguyễn", "Kowalski",
    "Johansson", "Rossi", "Dubois", "van der Berg", "Schmidt", "Tanaka", "Kim", "Chen",
    "Petersen", "Andersson", "Martínez", "Fernández", "Novák", "Lehmann", "Bianchi",
    "Hansen", "Larsen", "Wright", "Taylor", "Brown", "Wilson", "Thompson", "Jørgensen",
    "Svensson", "Koch", "Weber", "Moreau", "Lefèvre", "Costa", "Silva", "Santos", "Oliveira",
    "Papadopoulos", "Yılmaz", "Kovačević", "Horváth", "Nowak", "Wiśniewski", "Ahmed", "Khan",
    "Singh", "Patel", "Murphy", "Kelly", "Walsh", "Byrne", "Ryan", "Clarke", "Hughes",
    "Evans", "Roberts", "Lewis", "Walker", "Hall", "Young", "King", "Green", "Baker",
]
FIRST = ["John", "Anna", "Peter", "Maria", "Lars", "Sofia", "Thomas", "Eva", "Michael",
         "Julia", "David", "Laura", "Henrik", "Ingrid", "Paolo", "Chiara", "José", "Ana",
         "Kenji", "Min-jun", "Wei", "Fatima", "Rahul", "Siobhán", "Zoë", "François"]
JOURNALS = [
    ("Journal of Clinical Epidemiology", "J Clin Epidemiol"), ("The Lancet", "Lancet"),
    ("British Medical Journal", "BMJ"), ("JAMA Internal Medicine", "JAMA Intern Med"),
    ("Annals of Internal Medicine", "Ann Intern Med"),
    ("New England Journal of Medicine", "N Engl J Med"),
    ("Cochrane Database of Systematic Reviews", "Cochrane Database Syst Rev"),
    ("European Spine Journal", "Eur Spine J"), ("Clinical Rehabilitation", "Clin Rehabil"),
    ("Physical Therapy", "Phys Ther"),
    ("Archives of Physical Medicine and Rehabilitation", "Arch Phys Med Rehabil"),
    ("American Journal of Epidemiology", "Am J Epidemiol"),
    ("International Journal of Epidemiology", "Int J Epidemiol"),
    ("Journal of the American Geriatrics Society", "J Am Geriatr Soc"),
    ("Age and Ageing", "Age Ageing"), ("Diabetes Care", "Diabetes Care"),
    ("European Heart Journal", "Eur Heart J"), ("Psychological Medicine", "Psychol Med"),
    ("Journal of Affective Disorders", "J Affect Disord"), ("PLOS ONE", "PLoS One"),
    ("BMC Musculoskeletal Disorders", "BMC Musculoskelet Disord"), ("Trials", "Trials"),
    ("Annals of the Rheumatic Diseases", "Ann Rheum Dis"),
    ("Osteoarthritis and Cartilage", "Osteoarthritis Cartilage"), ("Journal of Pain", "J Pain"),
    ("Spine", "Spine (Phila Pa 1976)"), ("Rheumatology", "Rheumatology (Oxford)"),
]
INTERVENTIONS = [
    "exercise therapy", "spinal manipulation", "cognitive behavioural therapy", "acupuncture",
    "early surgery", "epidural steroid injection", "physiotherapy", "yoga", "pregabalin",
    "gabapentin", "NSAIDs", "opioid tapering", "mindfulness-based stress reduction",
    "a back school programme", "massage", "tai chi", "graded activity", "pain education",
    "motor control exercise", "McKenzie therapy", "radiofrequency denervation",
    "duloxetine", "paracetamol", "a walking programme", "telerehabilitation",
    "a multidisciplinary programme", "heat wrap therapy", "transcutaneous nerve stimulation",
    "aquatic exercise", "Pilates", "whole-body vibration", "hip arthroscopy",
    "total knee replacement", "intra-articular hyaluronic acid", "platelet-rich plasma",
    "metformin", "vitamin D supplementation", "dietary counselling", "smoking cessation support",
    "a digital self-management app",
]
CONDITIONS = [
    "sciatica", "chronic low back pain", "neck pain", "knee osteoarthritis", "hip osteoarthritis",
    "fibromyalgia", "rheumatoid arthritis", "lumbar spinal stenosis", "whiplash injury",
    "shoulder impingement", "plantar fasciitis", "tension-type headache", "migraine",
    "type 2 diabetes", "heart failure", "depression", "generalised anxiety disorder",
    "osteoporosis", "frailty", "hip fracture", "chronic widespread pain", "tennis elbow",
    "carpal tunnel syndrome", "ankylosing spondylitis", "gout", "Achilles tendinopathy",
    "patellofemoral pain", "temporomandibular disorders", "complex regional pain syndrome",
    "post-operative pain",
]
POPULATIONS = [
    "older adults", "working-age adults", "primary care patients", "women", "men", "adolescents",
    "nursing home residents", "military personnel", "athletes", "manual workers",
    "people with obesity", "veterans", "pregnant women", "office workers", "people on sick leave",
]
OUTCOMES = [
    "pain intensity", "disability", "return to work", "quality of life", "physical function",
    "sleep quality", "opioid use", "health care costs", "fear of movement", "falls",
    "mortality", "hospital admissions", "depressive symptoms", "walking speed", "grip strength",
    "sick leave", "patient satisfaction", "global perceived effect", "self-efficacy", "adherence",
]
TEMPLATES = [
    "{I} versus usual care for {C} in {P}: a randomised controlled trial",
    "Effect of {I} on {O} in {P} with {C}: a systematic review and meta-analysis",
    "{I} for {C}: five-year follow-up of a prospective cohort",
    "Long-term {O} after {I} in {P} with {C}",
    "Is {I} effective for {O} in {C}? A pragmatic trial",
    "{O} among {P} with {C}: a cross-sectional study",
    "Cost-effectiveness of {I} compared with {I2} for {C}",
    "Predictors of {O} in {P} treated with {I} for {C}",
]
SUBTITLED = [0, 1, 2, 4, 5]  # templates with a subtitle after ':' or '?'


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.rows = []
        self.cluster = 0
        self.titles = set()

    def authors(self):
        return [(self.r.choice(SURNAMES), self.r.choice(FIRST), self.r.choice(FIRST))
                for _ in range(self.r.randint(1, 6))]

    def base(self):
        r = self.r
        while True:
            t = r.randrange(len(TEMPLATES))
            i, i2 = r.sample(INTERVENTIONS, 2)
            title = TEMPLATES[t].format(I=i, I2=i2, C=r.choice(CONDITIONS),
                                        P=r.choice(POPULATIONS), O=r.choice(OUTCOMES))
            title = title[0].upper() + title[1:]
            if title not in self.titles:
                break
        self.titles.add(title)
        j = r.randrange(len(JOURNALS))
        first = r.randint(1, 2900)
        self.cluster += 1
        return {
            "title": title, "template": t, "authors": self.authors(),
            "year": r.randint(2000, 2024), "journal": j, "volume": str(r.randint(1, 400)),
            "issue": str(r.randint(1, 12)), "pages": "%d-%d" % (first, first + r.randint(3, 14)),
            "doi": "10.%d/%s.%d.%05d" % (r.choice([1016, 1136, 1001, 1186, 1097, 1371, 1002]),
                                         r.choice(["jce", "bmj", "s12891", "pain", "rheum"]),
                                         r.randint(2000, 2024), r.randint(0, 99999)),
            "pmid": str(r.randint(10000000, 39999999)), "cluster": self.cluster,
        }

    # ---- how an export writes a record -------------------------------------------

    def fmt_authors(self, auth, style):
        out = []
        for last, first, middle in auth:
            if style == 0:
                out.append("%s, %s" % (last, first))
            elif style == 1:
                out.append("%s %s%s" % (last, first[0], middle[0]))
            else:
                out.append("%s. %s" % (first[0], last))
        return ("; " if style != 1 else ", ").join(out)

    def emit(self, rec, title=None, authors=None, year=None, journal=None, volume=None,
             issue=None, pages=None, doi=None, pmid=None, cluster=None):
        self.rows.append([
            title if title is not None else rec["title"],
            authors if authors is not None else self.fmt_authors(rec["authors"], 0),
            year if year is not None else rec["year"],
            journal if journal is not None else JOURNALS[rec["journal"]][0],
            volume if volume is not None else rec["volume"],
            issue if issue is not None else rec["issue"],
            pages if pages is not None else rec["pages"],
            doi if doi is not None else rec["doi"],
            pmid if pmid is not None else rec["pmid"],
            cluster if cluster is not None else rec["cluster"],
        ])

    # ---- duplicates ----------------------------------------------------------------

    def typo(self, s):
        r = self.r
        k = r.randrange(3, len(s) - 3)
        op = r.randrange(3)
        if op == 0:
            return s[:k] + s[k + 1:]
        if op == 1:
            return s[:k] + s[k + 1] + s[k] + s[k + 2:]
        return s[:k] + r.choice("aeiou") + s[k:]

    def duplicate(self, rec):
        """The same paper as another database exports it."""
        r = self.r
        title = rec["title"]
        kind = r.choice(["format", "format", "subtitle", "html", "typo", "upper", "accents",
                         "nodoi", "preprint", "preprint", "combo", "noauthors", "replication"])
        if kind == "replication":  # a trap after all: same title, later, other authors
            self.cluster += 1
            self.emit(rec, authors=self.fmt_authors(self.authors(), 0), year=rec["year"] + 3,
                      journal=JOURNALS[(rec["journal"] + 1) % len(JOURNALS)][0], doi="", pmid="",
                      cluster=self.cluster)
            return
        authors = self.fmt_authors(rec["authors"], r.randrange(3))
        journal = JOURNALS[rec["journal"]][r.randrange(2)]
        doi = rec["doi"] if r.random() < 0.6 else ""
        pmid = rec["pmid"] if r.random() < 0.5 else ""
        year, pages, volume, issue = rec["year"], rec["pages"], rec["volume"], rec["issue"]
        if kind == "subtitle" and rec["template"] in SUBTITLED:
            cut = min(i for i in (title.find(":"), title.find("?")) if i > 0)
            title = title[:cut]
        elif kind == "html":
            w = title.split(" ")
            k = r.randrange(len(w))
            w[k] = "<i>%s</i>" % w[k]
            title = " ".join(w).replace(" and ", " &amp; ")
        elif kind == "typo":
            title = self.typo(title)
        elif kind == "upper":
            title = title.upper()
        elif kind == "accents":
            tr = str.maketrans("üíéèáóøåçñõãıłść", "uieeaooacnoailsc")
            authors = authors.translate(tr).replace("ễ", "e").replace("ğ", "g")
            title = title.rstrip(".") + "."
        elif kind == "nodoi":
            doi, pmid = "", ""
        elif kind == "noauthors":
            authors, doi = "", ""
        elif kind == "combo":  # several small differences at once
            title = self.typo(title.replace(" and ", " & "))
            first = rec["authors"][0]
            authors = "%s %s" % (self.typo(first[0]) if len(first[0]) > 6 else first[0],
                                 first[1][0])
            journal, doi, pmid = JOURNALS[rec["journal"]][1], "", ""
        elif kind == "preprint":
            w = title.split(" ")
            change = r.randrange(3)
            if change == 0:
                title = title.replace(": a ", ": results of a ", 1) if ": a " in title else \
                    title + " (preprint)"
            elif change == 1:
                title = title.replace(" in ", " among ", 1)
            elif w[-1] == "trial":
                title = " ".join(w[:-1] + ["study"])
            else:
                title = title.replace("Effect of", "Effects of").replace("Long-term", "Longer-term")
            journal = r.choice(["medRxiv", "bioRxiv", "Research Square", "SSRN Electronic Journal"])
            doi = "10.1101/%d.%02d.%02d.%08d" % (rec["year"] - 1, r.randint(1, 12),
                                                 r.randint(1, 28), r.randint(0, 99999999))
            pmid, pages, volume, issue = "", "", "", ""
            year = rec["year"] - r.randrange(2)
        if kind != "preprint" and r.random() < 0.2:
            pages = pages.split("-")[0]  # first page only
        self.emit(rec, title=title, authors=authors, year=year, journal=journal, volume=volume,
                  issue=issue, pages=pages, doi=doi, pmid=pmid)

    # ---- traps: different papers that look alike ---------------------------------

    def trap(self, rec):
        r = self.r
        kind = r.choice(["erratum", "abstract", "part", "followup", "series", "update"])
        self.cluster += 1
        c = self.cluster
        doi = "10.%d/x.%d" % (r.randint(1000, 1200), r.randint(0, 10 ** 7))
        pmid = str(r.randint(10000000, 39999999))
        first = r.randint(1, 2900)
        pages = "%d-%d" % (first, first + 8)
        if kind == "erratum":
            self.emit(rec, title="Erratum: " + rec["title"], year=rec["year"] + 1,
                      pages=str(first), volume=str(int(rec["volume"]) + 1), doi=doi, pmid=pmid,
                      cluster=c, authors="")
        elif kind == "abstract":
            self.emit(rec, year=rec["year"] - 1, journal="Annals of the Rheumatic Diseases "
                      "(abstracts of the EULAR congress)", volume="%d Suppl 2" % r.randint(60, 80),
                      issue="", pages="S%d" % r.randint(10, 999), doi="", pmid="", cluster=c)
        elif kind == "part":
            for part, what in ((1, "design and baseline characteristics"), (2, "main results")):
                self.emit(rec, title="%s. Part %d: %s" % (rec["title"].split(":")[0].rstrip("?"),
                                                          part, what),
                          pages="%d-%d" % (first + 20 * part, first + 20 * part + 9),
                          doi="%s.p%d" % (doi, part), pmid=str(int(pmid) + part),
                          cluster=c if part == 1 else c + 1)
            self.cluster += 1
        elif kind == "followup":
            for months in (12, 24):
                self.emit(rec, title="%s: %d-month results" % (rec["title"].split(":")[0],
                                                               months),
                          year=rec["year"] + months // 12, pages=pages,
                          doi="%s.m%d" % (doi, months), pmid=str(int(pmid) + months),
                          cluster=c if months == 12 else c + 1)
            self.cluster += 1
        elif kind == "series":
            pop = r.choice([p for p in POPULATIONS if p not in rec["title"]])
            title = rec["title"]
            for p in POPULATIONS:
                if p in title:
                    title = title.replace(p, pop, 1)
                    break
            else:
                title = title.replace(" for ", " for %s with " % pop, 1)
            self.emit(rec, title=title, authors=self.fmt_authors(self.authors(), 0),
                      pages=pages, doi=doi, pmid=pmid, cluster=c)
        else:
            self.emit(rec, title=rec["title"] + ": 2024 update", year=rec["year"] + 4,
                      volume=str(int(rec["volume"]) + 4), pages=pages, doi=doi, pmid=pmid,
                      cluster=c)


def main():
    n = 1000
    if len(sys.argv) == 3 and sys.argv[1] == "--n":
        n = int(sys.argv[2])
    g = Gen(20261123)
    while len(g.rows) < n:
        rec = g.base()
        g.emit(rec, authors=g.fmt_authors(rec["authors"], g.r.randrange(3)))
        u = g.r.random()
        if u < 0.35:
            g.duplicate(rec)
            if g.r.random() < 0.3:
                g.duplicate(rec)
        elif u < 0.47:
            g.trap(rec)
    g.rows = g.rows[:n]
    order = list(range(len(g.rows)))
    g.r.shuffle(order)
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["id", "title", "authors", "year", "journal", "volume", "issue", "pages", "doi",
                "pmid", "cluster"])
    for k, i in enumerate(order, 1):
        w.writerow([k] + g.rows[i])


if __name__ == "__main__":
    main()
