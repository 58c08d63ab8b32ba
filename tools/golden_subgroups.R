#!/usr/bin/env Rscript
## tools/golden_subgroups.R -- golden values for `pool --by` (separate tau2 per subgroup,
## RevMan's test for subgroup differences).
## R 4.2.2, metafor 3.8-1, metadat 1.2-0.  Usage: Rscript tools/golden_subgroups.R
## Writes tests/golden_subgroups/{input_*.csv,expected.csv}.
suppressPackageStartupMessages({ library(metafor); library(metadat) })
out <- "tests/golden_subgroups"
tight <- list(threshold = 1e-13, tol = 1e-15, maxiter = 10000)
f <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))
rows <- list()
add <- function(set, measure, method, test, group, r) {
  rows[[length(rows) + 1]] <<- data.frame(set = set, measure = measure, method = method, test = test,
    group = group, k = r$k, estimate = f(r$b[1]), se = f(r$se), ci_lb = f(r$ci.lb), ci_ub = f(r$ci.ub),
    pval = f(r$pval), tau2 = f(r$tau2), I2 = f(r$I2), Q = f(r$QE))
}
run <- function(set, measure, d, grp, levels) {
  for (method in c("EE", "DL", "REML")) for (test in c("z", "knha")) {
    est <- c(); se <- c()
    for (g in levels) {
      s <- d[grp == g, ]
      r <- rma(yi, vi, data = s, method = method, test = test, control = tight)
      add(set, measure, method, test, g, r)
      est <- c(est, r$b[1]); se <- c(se, r$se)
    }
    q <- rma(est, sei = se, method = "EE")
    rows[[length(rows) + 1]] <<- data.frame(set = set, measure = measure, method = method, test = test,
      group = "(test)", k = length(levels), estimate = "NA", se = "NA", ci_lb = "NA", ci_ub = "NA",
      pval = f(q$QEp), tau2 = "NA", I2 = "NA", Q = f(q$QE))
  }
}
## BCG trials, log RR, subgroups by allocation (order of first appearance)
b <- dat.bcg
write.csv(data.frame(study = paste(b$author, b$year), ai = b$tpos, bi = b$tneg, ci = b$cpos,
                     di = b$cneg, alloc = b$alloc), file.path(out, "input_bcg.csv"), row.names = FALSE, quote = FALSE)
d <- escalc("RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = b)
run("bcg", "RR", d, d$alloc, unique(as.character(b$alloc)))
## Bangert-Drowns 2004, SMD as given (yi, vi), subgroups by grade
bd <- dat.bangertdrowns2004[!is.na(dat.bangertdrowns2004$grade) & !is.na(dat.bangertdrowns2004$yi), ]
write.csv(data.frame(study = paste(bd$author, bd$year), yi = bd$yi, vi = bd$vi, grade = bd$grade),
          file.path(out, "input_bangertdrowns.csv"), row.names = FALSE, quote = TRUE)
run("bangertdrowns", "GEN", bd, bd$grade, unique(bd$grade))
write.csv(do.call(rbind, rows), file.path(out, "expected.csv"), row.names = FALSE, quote = FALSE)
