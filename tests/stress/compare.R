# compare.R - the sampled comparison of tests/stress with metafor.
#
#   STRESS_DUMP=/tmp/sd/d build/tests/stress 100000 7
#   Rscript tests/stress/compare.R /tmp/sd/d
#
# The stress program writes every 97th data set of at most 200 studies
# (d.sets.csv) and its fits by every estimator under the z and the
# Knapp-Hartung test (d.fits.csv).  Each is refitted here with metafor's
# rma(): once with metafor's default control (to count its convergence
# failures) and once with tight control for the comparison: threshold
# 1e-12 with up to 10,000 iterations (ML, REML, EB), uniroot tolerance
# 1e-12 (PM; the default, .Machine$double.eps^0.25, leaves PM's tau2 off
# by up to 1e-4 relative) and an upper bound of 1e8 for tau2 (the default,
# 100, makes PM fail when tau2 is about 100).  Agreement is |ours - metafor| <=
# 1e-6 * (|metafor| + s), with s the scale of the quantity: the median vi
# for tau2 and its SE, its square root for the estimate and its SE (so a
# tau2 of 1e-15 against 0 on studies with vi 1 is agreement), and 1 for I2
# (percent) and Q.  Written for R 4.2.2 and metafor 3.8-1.
suppressMessages(library(metafor))
args <- commandArgs(trailingOnly = TRUE)
base <- if (length(args)) args[1] else "/tmp/sd/d"
sets <- read.csv(paste0(base, ".sets.csv"))
fits <- read.csv(paste0(base, ".fits.csv"), na.strings = c("nan", "-nan", "NA"))
cat(sprintf("metafor %s, %s\n", packageVersion("metafor"), R.version.string))
cat(sprintf("%d data sets, %d fits of ours\n", length(unique(sets$set)), nrow(fits)))
tight <- list(threshold = 1e-12, maxiter = 10000, tol = 1e-12, tau2.max = 1e8)
res <- list()
fails_default <- c(ML = 0, REML = 0, EB = 0, PM = 0, SJ = 0)
for (s in unique(sets$set)) {
  d <- sets[sets$set == s, ]
  if (nrow(d) < 2) next
  sc <- median(d$vi)
  ours <- fits[fits$set == s, ]
  for (r in seq_len(nrow(ours))) {
    o <- ours[r, ]
    if (o$status != 0) next
    m <- if (o$method == "EE") "EE" else as.character(o$method)
    test <- if (o$test == "knha") "knha" else "z"
    if (m %in% c("ML", "REML", "EB", "PM", "SJ") && test == "z") {
      ok <- tryCatch({ rma(d$yi, d$vi, method = m); TRUE }, error = function(e) FALSE)
      fails_default[m] <- fails_default[m] + !ok
    }
    f <- tryCatch(suppressWarnings(rma(d$yi, d$vi, method = m, test = test, control = tight)),
                  error = function(e) NULL)
    if (is.null(f)) {
      res[[length(res) + 1]] <- data.frame(method = m, test = test, set = s, scenario = d$scenario[1],
                                           metafor = "error", q = NA, dmax = NA, fallback = o$fallback,
                                           mf_tau2 = NA, mf_Q = NA, mf_I2 = NA)
      next
    }
    sc_t <- sc
    dd <- c(estimate = abs(o$estimate - f$b[1]) / (abs(f$b[1]) + sqrt(sc)),
            se = abs(o$se - f$se) / (abs(f$se) + sqrt(sc)),
            tau2 = abs(o$tau2 - f$tau2) / (abs(f$tau2) + sc_t),
            I2 = abs(o$I2 - f$I2) / (abs(f$I2) + 1),
            Q = abs(o$Q - f$QE) / (abs(f$QE) + 1))
    if (m != "EE" && !is.na(f$se.tau2) && !is.na(o$tau2_se))
      dd <- c(dd, tau2_se = abs(o$tau2_se - f$se.tau2) / (abs(f$se.tau2) + sc_t))
    res[[length(res) + 1]] <- data.frame(method = m, test = test, set = s, scenario = d$scenario[1],
                                         metafor = "ok", q = names(dd)[which.max(dd)], dmax = max(dd),
                                         fallback = o$fallback, mf_tau2 = f$tau2, mf_Q = f$QE,
                                         mf_I2 = f$I2)
  }
}
res <- do.call(rbind, res)
cat(sprintf("\n%-5s %-5s %6s %8s %8s %10s %s\n", "est", "test", "fits", "mf_err", "agree", "max_diff", "worst"))
for (m in unique(res$method)) for (t in c("z", "knha")) {
  x <- res[res$method == m & res$test == t, ]
  ok <- x[x$metafor == "ok", ]
  w <- if (nrow(ok)) ok[which.max(ok$dmax), ] else NULL
  cat(sprintf("%-5s %-5s %6d %8d %8d %10.2e %s\n", m, t, nrow(x), sum(x$metafor != "ok"),
              sum(ok$dmax <= 1e-6), if (nrow(ok)) max(ok$dmax) else NA,
              if (!is.null(w)) paste0(w$q, " (set ", w$set, ")") else ""))
}
cat("\nagreement by scenario (all estimators and tests; fits metafor could do):\n")
for (sc in unique(res$scenario)) {
  x <- res[res$scenario == sc & res$metafor == "ok", ]
  cat(sprintf("  %-22s %6d fits %6d agree  max_diff %.2e\n", sc, nrow(x), sum(x$dmax <= 1e-6), max(x$dmax)))
}
write.csv(res[res$metafor == "ok" & res$dmax > 1e-6, ], paste0(base, ".disagree.csv"), row.names = FALSE)
cat("\nmetafor's default control, z test: fits that stopped with an error (no convergence):\n")
for (m in names(fails_default)) cat(sprintf("  %-5s %d\n", m, fails_default[m]))
bad <- res[res$metafor == "ok" & res$dmax > 1e-6, ]
if (nrow(bad)) {
  cat("\ndisagreements beyond 1e-6:\n")
  print(head(bad[order(-bad$dmax), ], 30))
}
