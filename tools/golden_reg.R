#!/usr/bin/env Rscript
## tools/golden_reg.R -- golden values for metasyn's meta-regression (msyn_reg).
##
## Reference: R metafor 3.8-1 + metadat (Debian packages).
## Usage: Rscript tools/golden_reg.R tests/golden_reg
##
## Writes into the directory:
##   data/<model>.csv   yi, vi, x0..x{p-1}: the full design matrix (model.matrix with
##                      na.action = na.pass, so rows with a missing moderator stay, as NA)
##   fits.csv           one row per model x method x test x control: model-level results
##   coef.csv           coefficients: b, se, stat, pval, ci_lb, ci_ub
##   vcov.csv           vcov(res), every element
##   pred.csv           predict(res, newmods = ...) at three points per model
##   models.csv         condition number of each design (columns scaled to unit length)
##   SOURCE.md          the R calls, versions and data sets
## Deterministic: running twice gives byte-identical files.

suppressPackageStartupMessages({
  library(metafor)
  library(metadat)
})
options(warn = -1, stringsAsFactors = FALSE)

args <- commandArgs(trailingOnly = TRUE)
OUT <- if (length(args)) args[1] else "tests/golden_reg"
dir.create(file.path(OUT, "data"), recursive = TRUE, showWarnings = FALSE)

METHODS <- c("EE", "DL", "HE", "HS", "SJ", "ML", "REML", "EB", "PM")
ITER <- c("ML", "REML", "EB", "PM")
TIGHT <- list(threshold = 1e-13, tol = 1e-15, maxiter = 10000)

fnum <- function(x) {
  x <- as.double(x)
  out <- sprintf("%.17g", x)
  out[is.na(x)] <- "NA"
  out
}

## ---- models -----------------------------------------------------------------------------

models <- list()
add_model <- function(name, yi, vi, X, call, tests = c("z", "knha")) {
  models[[name]] <<- list(yi = as.double(yi), vi = as.double(vi), X = X, call = call,
                          tests = tests)
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
            tests = if (m[[1]] == "bcg_ablat") c("z", "t", "knha", "adhoc") else c("z", "knha"))
}
bd <- dat.bangertdrowns2004
add_model("bangertdrowns_length", bd$yi, bd$vi, design(~ length, bd),
          "rma(yi, vi, mods = ~ length, data=dat.bangertdrowns2004, ...)  (2 rows with length NA)")
add_model("bangertdrowns_grade_wic", bd$yi, bd$vi, design(~ factor(grade) + wic, bd),
          "rma(yi, vi, mods = ~ factor(grade) + wic, data=dat.bangertdrowns2004, ...)")
rd <- dat.raudenbush1985
add_model("raudenbush_weeks", rd$yi, rd$vi, design(~ weeks, rd),
          "rma(yi, vi, mods = ~ weeks, data=dat.raudenbush1985, ...)")

## random data sets: k from 5 to 60, p from 2 to 4
set.seed(20260413)
rand <- list(c(5, 2), c(8, 3), c(12, 2), c(20, 4), c(30, 3), c(45, 2), c(60, 4))
for (i in seq_along(rand)) {
  k <- rand[[i]][1]; p <- rand[[i]][2]
  X <- cbind(1, matrix(round(rnorm(k * (p - 1), 10, 5), 2), k, p - 1))
  if (p >= 3) X[, 3] <- rbinom(k, 1, 0.4)
  vi <- round(runif(k, 0.01, 0.5), 4)
  tau2 <- c(0, 0.05, 0.2, 0.5)[(i %% 4) + 1]
  beta <- c(0.3, rnorm(p - 1, 0, 0.05))
  yi <- round(c(X %*% beta) + rnorm(k, 0, sqrt(vi + tau2)), 4)
  colnames(X) <- c("intrcpt", paste0("x", seq_len(p - 1)))
  add_model(sprintf("random_k%d_p%d", k, p), yi, vi, X,
            sprintf("random: set.seed(20260413), data set %d; rma(yi, vi, mods = X[, -1], ...)", i))
}
## collinear-ish: x2 = x1 + small noise (correlation about 0.9999)
k <- 25
x1 <- round(rnorm(k, 50, 10), 3)
x2 <- round(x1 + rnorm(k, 0, 0.1), 3)
vi <- round(runif(k, 0.02, 0.3), 4)
yi <- round(0.2 + 0.01 * x1 + rnorm(k, 0, sqrt(vi + 0.1)), 4)
X <- cbind(intrcpt = 1, x1 = x1, x2 = x2)
add_model("random_collinear", yi, vi, X,
          "random collinear-ish: x2 = x1 + N(0, 0.1^2); rma(yi, vi, mods = X[, -1], ...)")
## no intercept, continuous moderators (exercises metafor's centring of y for tau^2)
k <- 15
X <- cbind(x1 = round(runif(k, 0.5, 2), 3), x2 = round(runif(k, -1, 1), 3))
vi <- round(runif(k, 0.02, 0.2), 4)
yi <- round(c(X %*% c(0.4, -0.3)) + rnorm(k, 0, sqrt(vi + 0.1)), 4)
add_model("random_noint", yi, vi, X, "random, no intercept: rma(yi, vi, mods = X, intercept = FALSE, ...)")

## ---- fitting --------------------------------------------------------------------------

fits <- coefs <- vcovs <- preds <- character(0)
skipped <- character(0)
FIT_COLS <- c("model", "method", "test", "control", "k", "p", "m", "tau2", "tau2_se", "QM",
              "QM_df1", "QM_df2", "QM_pval", "QE", "QE_df", "QE_pval", "I2", "H2", "R2",
              "tau2_0", "vt", "s2w", "ll_ml", "ll_reml")

newmods_of <- function(X) {
  ## three points: column means, the first complete row, max + 1 in every column
  Xc <- X[complete.cases(X), , drop = FALSE]
  far <- apply(Xc, 2, max) + 1
  far[apply(Xc, 2, function(x) all(x == 1))] <- 1
  rbind(colMeans(Xc), Xc[1, ], far)
}

for (name in names(models)) {
  mo <- models[[name]]
  X <- mo$X
  p <- ncol(X)
  int <- all(X[, 1] == 1, na.rm = TRUE)
  Xm <- if (int) X[, -1, drop = FALSE] else X
  ok <- complete.cases(cbind(mo$yi, mo$vi, X))
  write.csv_ <- function() {
    d <- cbind(yi = mo$yi, vi = mo$vi, X)
    colnames(d) <- c("yi", "vi", paste0("x", seq_len(p) - 1))
    lines <- c(paste(colnames(d), collapse = ","),
               apply(d, 1, function(r) paste(fnum(r), collapse = ",")))
    writeLines(lines, file.path(OUT, "data", paste0(name, ".csv")))
  }
  write.csv_()
  NM <- newmods_of(X)
  for (method in METHODS) for (test in mo$tests) {
    controls <- if (method %in% ITER) c("default", "tight") else "default"
    for (ctl in controls) {
      con <- if (ctl == "tight") TIGHT else list()
      res <- try(rma(mo$yi, mo$vi, mods = Xm, intercept = int, method = method, test = test,
                     control = con), silent = TRUE)
      if (inherits(res, "try-error")) {
        skipped <- c(skipped, sprintf("%s %s %s %s: %s", name, method, test, ctl,
                                      trimws(as.character(res))))
        next
      }
      tau2_0 <- NA
      if (method != "EE" && int && p > 1) {
        r0 <- try(rma(mo$yi[ok], mo$vi[ok], method = method, control = con), silent = TRUE)
        if (!inherits(r0, "try-error")) tau2_0 <- r0$tau2
      }
      R2 <- if (is.null(res$R2)) NA else res$R2
      v <- c(res$k, res$p, res$m, res$tau2, res$se.tau2, res$QM, res$QMdf[1], res$QMdf[2],
             res$QMp, res$QE, res$k - res$p, res$QEp, res$I2, res$H2, R2, tau2_0, res$vt,
             res$s2w, res$fit.stats["ll", "ML"], res$fit.stats["ll", "REML"])
      key <- paste(name, method, test, ctl, sep = ",")
      fits <- c(fits, paste(key, paste(fnum(v), collapse = ","), sep = ","))
      for (j in seq_len(p))
        coefs <- c(coefs, paste(key, j - 1, paste(fnum(c(res$beta[j], res$se[j], res$zval[j],
                   res$pval[j], res$ci.lb[j], res$ci.ub[j])), collapse = ","), sep = ","))
      vb <- vcov(res)
      for (j in seq_len(p)) for (l in seq_len(p))
        vcovs <- c(vcovs, paste(key, j - 1, l - 1, fnum(vb[j, l]), sep = ","))
      pr <- predict(res, newmods = if (int) NM[, -1, drop = FALSE] else NM)
      pil <- if (is.null(pr$pi.lb)) rep(NA, nrow(NM)) else pr$pi.lb
      piu <- if (is.null(pr$pi.ub)) rep(NA, nrow(NM)) else pr$pi.ub
      for (r in seq_len(nrow(NM))) {
        xs <- c(NM[r, ], rep(NA, 6 - p))
        preds <- c(preds, paste(key, r - 1, paste(fnum(c(xs, pr$pred[r], pr$se[r], pr$ci.lb[r],
                   pr$ci.ub[r], pil[r], piu[r])), collapse = ","), sep = ","))
      }
    }
  }
}

## condition number (2-norm, exact) of the design with columns scaled to unit length: the
## tests loosen their tolerance in proportion for ill-conditioned designs
kap <- sapply(names(models), function(n) {
  X <- models[[n]]$X
  X <- X[complete.cases(cbind(models[[n]]$yi, models[[n]]$vi, X)), , drop = FALSE]
  kappa(sweep(X, 2, sqrt(colSums(X^2)), "/"), exact = TRUE)
})
writeLines(c("model,kappa", paste(names(models), fnum(kap), sep = ",")),
           file.path(OUT, "models.csv"))
writeLines(c(paste(FIT_COLS, collapse = ","), fits), file.path(OUT, "fits.csv"))
writeLines(c("model,method,test,control,j,b,se,stat,pval,ci_lb,ci_ub", coefs),
           file.path(OUT, "coef.csv"))
writeLines(c("model,method,test,control,j,l,v", vcovs), file.path(OUT, "vcov.csv"))
writeLines(c("model,method,test,control,row,x0,x1,x2,x3,x4,x5,pred,se,ci_lb,ci_ub,pi_lb,pi_ub", preds),
           file.path(OUT, "pred.csv"))

src <- c("# Golden values for msyn_reg (meta-regression)", "",
         sprintf("Generated by `Rscript tools/golden_reg.R tests/golden_reg` with %s, metafor %s, metadat %s.",
                 R.version.string, packageVersion("metafor"), packageVersion("metadat")), "",
         "Every model is fitted with every method in {EE, DL, HE, HS, SJ, ML, REML, EB, PM} and the",
         "tests listed in fits.csv, as", "",
         "    rma(yi, vi, mods = X[, -1] (or X without intercept), intercept = <column 0 is ones>,",
         "        method = M, test = T, control = C)", "",
         "which metafor fits exactly as the formula calls below (same design matrix).",
         "control: `default` = metafor's defaults; `tight` (ML REML EB PM only) =",
         "`control=list(threshold=1e-13, tol=1e-15, maxiter=10000)`.",
         "tau2_0 is the intercept-only rma(yi, vi, method = M, control = C) on the complete rows",
         "(the model behind R2). Predictions: predict(res, newmods = ...) at the column means,",
         "the first complete row, and max + 1 of every column (an intercept stays 1).", "", "## Models", "",
         sapply(names(models), function(n) sprintf("- `%s`: %s", n, models[[n]]$call)), "",
         "## Fits metafor refused (not in the CSVs)", "",
         if (length(skipped)) paste("-", skipped) else "none")
writeLines(src, file.path(OUT, "SOURCE.md"))
