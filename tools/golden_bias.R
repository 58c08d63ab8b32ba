# golden_bias.R - expected values of metafor's regtest(), ranktest(),
# trimfill() and fsn() for tests/unit/test_bias.c.
#
# Run from the repository root:  Rscript tools/golden_bias.R
# Writes tests/golden_bias/*.csv and SOURCE.md.  Deterministic (set.seed).
suppressMessages(library(metafor))
out <- "tests/golden_bias"
dir.create(out, showWarnings = FALSE)
f17 <- function(x) ifelse(is.na(x), "NA", ifelse(is.infinite(x), ifelse(x > 0, "Inf", "-Inf"), sprintf("%.17g", x)))
wcsv <- function(df, name) {
  for (j in seq_along(df)) if (is.numeric(df[[j]])) df[[j]] <- f17(df[[j]])
  write.csv(df, file.path(out, name), row.names = FALSE, quote = FALSE)
}

sets <- list()
add <- function(id, yi, vi, ni = NULL) {
  sets[[id]] <<- data.frame(yi = as.numeric(yi), vi = as.numeric(vi),
                            ni = if (is.null(ni)) NA_real_ else as.numeric(ni))
}
d <- escalc("RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
add("bcg_rr", d$yi, d$vi, attr(d$yi, "ni"))
d <- escalc("OR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
add("bcg_or", d$yi, d$vi, attr(d$yi, "ni"))
add("hackshaw1998", dat.hackshaw1998$yi, dat.hackshaw1998$vi)
d <- escalc("PLO", xi = xi, ni = ni, data = dat.pritz1997)
add("pritz1997", d$yi, d$vi, dat.pritz1997$ni)
d <- escalc("ZCOR", ri = ri, ni = ni, data = dat.molloy2014)
add("molloy2014", d$yi, d$vi, dat.molloy2014$ni)
d <- dat.bangertdrowns2004
add("bangertdrowns2004", d$yi, d$vi, d$ni)   # has missing ni
d <- dat.raudenbush1985
add("raudenbush1985", d$yi, d$vi, d$n1i + d$n2i)
d <- escalc("OR", ai = ai, n1i = n1i, ci = ci, n2i = n2i, data = dat.egger2001)
add("egger2001", d$yi, d$vi, dat.egger2001$n1i + dat.egger2001$n2i)

# random data: SMD-like studies, with and without small-study selection
set.seed(20260404)
for (k in c(5, 8, 12, 20, 35, 60)) for (asym in c(FALSE, TRUE)) {
  ni <- round(exp(runif(k, log(12), log(400))))
  tau <- 0.15
  yi <- numeric(0); vi <- numeric(0); nn <- numeric(0)
  while (length(yi) < k) {
    n <- round(exp(runif(1, log(12), log(400))))
    th <- rnorm(1, 0.3, tau)
    v <- 4 / n + th^2 / (2 * n)
    y <- rnorm(1, th, sqrt(v))
    # asymmetry: non-significant small studies mostly unpublished
    if (asym && y / sqrt(v) < 1.64 && runif(1) < 0.8) next
    yi <- c(yi, y); vi <- c(vi, v); nn <- c(nn, n)
  }
  add(sprintf("rand_k%d_%s", k, if (asym) "asym" else "sym"), yi, vi, nn)
}
# ties in vi (equal group sizes) and in yi: the normal approximation
set.seed(7)
add("rand_ties", round(rnorm(15, 0.2, 0.3), 1), rep(c(0.04, 0.08, 0.1), 5),
    rep(c(100, 50, 40), 5))

data <- do.call(rbind, lapply(names(sets), function(id) cbind(id = id, sets[[id]])))
wcsv(data, "data.csv")

has_ni <- function(s) all(!is.na(s$ni)) || sum(!is.na(s$ni)) >= 3
tc <- function(expr) tryCatch(suppressWarnings(expr), error = function(e) NULL)

# ---- regtest -------------------------------------------------------------
reg <- list()
for (id in names(sets)) {
  s <- sets[[id]]
  preds <- c("sei", "vi")
  if (!all(is.na(s$ni))) preds <- c(preds, "ni", "ninv", "sqrtni", "sqrtninv")
  for (model in c("lm", "rma")) for (method in c("EE", "DL", "REML")) for (test in c("z", "t", "knha")) {
    if (model == "lm" && (method != "EE" || test != "z")) next
    for (p in preds) {
      if (model == "rma" && !(p %in% c("sei", "ninv"))) next
      res <- rma(yi, vi, ni = ni, data = s, method = method, test = test)
      r <- tc(regtest(res, model = model, predictor = p))
      if (is.null(r)) {
        reg[[length(reg) + 1]] <- data.frame(id = id, model = model, method = method, test = test,
          predictor = p, ok = 0, k = NA, zval = NA, pval = NA, df = NA, est = NA, ci_lb = NA,
          ci_ub = NA, tau2 = NA, slope = NA, slope_se = NA, intercept_se = NA)
        next
      }
      f <- r$fit
      if (model == "lm") {
        cf <- coef(summary(f)); tau2 <- NA
        slope <- cf[2, 1]; slope_se <- cf[2, 2]; int_se <- cf[1, 2]; k <- length(f$residuals)
      } else {
        tau2 <- f$tau2; slope <- f$beta[2]; slope_se <- f$se[2]; int_se <- f$se[1]; k <- f$k
      }
      reg[[length(reg) + 1]] <- data.frame(id = id, model = model, method = method, test = test,
        predictor = p, ok = 1, k = k, zval = r$zval, pval = r$pval,
        df = if (is.null(r$dfs) || test == "z" && model == "rma") NA else r$dfs,
        est = if (is.null(r$est)) NA else r$est, ci_lb = if (is.null(r$ci.lb)) NA else r$ci.lb,
        ci_ub = if (is.null(r$ci.ub)) NA else r$ci.ub, tau2 = tau2, slope = slope,
        slope_se = slope_se, intercept_se = int_se)
    }
  }
}
wcsv(do.call(rbind, reg), "regtest.csv")

# ---- ranktest ------------------------------------------------------------
rk <- list()
for (id in names(sets)) {
  s <- sets[[id]]
  r <- suppressWarnings(ranktest(s$yi, s$vi))
  rk[[id]] <- data.frame(id = id, tau = unname(r$tau), pval = r$pval)
}
wcsv(do.call(rbind, rk), "ranktest.csv")

# exact distribution: R's own pKendall, every q for n <= 25, a grid beyond
pk <- list()
for (n in 3:49) {
  u <- n * (n - 1) / 2
  q <- if (n <= 25) 0:u else unique(c(0:10, round(seq(0, u, length.out = 60)), (u - 10):u))
  pk[[n]] <- data.frame(n = n, q = q, p = .Call(stats:::C_pKendall, q, n))
}
wcsv(do.call(rbind, pk), "pkendall.csv")

# ---- trimfill ------------------------------------------------------------
tf <- list(); fills <- list()
for (id in names(sets)) {
  s <- sets[[id]]
  for (method in c("EE", "DL", "REML")) {
    res <- rma(yi, vi, data = s, method = method)
    side_fit <- tc(rma(yi, vi, mods = sqrt(vi), data = s, method = method))
    for (est in c("L0", "R0", "Q0")) for (side in c("auto", "left", "right")) {
      t <- tc(if (side == "auto") trimfill(res, estimator = est) else trimfill(res, estimator = est, side = side))
      row <- data.frame(id = id, method = method, estimator = est, side = side,
        side_tau2 = if (is.null(side_fit)) NA else side_fit$tau2,
        side_slope = if (is.null(side_fit)) NA else side_fit$beta[2], ok = 0, side_used = NA,
        k0 = NA, se_k0 = NA, p_k0 = NA, k = NA, estimate = NA, se = NA, zval = NA, pval = NA,
        ci_lb = NA, ci_ub = NA, tau2 = NA, QE = NA, I2 = NA)
      if (!is.null(t)) {
        row$ok <- 1; row$side_used <- t$side; row$k0 <- t$k0; row$se_k0 <- t$se.k0
        row$p_k0 <- t$p.k0; row$k <- t$k; row$estimate <- c(t$beta); row$se <- t$se
        row$zval <- t$zval; row$pval <- t$pval; row$ci_lb <- t$ci.lb; row$ci_ub <- t$ci.ub
        row$tau2 <- t$tau2; row$QE <- t$QE; row$I2 <- t$I2
        if (t$k0 > 0) {
          fl <- which(t$fill)
          fills[[length(fills) + 1]] <- data.frame(id = id, method = method, estimator = est,
            side = side, j = seq_along(fl) - 1, yi = t$yi[fl], vi = t$vi[fl])
        }
      }
      tf[[length(tf) + 1]] <- row
    }
  }
}
wcsv(do.call(rbind, tf), "trimfill.csv")
wcsv(do.call(rbind, fills), "trimfill_fill.csv")

# ---- fsn -----------------------------------------------------------------
fs <- list()
for (id in names(sets)) {
  s <- sets[[id]]
  calls <- list(list(type = "Rosenthal"), list(type = "Rosenthal", alpha = 0.01),
                list(type = "Orwin"), list(type = "Orwin", weighted = TRUE),
                list(type = "Orwin", target = 0.05), list(type = "Orwin", target = -0.05),
                list(type = "Rosenberg"), list(type = "Rosenberg", alpha = 0.1))
  for (cl in calls) {
    r <- do.call(fsn, c(list(yi = s$yi, vi = s$vi), cl))
    fs[[length(fs) + 1]] <- data.frame(id = id, type = cl$type,
      alpha = if (is.null(cl$alpha)) 0.05 else cl$alpha,
      weighted = if (isTRUE(cl$weighted)) 1 else 0,
      target_in = if (is.null(cl$target)) NA else cl$target,
      fsnum = r$fsnum, pval = r$pval, meanes = r$meanes, target = r$target)
  }
}
wcsv(do.call(rbind, fs), "fsn.csv")

writeLines(c("# Golden values for the bias functions",
  "", paste0("Generated by tools/golden_bias.R with ", R.version.string, ", metafor ",
  packageVersion("metafor"), ", metadat ", packageVersion("metadat"), "."),
  "", "Data sets (data.csv, one row per study; ni NA where unknown):",
  "- bcg_rr, bcg_or: escalc('RR'/'OR', ai=tpos, bi=tneg, ci=cpos, di=cneg, data=dat.bcg), ni = attr(yi, 'ni')",
  "- hackshaw1998: dat.hackshaw1998 yi, vi (no ni)",
  "- pritz1997: escalc('PLO', xi, ni, data=dat.pritz1997)",
  "- molloy2014: escalc('ZCOR', ri, ni, data=dat.molloy2014)",
  "- bangertdrowns2004: yi, vi, ni (ni partly missing)",
  "- raudenbush1985: yi, vi, ni = n1i + n2i",
  "- egger2001: escalc('OR', ai, n1i, ci, n2i, data=dat.egger2001), ni = n1i + n2i",
  "- rand_k*_sym / rand_k*_asym: set.seed(20260404), SMD-like studies; asym drops 80% of non-significant ones",
  "- rand_ties: set.seed(7), yi rounded to 0.1, three distinct vi (normal approximation with ties)",
  "", "Calls:",
  "- regtest.csv: res <- rma(yi, vi, ni=ni, data, method, test); regtest(res, model, predictor);",
  "  model 'lm' (method EE, test z; predictors sei vi ni ninv sqrtni sqrtninv) and 'rma' (EE DL REML x z t knha;",
  "  predictors sei, ninv).  tau2/slope/slope_se/intercept_se from r$fit.  ok = 0: regtest stopped.",
  "- ranktest.csv: ranktest(yi, vi) (metafor passes exact = TRUE to cor.test).",
  "- pkendall.csv: .Call(stats:::C_pKendall, q, n).",
  "- trimfill.csv: res <- rma(yi, vi, method); trimfill(res, estimator, side) (side 'auto' = not given);",
  "  side_tau2/side_slope from rma(yi, vi, mods = sqrt(vi), method).  ok = 0: trimfill stopped.",
  "  trimfill_fill.csv: the filled studies (t$yi[t$fill], t$vi[t$fill]) in order.",
  "- fsn.csv: fsn(yi, vi, type, alpha, weighted, target)."),
  file.path(out, "SOURCE.md"))
