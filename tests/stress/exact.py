#!/usr/bin/env python3
"""exact.py - arbitrate the disagreements that tests/stress/compare.R lists.

    python3 tests/stress/exact.py /tmp/sd/d

For every data set where metasyn and metafor disagree beyond 1e-6, Q (at
tau2 = 0) is computed in exact rational arithmetic (Python's fractions) from
the same doubles, and for the estimators with an estimating equation the
equation is evaluated exactly at each side's tau2: PM solves
Q(tau2) = k - 1; DL is (Q - (k - 1)) / (sum w - sum w^2 / sum w), truncated
at 0.  Where I2 is what disagrees, each side's I2 is checked against the
exact I2 at its own tau2 (the typical variance computed exactly).  Prints, per data set and estimator, which side the exact arithmetic
agrees with.
"""
import csv
import sys
from fractions import Fraction as F


def q_at(d, t):
    w = [1 / (v + t) for _, v in d]
    sw = sum(w)
    m = sum(wi * y for wi, (y, _) in zip(w, d)) / sw
    return sum(wi * (y - m) ** 2 for wi, (y, _) in zip(w, d))


def rel(a, b):
    return abs(a - b) / max(abs(b), 1e-300)


base = sys.argv[1] if len(sys.argv) > 1 else "/tmp/sd/d"
sets = {}
for r in csv.DictReader(open(base + ".sets.csv")):
    sets.setdefault(r["set"], []).append((F(float(r["yi"])), F(float(r["vi"]))))
ours = {}
for r in csv.DictReader(open(base + ".fits.csv")):
    if r["test"] == "z":
        ours[(r["set"], r["method"])] = r
tally = {"metasyn": 0, "metafor": 0, "neither": 0}
seen = set()
for r in csv.DictReader(open(base + ".disagree.csv")):
    key = (r["set"], r["method"])
    if key in seen:
        continue
    seen.add(key)
    d = sets[r["set"]]
    k = len(d)
    o = ours[key]
    q0 = float(q_at(d, F(0)))
    mq, fq = float(o["Q"]), float(r["mf_Q"])
    verdict = []
    verdict.append("Q exact %.12g: metasyn %.3g, metafor %.3g" % (q0, rel(mq, q0), rel(fq, q0)))
    best_q = "metasyn" if rel(mq, q0) < rel(fq, q0) else "metafor" if rel(fq, q0) < rel(mq, q0) else "neither"
    winner = best_q
    if r["method"] in ("PM", "EB", "DL"):
        mt, ft = F(float(o["tau2"])), F(float(r["mf_tau2"]))
        if r["method"] == "PM":
            # the root of Q(tau2) = k - 1 (0 when Q(0) <= k - 1)
            target = F(k - 1)
            qm, qf = q_at(d, mt), q_at(d, ft)
            em = 0 if (mt == 0 and q_at(d, F(0)) <= target) else abs(float(qm - target))
            ef = 0 if (ft == 0 and q_at(d, F(0)) <= target) else abs(float(qf - target))
            verdict.append("PM equation residual: metasyn %.3g, metafor %.3g" % (em, ef))
            if em != ef:
                winner = "metasyn" if em < ef else "metafor"
        elif r["method"] == "DL":
            w = [1 / v for _, v in d]
            sw = sum(w)
            sw2 = sum(x * x for x in w)
            t = (q_at(d, F(0)) - (k - 1)) / (sw - sw2 / sw)
            t = max(t, F(0))
            verdict.append("DL tau2 exact %.12g: metasyn %.3g, metafor %.3g" %
                           (float(t), abs(float(mt - t)), abs(float(ft - t))))
            if abs(mt - t) != abs(ft - t):
                winner = "metasyn" if abs(mt - t) < abs(ft - t) else "metafor"
    if r["q"] == "I2" and r["method"] != "EE":
        # I2 = 100 tau2 / (vt + tau2) with the typical variance vt exact:
        # each side's I2 against the exact I2 at that side's own tau2
        w = [1 / v for _, v in d]
        sw = sum(w)
        sw2 = sum(x * x for x in w)
        vt = (k - 1) * sw / (sw * sw - sw2)
        def i2(t):
            return float(100 * t / (vt + t)) if t > 0 else 0.0
        mt, ft = F(float(o["tau2"])), F(float(r["mf_tau2"]))
        em, ef = abs(float(o["I2"]) - i2(mt)), abs(float(r["mf_I2"]) - i2(ft))
        verdict.append("I2 at own tau2: metasyn off by %.3g, metafor by %.3g (tau2 %.6g vs %.6g)" %
                       (em, ef, float(mt), float(ft)))
        if max(em, ef) > 1e-9:
            winner = "metasyn" if em < ef else "metafor"
    if r["method"] in ("ML", "REML", "EB"):
        # the estimating equation at each side's tau2, exactly: ML's score
        # sum w^2 (y - mu)^2 - sum w, REML's y'PPy - tr(P), EB's (= PM's)
        # Q(tau2) - (k - 1); at an estimate above 0 it is 0, at 0 it may be
        # negative.  Relative to sum w (ML, REML) or k - 1 (EB).
        def score(t):
            w = [1 / (v + t) for _, v in d]
            sw = sum(w)
            mu = sum(wi * y for wi, (y, _) in zip(w, d)) / sw
            if r["method"] == "EB":
                # without moderators EB is the Paule-Mandel estimator
                # (metafor's documentation): Q(tau2) = k - 1
                return sum(wi * (y - mu) ** 2 for wi, (y, _) in zip(w, d)) - (k - 1), F(k - 1)
            s2 = sum(wi * wi * (y - mu) ** 2 for wi, (y, _) in zip(w, d))
            tr = sw if r["method"] == "ML" else sw - sum(wi * wi for wi in w) / sw
            return s2 - tr, sw
        def err(t):
            sc, scale = score(t)
            if t == 0 and sc <= 0:
                return 0.0
            return abs(float(sc / scale))
        mt, ft = F(float(o["tau2"])), F(float(r["mf_tau2"]))
        em, ef = err(mt), err(ft)
        verdict.append("%s equation residual (relative): metasyn %.3g, metafor %.3g" % (r["method"], em, ef))
        if max(em, ef) > 1e-9:
            winner = "metasyn" if em < ef else "metafor"
    tally[winner] += 1
    print("set %s %s (%s, k %d, worst %s): closer to exact: %s; %s" %
          (r["set"], r["method"], r["scenario"], k, r["q"], winner, "; ".join(verdict)))
print("\n%d disagreeing (set, estimator) pairs: exact arithmetic sides with metasyn in %d, "
      "with metafor in %d" % (len(seen), tally["metasyn"], tally["metafor"]))
