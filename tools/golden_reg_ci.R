#!/usr/bin/env Rscript
## tools/golden_reg_ci.R -- golden values for the Q-profile CI of the residual tau^2 of a
## meta-regression (msyn_reg with tau2_ci: metafor's confint(rma(yi, vi, mods = ...))).
##
## Reference: R metafor 3.8-1 + metadat (Debian packages).
## Usage: Rscript tools/golden_reg_ci.R tests/golden_reg_ci
##
## Writes into the directory:
##   data/<model>.csv   yi, vi, x0..x{p-1}: the design matrix of the complete rows
##   ci.csv             one row per model x method x test x level x control:
##                      confint(res, level = L, control = C)$random and its signs
##   SOURCE.md          the R calls, versions and data sets
## Deterministic: running twice gives byte-identical files.

suppressPackageStartupMessages({
  library(metafor)
  library(metadat)
})
options(warn = -1, stringsAsFactors = FALSE)

args <- commandArgs(trailingOnly = TRUE)
OUT <- if (length(args)) args[1] else "tests/golden_reg_ci"
dir.create(file.path(OUT, "data"), recursive = TRUE, showWarnings = FALSE)

METHODS <- c("DL", "REML", "ML", "PM", "SJ", "HE")
TESTS <- c("z", "knha")
## control "default": confint's uniroot with tol = .Machine$double.eps^0.25 and the search
## limited to [0, max(100, 10 tau2)]; "tight": tol = 1e-12 and tau2.max = 1e4
TIGHT <- list(tol = 1e-12, tau2.max = 1e4)

fnum <- function(x) {
  x <- as.double(x)
  out <- sprintf("%.17g", x)
  out[is.na(x)] <- "NA"
  out
}

models <- list()
add_model <- function(name, yi, vi, X, call, levels = 95) {
  ok <- complete.cases(cbind(yi, vi, X))
  models[[name]] <<- list(yi = as.double(yi[ok]), vi = as.double(vi[ok]),
                          X = X[ok, , drop = FALSE], call = call, levels = levels)
}
design <- function(formula, data) {
  mf <- model.frame(formula, data, na.action = na.pass)
  X <- model.matrix(formula, mf)
  attr(X, "assign") <- NULL
  attr(X, "contrasts") <- NULL
  X
}

bcg <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
for (m in list(list("bcg_ablat", ~ ablat), list("bcg_year", ~ year),
               list("bcg_ablat_year", ~ ablat + year), list("bcg_alloc", ~ factor(alloc)),
               list("bcg_alloc_noint", ~ factor(alloc) - 1))) {
  add_model(m[[1]], bcg$yi, bcg$vi, design(m[[2]], bcg),
            sprintf("dat <- escalc(measure=\"RR\", ai=tpos, bi=tneg, ci=cpos, di=cneg, data=dat.bcg); rma(yi, vi, mods = %s, data=dat, ...)",
                    deparse(m[[2]])),
            levels = if (m[[1]] == "bcg_ablat") c(90, 95, 99) else 95)
}
bd <- dat.bangertdrowns2004
bd <- bd[complete.cases(bd[, c("yi", "vi", "length", "grade", "wic")]), ]
add_model("bangertdrowns_length", bd$yi, bd$vi, design(~ length, bd),
          "bd <- dat.bangertdrowns2004; bd <- bd[complete.cases(bd[, c(\"yi\",\"vi\",\"length\",\"grade\",\"wic\")]), ]; rma(yi, vi, mods = ~ length, data=bd, ...)")
add_model("bangertdrowns_grade_wic", bd$yi, bd$vi, design(~ factor(grade) + wic, bd),
          "(bd as above) rma(yi, vi, mods = ~ factor(grade) + wic, data=bd, ...)")
rd <- dat.raudenbush1985
add_model("raudenbush_weeks", rd$yi, rd$vi, design(~ weeks, rd),
          "rma(yi, vi, mods = ~ weeks, data=dat.raudenbush1985, ...)")

## random data sets (k 6 to 50, p 2 to 4, tau2 0 to 1)
set.seed(20260414)
rand <- list(c(6, 2, 0.1), c(10, 3, 0.3), c(15, 2, 0), c(25, 4, 0.05), c(50, 3, 1))
for (i in seq_along(rand)) {
  k <- rand[[i]][1]; p <- rand[[i]][2]; tau2 <- rand[[i]][3]
  X <- cbind(1, matrix(round(rnorm(k * (p - 1), 10, 5), 2), k, p - 1))
  if (p >= 3) X[, 3] <- rbinom(k, 1, 0.4)
  vi <- round(runif(k, 0.01, 0.5), 4)
  yi <- round(c(X %*% c(0.3, rnorm(p - 1, 0, 0.05))) + rnorm(k, 0, sqrt(vi + tau2)), 4)
  colnames(X) <- c("intrcpt", paste0("x", seq_len(p - 1)))
  add_model(sprintf("random_k%d_p%d", k, p), yi, vi, X,
            sprintf("random: set.seed(20260414), data set %d (true tau2 %g); rma(yi, vi, mods = X[, -1], ...)",
                    i, tau2))
}
## no intercept: Q uses the uncentred y (metafor's .QE.func)
k <- 15
X <- cbind(x1 = round(runif(k, 0.5, 2), 3), x2 = round(runif(k, -1, 1), 3))
vi <- round(runif(k, 0.02, 0.2), 4)
yi <- round(c(X %*% c(0.4, -0.3)) + rnorm(k, 0, sqrt(vi + 0.1)), 4)
add_model("random_noint", yi, vi, X, "random, no intercept: rma(yi, vi, mods = X, intercept = FALSE, ...)")
## tiny residual heterogeneity: Q(0) below the lower chi^2 quantile, the CI is {0}
k <- 12
X <- cbind(intrcpt = 1, x1 = round(runif(k, 0, 10), 2))
vi <- round(runif(k, 0.1, 0.3), 4)
yi <- round(0.2 + 0.05 * X[, 2] + rnorm(k, 0, 0.03), 4)
add_model("tiny_het", yi, vi, X,
          "random, residual SD 0.03 against vi 0.1-0.3 (CI is {0}); rma(yi, vi, mods = X[, -1], ...)")
## big residual heterogeneity: upper bound above metafor's default search limit of 100
k <- 8
X <- cbind(intrcpt = 1, x1 = round(runif(k, 0, 10), 2))
vi <- round(runif(k, 0.01, 0.05), 4)
yi <- round(1 + 0.1 * X[, 2] + rnorm(k, 0, 12), 4)
add_model("huge_het", yi, vi, X,
          "random, residual SD 12 against vi 0.01-0.05 (upper bound > 100); rma(yi, vi, mods = X[, -1], ...)")

rows <- character(0)
COLS <- c("model", "method", "test", "level", "control", "k", "p", "tau2", "vt",
          "tau2_lb", "tau2_ub", "tau_lb", "tau_ub", "I2_lb", "I2_ub", "H2_lb", "H2_ub",
          "lb_sign", "ub_sign", "ci_null")
for (name in names(models)) {
  mo <- models[[name]]
  X <- mo$X
  p <- ncol(X)
  int <- all(X[, 1] == 1)
  Xm <- if (int) X[, -1, drop = FALSE] else X
  d <- cbind(yi = mo$yi, vi = mo$vi, X)
  colnames(d) <- c("yi", "vi", paste0("x", seq_len(p) - 1))
  writeLines(c(paste(colnames(d), collapse = ","),
               apply(d, 1, function(r) paste(fnum(r), collapse = ","))),
             file.path(OUT, "data", paste0(name, ".csv")))
  for (method in METHODS) for (test in TESTS) {
    res <- rma(mo$yi, mo$vi, mods = Xm, intercept = int, method = method, test = test)
    for (level in mo$levels) for (ctl in c("default", "tight")) {
      con <- if (ctl == "tight") TIGHT else list()
      ci <- confint(res, level = level, control = con)
      r <- ci$random
      sg <- function(s) if (s == "") "=" else s
      v <- c(res$k, res$p, res$tau2, res$vt, r[1, 2], r[1, 3], r[2, 2], r[2, 3], r[3, 2],
             r[3, 3], r[4, 2], r[4, 3])
      rows <- c(rows, paste(name, method, test, level, ctl, paste(fnum(v), collapse = ","),
                            sg(ci$lb.sign), sg(ci$ub.sign), as.integer(ci$ci.null), sep = ","))
    }
  }
}
writeLines(c(paste(COLS, collapse = ","), rows), file.path(OUT, "ci.csv"))

src <- c("# Golden values for the Q-profile CI of the residual tau^2 (msyn_reg)", "",
         sprintf("Generated by `Rscript tools/golden_reg_ci.R tests/golden_reg_ci` with %s, metafor %s, metadat %s.",
                 R.version.string, packageVersion("metafor"), packageVersion("metadat")), "",
         "Every model is fitted with every method in {DL, REML, ML, PM, SJ, HE} and test in {z, knha}:", "",
         "    res <- rma(yi, vi, mods = X[, -1] (or X), intercept = <column 0 is ones>, method = M, test = T)",
         "    ci  <- confint(res, level = L, control = C)", "",
         "L is 95 (bcg_ablat also 90 and 99). C: `default` = list() (uniroot tol =",
         ".Machine$double.eps^0.25 = 1.22e-4, search on [0, max(100, 10 tau2)]); `tight` =",
         "`list(tol = 1e-12, tau2.max = 1e4)`. ci.csv holds ci$random (tau^2, tau, I^2(%), H^2",
         "bounds), res$tau2, res$vt, and ci$lb.sign / ci$ub.sign (\"=\" for none, \">\" when the",
         "bound is the end of the search interval) and ci$ci.null.", "",
         "## Models (data/<model>.csv: the complete rows, yi, vi and the design matrix)", "",
         sprintf("- `%s`: %s", names(models), sapply(models, `[[`, "call")))
writeLines(src, file.path(OUT, "SOURCE.md"))
