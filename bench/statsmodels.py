"""bench/statsmodels.py -- the statsmodels side of metasyn's benchmark.

    python3 bench/statsmodels.py DATA.csv OUT.csv [MIN_SECONDS]

Run by bench/run with a Python that can import statsmodels (Debian's
python3-statsmodels).  For every dataset of DATA.csv (id,yi,vi) it times

    res = combine_effects(yi, vi, method_re="iterated")
    res.conf_int(use_t=True)

i.e. Paule-Mandel tau^2 (statsmodels has no REML; its iteration stops when
|Q(tau2) - (k-1)| < 1e-5), the random-effects estimate with fixed-scale and
WLS-scale ("HKSJ") standard errors, and the confidence intervals with
t(k-1) critical values.  No CI for tau^2 and no prediction interval: less
work than a metasyn or metafor fit.  Time is process CPU time
(time.process_time), whole passes over all datasets repeated until
MIN_SECONDS (default 2) have been spent, after one warm-up pass; yi/vi are
numpy arrays prepared beforehand.

OUT.csv gets id,tau2,estimate,se,ci_lb,ci_ub where se and the CI are the
"random effect wls" row (HKSJ scale), comparable with metasyn's PM + knha.
Last line of stdout: "us_per_fit <mean>".
"""
import csv
import os
import sys
import time
import warnings

# This file is itself called statsmodels.py: keep its directory off the
# module path so that "import statsmodels" finds the real package.
_here = os.path.dirname(os.path.realpath(__file__))
sys.path = [p for p in sys.path if os.path.realpath(p or os.curdir) != _here]

import numpy as np  # noqa: E402
import statsmodels  # noqa: E402
from statsmodels.stats.meta_analysis import combine_effects  # noqa: E402


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: statsmodels.py DATA.csv OUT.csv [MIN_SECONDS]")
    min_s = float(sys.argv[3]) if len(sys.argv) == 4 else 2.0
    ids, ys, vs = [], [], []
    with open(sys.argv[1], newline="") as f:
        rd = csv.reader(f)
        if next(rd)[:3] != ["id", "yi", "vi"]:
            sys.exit("data file: header must be id,yi,vi")
        for row in rd:
            i = int(row[0])
            if not ids or ids[-1] != i:
                ids.append(i)
                ys.append([])
                vs.append([])
            ys[-1].append(float(row[1]))
            vs[-1].append(float(row[2]))
    data = [(np.array(y), np.array(v)) for y, v in zip(ys, vs)]
    n = len(data)

    warnings.simplefilter("ignore")  # numpy/statsmodels runtime warnings

    def fit(y, v):
        res = combine_effects(y, v, method_re="iterated")
        return res, res.conf_int(use_t=True)

    # estimates (and warm-up)
    with open(sys.argv[2], "w", newline="") as f:
        f.write("id,tau2,estimate,se,ci_lb,ci_ub\n")
        for i, (y, v) in zip(ids, data):
            res, ci = fit(y, v)
            ci_re_wls = ci[3]
            f.write("%d,%.17g,%.17g,%.17g,%.17g,%.17g\n" % (
                i, res.tau2, res.mean_effect_re, res.sd_eff_w_re_hksj,
                ci_re_wls[0], ci_re_wls[1]))

    passes, fits = 0, 0
    start = time.process_time()
    while True:
        for y, v in data:
            fit(y, v)
        passes += 1
        fits += n
        el = time.process_time() - start
        if el >= min_s:
            break
    # combine_effects alone, one pass, for the note
    t0 = time.process_time()
    for y, v in data:
        combine_effects(y, v, method_re="iterated")
    ce_only = time.process_time() - t0

    print("  statsmodels %s (numpy %s), Python %s: %d datasets, %d passes, %.2f s CPU"
          % (statsmodels.__version__, np.__version__, sys.version.split()[0], n,
             passes, el))
    print("  combine_effects alone: %.1f us/fit; + conf_int(use_t=True): %.1f us/fit"
          % (1e6 * ce_only / n, 1e6 * el / fits))
    print("us_per_fit %.6f" % (1e6 * el / fits))


if __name__ == "__main__":
    main()
