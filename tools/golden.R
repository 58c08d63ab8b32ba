#!/usr/bin/env Rscript
## tools/golden.R -- golden-value generator for metasyn.
##
## Reference implementation: R metafor 3.8-1 + metadat 1.2.0 (Debian packages).
##
## Usage:
##   Rscript tools/golden.R tests/golden          (re)write the committed golden directories
##   Rscript tools/golden.R --holdout DIR         write the hold-out datasets into DIR
##
## Each dataset directory gets input.csv, expected.csv, es.csv (not for generic data) and
## SOURCE.md. Output is deterministic: running twice gives byte-identical files.
## Conventions: /work/shared/docs/methods-reference.md sections 1-4, 8-10.

suppressPackageStartupMessages({
  library(metafor)
  library(metadat)
})
options(useFancyQuotes = FALSE, stringsAsFactors = FALSE, warn = 1, width = 80)

## the one-group, correlation, rate, pre-post, O-E and converted measures (issue 3)
SCRIPT_DIR <- local({
  f <- sub("^--file=", "", grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE))
  if (length(f)) dirname(f[1]) else "tools"
})
source(file.path(SCRIPT_DIR, "golden_measures.R"), local = FALSE)

## --------------------------------------------------------------------------------------------
## constants
## --------------------------------------------------------------------------------------------

COLS <- c("preset", "measure", "scale", "method", "test", "pi", "control", "k", "estimate",
          "se", "stat", "pval", "ci_lb", "ci_ub", "df", "tau2", "tau2_ci_lb", "tau2_ci_ub",
          "I2", "I2_ci_lb", "I2_ci_ub", "H2", "H2_ci_lb", "H2_ci_ub", "Q", "Q_df", "Q_pval",
          "pi_lb", "pi_ub")
TEXT_COLS <- c("preset", "measure", "scale", "method", "test", "pi", "control")
METHODS <- c("EE", "DL", "HE", "HS", "SJ", "ML", "REML", "EB", "PM")
TIGHT <- list(threshold = 1e-13, tol = 1e-15, maxiter = 10000)
TIGHT_CI <- list(tol = 1e-15)
THRESH_FALLBACK <- c(1e-13, 1e-12, 1e-11)
ZCRIT <- qnorm(0.975)

TIGHT_TXT <- "control=list(threshold=1e-13, tol=1e-15, maxiter=10000)"

## --------------------------------------------------------------------------------------------
## formatting and CSV output
## --------------------------------------------------------------------------------------------

## numbers for expected.csv / es.csv: %.17g, NA -> "NA"
fnum <- function(x) {
  x <- as.double(x)
  out <- sprintf("%.17g", x)
  out[is.na(x) & !is.nan(x)] <- "NA"
  out[is.nan(x)] <- "NA"
  out
}
## numbers for input.csv: %.17g (integers print as integers), NA -> empty field
fin <- function(x) {
  x <- as.double(x)
  out <- sprintf("%.17g", x)
  out[is.na(x)] <- ""
  out
}
## RFC 4180 quoting of a text field
fq <- function(x) {
  x <- enc2utf8(as.character(x))
  x[is.na(x)] <- ""
  need <- grepl("[\",\r\n]", x, useBytes = TRUE)
  x[need] <- paste0("\"", gsub("\"", "\"\"", x[need], fixed = TRUE), "\"")
  x
}
write_lines_utf8 <- function(lines, path) {
  con <- file(path, open = "wb")
  on.exit(close(con))
  writeLines(enc2utf8(lines), con, sep = "\n", useBytes = TRUE)
}
## df: data.frame of already formatted character columns
write_csv_chr <- function(df, path) {
  lines <- c(paste(fq(names(df)), collapse = ","),
             if (nrow(df)) do.call(paste, c(unname(as.list(df)), sep = ",")) else character())
  write_lines_utf8(lines, path)
}

unique_labels <- function(x) {
  x <- enc2utf8(as.character(x))
  x <- gsub("[[:space:]]+", " ", trimws(x))
  dup <- duplicated(x) | duplicated(x, fromLast = TRUE)
  if (any(dup)) {
    cnt <- ave(seq_along(x), x, FUN = seq_along)
    x[dup] <- paste0(x[dup], " [", cnt[dup], "]")
  }
  stopifnot(!anyDuplicated(x))
  x
}

## --------------------------------------------------------------------------------------------
## logging (per dataset + global summary)
## --------------------------------------------------------------------------------------------

LOG <- new.env()
GLOBAL <- new.env()
GLOBAL$skipped <- character()
GLOBAL$thresh <- character()
GLOBAL$cinotes <- character()
GLOBAL$warns <- character()
GLOBAL$counts <- character()

log_reset <- function(name) {
  LOG$name <- name
  LOG$skipped <- character()   # "measure method test control: reason"
  LOG$thresh <- character()    # "measure method: threshold"
  LOG$cinotes <- list()
  LOG$warns <- list()          # message -> character vector of fit ids
  LOG$id <- NULL               # id of the current random set (if any)
}
ctxt <- function(...) {
  s <- paste(..., sep = " ")
  if (!is.null(LOG$id)) s <- paste0("id=", LOG$id, " ", s)
  s
}
log_skip <- function(ctx, reason) {
  s <- paste0(ctx, ": ", gsub("[\r\n]+", " ", reason))
  LOG$skipped <- c(LOG$skipped, s)
  GLOBAL$skipped <- c(GLOBAL$skipped, paste0(LOG$name, " ", s))
}
log_thresh <- function(ctx, thr) {
  s <- paste0(ctx, ": threshold=", format(thr))
  if (!(s %in% LOG$thresh)) {
    LOG$thresh <- c(LOG$thresh, s)
    GLOBAL$thresh <- c(GLOBAL$thresh, paste0(LOG$name, " ", s))
  }
}
## confint()/predict() notes, compressed to "prefix: note [methods (controls)]"
log_cinote <- function(ctx, note) {
  ## ctx is "<id=..> MEASURE METHOD CONTROL"
  parts <- strsplit(ctx, " ", fixed = TRUE)[[1]]
  n <- length(parts)
  prefix <- paste(parts[seq_len(n - 2)], collapse = " ")
  key <- paste0(prefix, ": ", note)
  ent <- paste(parts[n - 1], parts[n])
  if (is.null(LOG$cinotes[[key]])) GLOBAL$cinotes <- c(GLOBAL$cinotes, paste0(LOG$name, " ", key))
  LOG$cinotes[[key]] <- unique(c(LOG$cinotes[[key]], ent))
}
fmt_cinote <- function(key, ents) {
  m <- vapply(strsplit(ents, " "), `[`, "", 1)
  cc <- vapply(strsplit(ents, " "), `[`, "", 2)
  ms <- unique(m)
  ctl <- vapply(ms, function(x) paste(unique(cc[m == x]), collapse = "+"), "")
  grp <- vapply(unique(ctl), function(cs) paste0(paste(ms[ctl == cs], collapse = ", "), " (", cs, ")"), "")
  paste0(key, " [", paste(grp, collapse = "; "), "]")
}
IGNORED_WARN <- c("Studies with NAs omitted", "Knapp & Hartung method is not meant to be used in the context of EE models", "Some yi/vi values are NA",
                  "Setting argument test=\"z\" since k=1",
                  "Some yi and/or vi values equal to +-Inf",
                  "Some 'yi' and/or 'vi' values equal to +-Inf")
log_warns <- function(ctx, warns) {
  warns <- unique(gsub("[\r\n]+", " ", warns))
  for (w in warns) {
    if (any(vapply(IGNORED_WARN, function(p) grepl(p, w, fixed = TRUE), logical(1)))) next
    LOG$warns[[w]] <- unique(c(LOG$warns[[w]], ctx))
    GLOBAL$warns <- unique(c(GLOBAL$warns, w))
  }
}

## evaluate expr, collecting (and muffling) warnings; errors become class "qerr"
qtry <- function(expr) {
  warns <- character()
  val <- withCallingHandlers(
    tryCatch(expr, error = function(e) structure(list(msg = conditionMessage(e)), class = "qerr")),
    warning = function(w) {
      warns <<- c(warns, conditionMessage(w))
      invokeRestart("muffleWarning")
    })
  list(val = val, warns = warns)
}
is_err <- function(x) inherits(x, "qerr")

## --------------------------------------------------------------------------------------------
## rows
## --------------------------------------------------------------------------------------------

empty_row <- function(preset, measure, scale, method, test, pi, control) {
  r <- as.list(rep(NA_real_, length(COLS)))
  names(r) <- COLS
  r$preset <- preset; r$measure <- measure; r$scale <- scale; r$method <- method
  r$test <- test; r$pi <- pi; r$control <- control
  r
}

## fit rma() with metafor defaults or with the tight control list (threshold fallback)
fit_rma <- function(rargs, method, test, control, ctx) {
  if (control == "default") {
    q <- qtry(do.call(rma, c(rargs, list(method = method, test = test))))
    log_warns(ctx, q$warns)
    if (is_err(q$val)) { log_skip(ctx, q$val$msg); return(NULL) }
    return(q$val)
  }
  tried <- character()
  for (thr in THRESH_FALLBACK) {
    con <- TIGHT
    con$threshold <- thr
    tried <- c(tried, format(thr))
    q <- qtry(do.call(rma, c(rargs, list(method = method, test = test, control = con))))
    if (!is_err(q$val)) {
      log_warns(ctx, q$warns)
      if (thr != THRESH_FALLBACK[1]) log_thresh(sub(" (z|knha|t|adhoc) tight$", "", ctx), thr)
      return(q$val)
    }
    if (!grepl("converge", q$val$msg)) break
  }
  log_warns(ctx, q$warns)
  log_skip(ctx, if (length(tried) > 1) paste0(q$val$msg, " (thresholds tried: ", paste(tried, collapse = ", "), ")")
                else q$val$msg)
  NULL
}

get_confint <- function(res, control, ctx) {
  if (res$method %in% c("EE", "FE", "CE") || res$k <= 1) return(NULL)
  q <- if (control == "default") qtry(confint(res)) else qtry(confint(res, control = TIGHT_CI))
  log_warns(paste(ctx, "confint"), q$warns)
  if (is_err(q$val)) { log_cinote(ctx, paste("confint error:", q$val$msg)); return(NULL) }
  ci <- q$val
  if (isTRUE(ci$ci.null)) log_cinote(ctx, "Q-profile CI is the null set {0} (Q(0) < lower crit.)")
  if (identical(ci$ub.sign, ">")) log_cinote(ctx, "Q-profile upper bound set to tau2.max (\">\")")
  if (identical(ci$lb.sign, ">")) log_cinote(ctx, "Q-profile lower bound set to tau2.max (\">\")")
  ci
}

rma_row <- function(res, ci, pr, preset, measure, scale, method, test, pi, control) {
  r <- empty_row(preset, measure, scale, method, test, pi, control)
  r$k <- res$k
  r$estimate <- c(res$beta)[1]
  r$se <- res$se[1]
  r$stat <- res$zval[1]
  r$pval <- res$pval[1]
  r$ci_lb <- res$ci.lb[1]
  r$ci_ub <- res$ci.ub[1]
  r$df <- if (identical(res$test, "z")) NA else res$ddf[1]
  r$tau2 <- if (method == "EE") 0 else res$tau2
  r$I2 <- res$I2
  r$H2 <- res$H2
  r$Q <- res$QE
  r$Q_df <- res$k - res$p
  r$Q_pval <- res$QEp
  if (!is.null(ci)) {
    rr <- ci$random
    r$tau2_ci_lb <- rr["tau^2", "ci.lb"];  r$tau2_ci_ub <- rr["tau^2", "ci.ub"]
    r$I2_ci_lb <- rr["I^2(%)", "ci.lb"];   r$I2_ci_ub <- rr["I^2(%)", "ci.ub"]
    r$H2_ci_lb <- rr["H^2", "ci.lb"];      r$H2_ci_ub <- rr["H^2", "ci.ub"]
  }
  if (!is.null(pr) && method != "EE") {
    r$pi_lb <- pr$pi.lb[1]
    r$pi_ub <- pr$pi.ub[1]
  }
  r
}

## the (method, test, pi) grid
grid_full <- function() {
  g <- list()
  for (m in METHODS) {
    g[[length(g) + 1]] <- c(m, "z", "default")
    g[[length(g) + 1]] <- c(m, "knha", "default")
    if (m == "REML") {
      g[[length(g) + 1]] <- c(m, "t", "default")
      g[[length(g) + 1]] <- c(m, "adhoc", "default")
      g[[length(g) + 1]] <- c(m, "z", "riley")
      g[[length(g) + 1]] <- c(m, "knha", "riley")
    }
  }
  g
}
grid_small <- function() {   # EE, DL, REML x (z, knha)
  g <- list()
  for (m in c("EE", "DL", "REML")) for (t in c("z", "knha")) g[[length(g) + 1]] <- c(m, t, "default")
  g
}
grid_k1 <- function() list(c("EE", "z", "default"), c("DL", "z", "default"), c("REML", "z", "default"))

## run a grid of rma() analyses on one set of study-level data
run_grid <- function(rargs, measure, scale, grid, controls, preset = "metafor") {
  rows <- list()
  for (control in controls) {
    cache <- list()
    for (g in grid) {
      method <- g[1]; test <- g[2]; pi <- g[3]
      ctx <- ctxt(measure, method, test, control)
      key <- paste(method, test)
      if (is.null(cache[[key]])) {
        res <- fit_rma(rargs, method, test, control, ctx)
        ci <- if (is.null(res) || preset != "metafor") NULL else get_confint(res, control, ctxt(measure, method, control))
        cache[[key]] <- list(res = res, ci = ci)
      }
      res <- cache[[key]]$res
      if (is.null(res)) {
        if (pi != "default") log_skip(paste(ctx, pi), "same fit as the row above failed")
        next
      }
      pr <- NULL
      if (method != "EE" && preset == "metafor") {
        q <- if (pi == "riley") qtry(predict(res, pi.type = "riley")) else qtry(predict(res))
        log_warns(paste(ctx, pi, "predict"), q$warns)
        if (is_err(q$val)) log_cinote(ctxt(measure, method, control), paste0("predict error (test=", test, ", pi=", pi, "): ", q$val$msg))
        else pr <- q$val
      }
      rows[[length(rows) + 1]] <- rma_row(res, cache[[key]]$ci, pr, preset, measure, scale,
                                          method, test, pi, control)
    }
  }
  rows
}

## --------------------------------------------------------------------------------------------
## effect sizes
## --------------------------------------------------------------------------------------------

## 2x2 argument list in the form the data use (ai,bi,ci,di or ai,n1i,ci,n2i)
tab_args <- function(d) {
  if (all(c("bi", "di") %in% names(d))) list(ai = d$ai, bi = d$bi, ci = d$ci, di = d$di)
  else list(ai = d$ai, n1i = d$n1i, ci = d$ci, n2i = d$n2i)
}
tab_abcd <- function(d) {
  if (all(c("bi", "di") %in% names(d))) list(ai = d$ai, bi = d$bi, ci = d$ci, di = d$di)
  else list(ai = d$ai, bi = d$n1i - d$ai, ci = d$ci, di = d$n2i - d$ci)
}
cont_args <- function(d) list(n1i = d$n1i, m1i = d$m1i, sd1i = d$sd1i,
                              n2i = d$n2i, m2i = d$m2i, sd2i = d$sd2i)

esc <- function(ctx, args) {
  q <- qtry(do.call(escalc, args))
  log_warns(ctx, q$warns)
  if (is_err(q$val)) stop(q$val$msg)
  list(yi = as.numeric(q$val$yi), vi = as.numeric(q$val$vi))
}

ZERO_VARIANTS <- list(
  list(opt = "to=all",   args = list(to = "all")),
  list(opt = "to=if0all", args = list(to = "if0all")),
  list(opt = "to=none",  args = list(to = "none")),
  list(opt = "add=0.25", args = list(add = 0.25)),
  list(opt = "drop00=1", args = list(drop00 = TRUE)))

## RevMan 5 risk difference (section 8 items 1-2): raw-count RD_i, variance and MH weights
## from counts with +1/2 in every cell of zero-cell tables, Greenland-Robins (1985) variance.
rm5_rd <- function(t) {
  a0 <- t$ai; b0 <- t$bi; c0 <- t$ci; d0 <- t$di
  ok <- !(is.na(a0) | is.na(b0) | is.na(c0) | is.na(d0))
  n1 <- a0 + b0; n2 <- c0 + d0
  z <- (a0 == 0 | b0 == 0 | c0 == 0 | d0 == 0)
  inc <- ifelse(z, 0.5, 0)
  a <- a0 + inc; b <- b0 + inc; c <- c0 + inc; d <- d0 + inc
  m1 <- a + b; m2 <- c + d; M <- m1 + m2
  yi <- a0 / n1 - c0 / n2
  vi <- a * b / m1^3 + c * d / m2^3
  yi[!ok] <- NA; vi[!ok] <- NA
  w <- (m1 * m2 / M)[ok]
  est <- sum(w * yi[ok]) / sum(w)
  var <- sum(((a * b * m2^3 + c * d * m1^3) / (m1 * m2 * M^2))[ok]) / sum(w)^2
  list(yi = yi, vi = vi, est = est, se = sqrt(var), k = sum(ok))
}
## RevMan 5 SMD (section 8 item 6)
rm5_smd <- function(d) {
  N <- d$n1i + d$n2i
  sp <- sqrt(((d$n1i - 1) * d$sd1i^2 + (d$n2i - 1) * d$sd2i^2) / (N - 2))
  dd <- (d$m1i - d$m2i) / sp
  g <- (1 - 3 / (4 * N - 9)) * dd
  v <- 1 / d$n1i + 1 / d$n2i + g^2 / (2 * (N - 3.94))
  list(yi = g, vi = v)
}

## heterogeneity with a given (MH) centre: Q, df, p, I2 = max(0,(Q-df)/Q), H2 = Q/df
het_centre <- function(yi, vi, centre) {
  ok <- !is.na(yi) & !is.na(vi)
  k <- sum(ok)
  if (k <= 1) return(list(Q = 0, df = max(k - 1, 0), p = 1, I2 = 0, H2 = 1))
  Q <- sum((yi[ok] - centre)^2 / vi[ok])
  df <- k - 1
  list(Q = Q, df = df, p = pchisq(Q, df, lower.tail = FALSE),
       I2 = max(0, 100 * (Q - df) / Q), H2 = Q / df)
}
## RevMan 5 DerSimonian-Laird with an MH-centred Q (section 8 item 4)
rm5_dl_row <- function(measure, yi, vi, h) {
  ok <- !is.na(yi) & !is.na(vi)
  y <- yi[ok]; v <- vi[ok]; k <- length(y)
  w <- 1 / v
  tau2 <- if (k > 1) max(0, (h$Q - h$df) / (sum(w) - sum(w^2) / sum(w))) else 0
  ws <- 1 / (v + tau2)
  est <- sum(ws * y) / sum(ws)
  se <- sqrt(1 / sum(ws))
  r <- empty_row("revman5", measure, "log", "DL", "z", "default", "default")
  r$k <- k; r$estimate <- est; r$se <- se; r$stat <- est / se
  r$pval <- 2 * pnorm(abs(est / se), lower.tail = FALSE)
  r$ci_lb <- est - ZCRIT * se; r$ci_ub <- est + ZCRIT * se
  r$tau2 <- tau2; r$I2 <- h$I2; r$H2 <- h$H2
  r$Q <- h$Q; r$Q_df <- h$df; r$Q_pval <- h$p
  r
}
mh_row <- function(res, preset, measure, method) {
  r <- empty_row(preset, measure, "log", method, "z", "default", "default")
  r$k <- res$k
  r$estimate <- c(res$beta)[1]; r$se <- res$se; r$stat <- res$zval; r$pval <- res$pval
  r$ci_lb <- res$ci.lb; r$ci_ub <- res$ci.ub
  r$I2 <- res$I2; r$H2 <- res$H2; r$Q <- res$QE
  r$Q_df <- max(res$k.yi - 1, 0); r$Q_pval <- res$QEp
  r
}

## --------------------------------------------------------------------------------------------
## per-kind analyses. Each returns list(rows=, es=) ; es rows: list(measure, options, yi, vi)
## --------------------------------------------------------------------------------------------

es_block <- function(measure, options, e) list(measure = measure, options = options, yi = e$yi, vi = e$vi)

## 2x2 data: OR, RR, RD, PETO (escalc + rma grid), MH, Peto, RevMan 5 rows
analyse_2x2 <- function(d, grid, controls, zero_variants, revman = TRUE) {
  ta <- tab_args(d)
  tt <- tab_abcd(d)
  rows <- list(); es <- list()
  for (m in c("OR", "RR", "RD", "PETO")) {
    e <- esc(ctxt(m, "escalc"), c(list(measure = m), ta))
    es[[length(es) + 1]] <- es_block(m, "", e)
    rows <- c(rows, run_grid(list(yi = e$yi, vi = e$vi), m, "log", grid, controls))
  }
  if (zero_variants) {
    for (m in c("OR", "RR", "RD")) for (zv in ZERO_VARIANTS) {
      e <- esc(ctxt(m, "escalc", zv$opt), c(list(measure = m), ta, zv$args))
      es[[length(es) + 1]] <- es_block(m, zv$opt, e)
    }
  }
  ## metafor MH and Peto (defaults)
  for (m in c("OR", "RR", "RD")) {
    q <- qtry(do.call(rma.mh, c(ta, list(measure = m))))
    log_warns(ctxt(m, "MH z default"), q$warns)
    if (is_err(q$val)) log_skip(ctxt(m, "MH z default"), q$val$msg)
    else rows[[length(rows) + 1]] <- mh_row(q$val, "metafor", m, "MH")
  }
  q <- qtry(do.call(rma.peto, ta))
  log_warns(ctxt("PETO PETO z default"), q$warns)
  if (is_err(q$val)) log_skip(ctxt("PETO PETO z default"), q$val$msg)
  else rows[[length(rows) + 1]] <- mh_row(q$val, "metafor", "PETO", "PETO")
  if (!revman) return(list(rows = rows, es = es))
  ## RevMan 5: OR, RR (MH with +1/2 in zero-cell tables inside MH; DL with MH-centred Q)
  for (m in c("OR", "RR")) {
    e5 <- esc(ctxt(m, "escalc revman5"), c(list(measure = m), ta, list(drop00 = TRUE)))
    es[[length(es) + 1]] <- es_block(m, "preset=revman5", e5)
    q <- qtry(do.call(rma.mh, c(ta, list(measure = m, add = c(1/2, 1/2), to = c("only0", "only0"),
                                           drop00 = c(TRUE, TRUE)))))
    log_warns(ctxt("revman5", m, "MH z default"), q$warns)
    if (is_err(q$val)) { log_skip(ctxt("revman5", m, "MH/DL z default"), q$val$msg); next }
    res <- q$val
    rows[[length(rows) + 1]] <- mh_row(res, "revman5", m, "MH")
    if (is.na(c(res$beta))) { log_skip(ctxt("revman5", m, "DL z default"), "MH estimate is NA"); next }
    h <- het_centre(e5$yi, e5$vi, c(res$beta))
    ## consistency check: our MH-centred Q equals metafor's rma.mh()$QE
    stopifnot(isTRUE(all.equal(h$Q, res$QE, tolerance = 1e-12)), h$df == max(res$k.yi - 1, 0))
    rows[[length(rows) + 1]] <- rm5_dl_row(m, e5$yi, e5$vi, h)
  }
  ## RevMan 5: RD
  rd <- rm5_rd(tt)
  es[[length(es) + 1]] <- es_block("RD", "preset=revman5", rd)
  h <- het_centre(rd$yi, rd$vi, rd$est)
  r <- empty_row("revman5", "RD", "log", "MH", "z", "default", "default")
  r$k <- rd$k; r$estimate <- rd$est; r$se <- rd$se; r$stat <- rd$est / rd$se
  r$pval <- 2 * pnorm(abs(r$stat), lower.tail = FALSE)
  r$ci_lb <- rd$est - ZCRIT * rd$se; r$ci_ub <- rd$est + ZCRIT * rd$se
  r$I2 <- h$I2; r$H2 <- h$H2; r$Q <- h$Q; r$Q_df <- h$df; r$Q_pval <- h$p
  rows[[length(rows) + 1]] <- r
  rows[[length(rows) + 1]] <- rm5_dl_row("RD", rd$yi, rd$vi, h)
  ## RevMan 5: Peto without continuity correction at study level
  e <- esc(ctxt("PETO escalc revman5"), c(list(measure = "PETO"), ta, list(add = 0, to = "none")))
  es[[length(es) + 1]] <- es_block("PETO", "preset=revman5", e)
  q <- qtry(do.call(rma.peto, c(ta, list(add = 0, to = "none"))))
  log_warns(ctxt("revman5 PETO PETO z default"), q$warns)
  if (is_err(q$val)) log_skip(ctxt("revman5 PETO PETO z default"), q$val$msg)
  else rows[[length(rows) + 1]] <- mh_row(q$val, "revman5", "PETO", "PETO")
  list(rows = rows, es = es)
}

REVMAN_GRID <- list(c("EE", "z", "default"), c("DL", "z", "default"))

## continuous data: MD, SMD, SMDH (variance / J^2, metafor >= 4.6 convention), ROM; RevMan 5 MD/SMD
analyse_cont <- function(d, grid, controls, revman = TRUE) {
  ca <- cont_args(d)
  rows <- list(); es <- list()
  for (m in c("MD", "SMD", "SMDH", "ROM")) {
    e <- esc(ctxt(m, "escalc"), c(list(measure = m), ca))
    if (m == "SMDH") {
      J <- metafor:::.cmicalc(d$n1i + d$n2i - 2)
      e$vi <- e$vi / J^2
    }
    es[[length(es) + 1]] <- es_block(m, "", e)
    rows <- c(rows, run_grid(list(yi = e$yi, vi = e$vi), m, "log", grid, controls))
  }
  if (revman) {
    e <- esc(ctxt("MD escalc revman5"), c(list(measure = "MD"), ca))
    es[[length(es) + 1]] <- es_block("MD", "preset=revman5", e)
    rows <- c(rows, run_grid(list(yi = e$yi, vi = e$vi), "MD", "log", REVMAN_GRID, "default", "revman5"))
    e <- rm5_smd(d)
    es[[length(es) + 1]] <- es_block("SMD", "preset=revman5", e)
    rows <- c(rows, run_grid(list(yi = e$yi, vi = e$vi), "SMD", "log", REVMAN_GRID, "default", "revman5"))
  }
  list(rows = rows, es = es)
}

## generic data
gen_rargs <- function(d, kind) {
  switch(kind,
         gen = list(yi = d$yi, vi = d$vi),
         gen_sei = list(yi = d$yi, sei = d$sei),
         gen_ci = list(yi = log(d$yi), sei = (log(d$ci_ub) - log(d$ci_lb)) / (2 * qnorm(0.975))))
}
analyse_gen <- function(d, kind, measure, grid, controls) {
  scale <- if (kind == "gen_ci") "natural" else "log"
  list(rows = run_grid(gen_rargs(d, kind), measure, scale, grid, controls), es = list())
}

analyse <- function(d, spec) {
  grid <- switch(spec$grid, full = grid_full(), small = grid_small(), k1 = grid_k1(), none = list())
  controls <- spec$controls
  if (spec$kind %in% MEAS_KINDS) return(analyse_meas(d, spec, grid, controls))
  switch(spec$kind,
         "2x2" = analyse_2x2(d, grid, controls, spec$zero_variants, revman = spec$revman),
         cont = analyse_cont(d, grid, controls, revman = spec$revman),
         analyse_gen(d, spec$kind, spec$measure, grid, controls))
}

## --------------------------------------------------------------------------------------------
## formatting of outputs
## --------------------------------------------------------------------------------------------

rows_to_df <- function(rows, id = NULL) {
  out <- lapply(COLS, function(cn) {
    v <- vapply(rows, function(r) if (is.na(r[[cn]]) && !(cn %in% TEXT_COLS)) NA_character_
                else if (cn %in% TEXT_COLS) as.character(r[[cn]]) else fnum(r[[cn]]), character(1))
    v[is.na(v)] <- "NA"
    v
  })
  names(out) <- COLS
  df <- as.data.frame(out, stringsAsFactors = FALSE, optional = TRUE)
  if (!is.null(id)) df <- cbind(data.frame(id = rep(fq(id), nrow(df))), df)
  df
}
es_to_df <- function(es, study, id = NULL) {
  parts <- lapply(es, function(b) data.frame(measure = b$measure, options = fq(b$options),
                                             study = fq(study), yi = fnum(b$yi), vi = fnum(b$vi),
                                             stringsAsFactors = FALSE))
  df <- do.call(rbind, parts)
  if (!is.null(id)) df <- cbind(data.frame(id = rep(fq(id), nrow(df))), df)
  df
}
input_to_df <- function(d, id = NULL) {
  out <- list(study = fq(d$study))
  for (cn in setdiff(names(d), "study")) out[[cn]] <- fin(d[[cn]])
  df <- as.data.frame(out, stringsAsFactors = FALSE, optional = TRUE)
  if (!is.null(id)) df <- cbind(data.frame(id = rep(fq(id), nrow(df))), df)
  df
}

## --------------------------------------------------------------------------------------------
## SOURCE.md helpers
## --------------------------------------------------------------------------------------------

RD_DB <- NULL
rd_info <- function(obj) {
  if (is.null(RD_DB)) RD_DB <<- tools::Rd_db("metadat")
  rd <- RD_DB[[paste0(obj, ".Rd")]]
  if (is.null(rd)) return(list(title = obj, source = "(no help page found)"))
  txt <- capture.output(tools::Rd2txt(rd, out = "", options = list(underline_titles = FALSE, width = 80L)))
  txt <- sub("[[:space:]]+$", "", txt)
  first <- which(nzchar(txt))[1]
  stop_t <- which(!nzchar(txt) & seq_along(txt) > first)[1]
  title <- paste(trimws(txt[first:(stop_t - 1)]), collapse = " ")
  s <- which(txt == "Source:")
  src <- "(no Source section)"
  if (length(s)) {
    hdr <- which(grepl("^[A-Z][A-Za-z ()]*:$", txt) & seq_along(txt) > s[1])
    e <- if (length(hdr)) hdr[1] - 1 else length(txt)
    src <- trimws(txt[(s[1] + 1):e])
    src <- paste(src, collapse = "\n")
    src <- gsub("\n\n+", "\n\n", trimws(src))
  }
  list(title = title, source = src)
}

env_lines <- function() {
  c(paste0("- R: ", R.version.string),
    paste0("- metafor: ", utils::packageDescription("metafor")$Version),
    paste0("- metadat: ", utils::packageDescription("metadat")$Version))
}

calls_lines <- function(kind, measure = NULL) {
  fields <- c(
    "Field sources for rma() rows: k=res$k; estimate=c(res$beta); se=res$se; stat=res$zval;",
    "pval=res$pval; ci_lb/ci_ub=res$ci.lb/res$ci.ub; df=res$ddf (NA under test=\"z\"); tau2=res$tau2",
    "(0 for EE); I2=res$I2; H2=res$H2; Q=res$QE; Q_df=res$k-res$p; Q_pval=res$QEp;",
    "tau2_ci_*, I2_ci_*, H2_ci_* = confint(res)$random rows \"tau^2\", \"I^2(%)\", \"H^2\" (NA for EE",
    "and for k=1, where confint() stops); pi_lb/pi_ub = predict(res)$pi.lb/pi.ub (NA for EE).",
    "All values are on the scale metafor fits (log scale for OR/RR/PETO/ROM).")
  grid_txt <- c(
    "Grid (each for control=default and control=tight): METHOD in EE, DL, HE, HS, SJ, ML, REML, EB, PM",
    "with TEST in z, knha; REML additionally with test t and adhoc; REML z and REML knha",
    "additionally with pi=riley (unless a reduced grid is stated under Notes). EE with test=knha is",
    "fitted as metafor does it (it warns that Knapp-Hartung is not meant for EE models; the warning",
    "is not repeated under Notes).")
  fit_txt <- function(yv) c(
    "```r",
    paste0("res <- rma(", yv, ", method=METHOD, test=TEST)                      # control=default"),
    paste0("res <- rma(", yv, ", method=METHOD, test=TEST,"),
    paste0("           ", TIGHT_TXT, ")   # control=tight"),
    "ci  <- confint(res)                              # control=default (not for EE)",
    "ci  <- confint(res, control=list(tol=1e-15))     # control=tight   (not for EE)",
    "pr  <- predict(res)                              # pi=default (not for EE)",
    "pr  <- predict(res, pi.type=\"riley\")             # pi=riley",
    "```",
    "If a tight fit stops with \"did not converge\", it is refitted with threshold=1e-12, then 1e-11",
    "(same tol and maxiter); the rows keep control=tight and Notes list every such case.",
    "Caveat: metafor's ll0check for ML/REML compares ll(0) - ll(tau2_hat) with control$tol, so under",
    "tight control the check uses 1e-15 instead of 1.220703e-4. Near the tau2 = 0 boundary tight",
    "ML/REML/EB fits end at tiny positive values (1e-16 .. 1e-14) where default fits give exactly 0",
    "or a value up to ~1e-5 away: compare tau2 with an absolute tolerance.",
    "Values of +-Inf (e.g. stat when test=knha and all yi are identical, so se = 0) are written as Inf/-Inf.")
  if (kind == "2x2") {
    c("Study-level effect sizes (es.csv, options empty) and rma() input, for MEASURE in OR, RR, RD, PETO:",
      "```r",
      "dat <- escalc(measure=MEASURE, <counts as in input.csv>)   # defaults: add=1/2, to=\"only0\", drop00=FALSE",
      "```",
      "es.csv option rows (when present): `to=all`, `to=if0all`, `to=none`, `add=0.25`, `drop00=1` are",
      "escalc(measure=MEASURE, <counts>, to=\"all\") etc. (one argument changed from the defaults).",
      "", grid_txt, fit_txt("yi, vi"), fields, "",
      "MH / Peto rows (preset=metafor, control=default, test=z):",
      "```r",
      "res <- rma.mh(<counts>, measure=\"OR\")   # likewise \"RR\", \"RD\"; metafor defaults",
      "res <- rma.peto(<counts>)               # measure=PETO, method=PETO",
      "```",
      "k=res$k; estimate=c(res$beta); se, stat=zval, pval, ci from the object; Q=res$QE; Q_pval=res$QEp;",
      "I2=res$I2; H2=res$H2; Q_df=res$k.yi-1 (the df metafor uses for QEp: number of tables with a",
      "non-NA study-level yi under add=1/2, to=\"only0\", drop00=TRUE, minus 1). For rma.peto, QE itself",
      "sums over tables with V_i>0 (raw counts) while df is still k.yi-1. tau2, tau2/I2/H2 CIs, PI: NA.",
      "",
      "RevMan 5 rows (preset=revman5, control=default, test=z; no PI and no tau2/I2/H2 CIs: NA):",
      "- OR, RR, method MH: `rma.mh(<counts>, measure=M, add=c(1/2,1/2), to=c(\"only0\",\"only0\"), drop00=c(TRUE,TRUE))`;",
      "  fields as for the metafor MH rows (Q is metafor's MH-centred QE).",
      "- OR, RR, method DL: study-level y_i, v_i = `escalc(measure=M, <counts>, drop00=TRUE)` (es.csv rows",
      "  with options `preset=revman5`); Q_MH = sum_i (y_i - theta_MH)^2 / v_i with theta_MH the revman5 MH",
      "  estimate above (checked equal to rma.mh()$QE); df = k_y - 1; w_i = 1/v_i;",
      "  tau2 = max(0, (Q_MH - df) / (sum w - sum w^2 / sum w)); estimate = sum w*_i y_i / sum w*_i with",
      "  w*_i = 1/(v_i + tau2); se = 1/sqrt(sum w*); stat = estimate/se; pval = 2*pnorm(-|stat|);",
      "  ci = estimate -/+ qnorm(0.975)*se; I2 = 100*max(0, (Q_MH - df)/Q_MH); H2 = Q_MH/df; k = k_y.",
      "- RD, method MH (section 8 items 1-2 and section 2.2 of methods-reference.md, as in meta's",
      "  metabin with RevMan5 settings): zero-cell tables (any of a,b,c,d = 0) get +1/2 in every cell",
      "  (a',b',c',d', n1'=n1+1, n2'=n2+1, N'=N+2); other tables are unchanged; no table is dropped",
      "  (double-zero tables included). RD_i = a/n1 - c/n2 from the RAW counts;",
      "  w_i = n1' n2' / N'; estimate = sum w_i RD_i / sum w_i;",
      "  Var = sum_i [(a' b' n2'^3 + c' d' n1'^3) / (n1' n2' N'^2)] / (sum_i w_i)^2   (Greenland-Robins 1985);",
      "  se = sqrt(Var); z test, normal CI. Study level (es.csv `preset=revman5`): y_i = RD_i (raw),",
      "  v_i = a'b'/n1'^3 + c'd'/n2'^3. Q = sum_i (y_i - estimate)^2 / v_i over all k tables, df = k-1,",
      "  I2 = 100*max(0,(Q-df)/Q), H2 = Q/df.",
      "- RD, method DL: as for OR/RR DL, using the RD y_i, v_i and the RD MH-centred Q just described.",
      "- PETO, method PETO: `rma.peto(<counts>, add=0, to=\"none\")` (pooled estimate identical to metafor's);",
      "  es.csv `preset=revman5` rows: `escalc(measure=\"PETO\", <counts>, add=0, to=\"none\")`.")
  } else if (kind == "cont") {
    c("Study-level effect sizes (es.csv, options empty) and rma() input, for MEASURE in MD, SMD, SMDH, ROM:",
      "```r",
      "dat <- escalc(measure=MEASURE, n1i=n1i, m1i=m1i, sd1i=sd1i, n2i=n2i, m2i=m2i, sd2i=sd2i)",
      "## SMDH only: metafor 3.8 multiplies the SMDH variance by J^2, metafor >= 4.6 (and metasyn) do not:",
      "J <- metafor:::.cmicalc(n1i + n2i - 2); dat$vi <- dat$vi / J^2      # yi unchanged",
      "```",
      "ROM: no bias correction (metafor 3.8 default). ROM yi is NA (study dropped) where a mean is <= 0.",
      "", grid_txt, fit_txt("yi, vi"), fields, "",
      "RevMan 5 rows (preset=revman5, control=default, method EE and DL, test z; no PI, no tau2/I2/H2 CIs: NA):",
      "- MD: `escalc(measure=\"MD\", ...)` as above (identical to metafor), then `rma(yi, vi, method=\"EE\"|\"DL\")`.",
      "- SMD: N = n1+n2, s_p = sqrt(((n1-1) sd1^2 + (n2-1) sd2^2)/(N-2)), d = (m1-m2)/s_p,",
      "  g = (1 - 3/(4N-9)) * d, v = 1/n1 + 1/n2 + g^2/(2(N-3.94)) (es.csv `preset=revman5`), then",
      "  `rma(yi=g, vi=v, method=\"EE\"|\"DL\", test=\"z\")`; fields from res as above.")
  } else if (kind %in% MEAS_KINDS) {
    c(calls_lines_meas(kind), "", grid_txt, fit_txt("yi, vi"), fields)
  } else {
    yv <- switch(kind, gen = "yi, vi", gen_sei = "yi, sei=sei",
                 gen_ci = "yi=log(yi), sei=(log(ci_ub)-log(ci_lb))/(2*qnorm(0.975))")
    c(paste0("Generic data (measure ", measure, "); columns of input.csv are passed directly:"),
      if (kind == "gen_ci") c("input.csv holds the odds ratio and its 95% CI on the natural scale (scale=natural);",
                              "the reference fit works on the log scale and all reported values are log-OR scale.") else NULL,
      "", grid_txt, fit_txt(yv), fields)
  }
}

note_lines <- function() {
  out <- character()
  if (length(LOG$skipped)) out <- c(out, "", "Skipped rows (metafor error; row not written):",
                                    paste0("- ", LOG$skipped))
  if (length(LOG$thresh)) out <- c(out, "", "Tight fits that needed a looser threshold (all tests of that method):",
                                   paste0("- ", LOG$thresh))
  if (length(LOG$cinotes)) out <- c(out, "", "confint()/predict() notes [methods (controls)]:",
                                    paste0("- ", mapply(fmt_cinote, names(LOG$cinotes), LOG$cinotes)))
  if (length(LOG$warns)) {
    out <- c(out, "", "metafor warnings (message: contexts):")
    for (w in sort(names(LOG$warns))) {
      ctxs <- LOG$warns[[w]]
      shown <- if (length(ctxs) > 12) c(head(ctxs, 12), sprintf("... (%d more)", length(ctxs) - 12)) else ctxs
      out <- c(out, paste0("- \"", w, "\": ", paste(shown, collapse = "; ")))
    }
  }
  out
}

## --------------------------------------------------------------------------------------------
## dataset processing
## --------------------------------------------------------------------------------------------

get_metadat <- function(obj) {
  e <- new.env()
  utils::data(list = obj, package = "metadat", envir = e)
  x <- e[[obj]]
  class(x) <- "data.frame"     # drop the 'escalc' class
  x
}

analysis_cols <- function(kind) switch(kind,
  gen = c("yi", "vi"), gen_sei = c("yi", "sei"), gen_ci = c("yi", "ci_lb", "ci_ub"),
  cont = c("n1i", "m1i", "sd1i", "n2i", "m2i", "sd2i"), NULL)

fill_spec <- function(spec, d) {
  if (is.null(spec$grid)) spec$grid <- "full"
  if (is.null(spec$controls)) spec$controls <- c("default", "tight")
  if (is.null(spec$revman)) spec$revman <- spec$kind %in% c("2x2", "cont")
  if (spec$kind == "2x2" && is.null(spec$zero_variants)) {
    t <- tab_abcd(d)
    spec$zero_variants <- any(unlist(t) == 0, na.rm = TRUE)
  }
  if (spec$kind %in% MEAS_KINDS && is.null(spec$zero_variants)) spec$zero_variants <- meas_has_zero(d, spec$kind)
  if (is.null(spec$zero_variants)) spec$zero_variants <- FALSE
  if (is.null(spec$back)) spec$back <- TRUE
  if (is.null(spec$measure)) spec$measure <- "GEN"
  spec
}

count_rows <- function(rows) {
  tab <- table(vapply(rows, function(r) paste(r$preset, r$measure), character(1)))
  paste(sprintf("%s=%d", names(tab), as.integer(tab)), collapse = ", ")
}

missing_note <- function(d, kind) {
  cols <- setdiff(names(d), "study")
  na <- apply(is.na(d[, cols, drop = FALSE]), 1, any)
  if (!any(na)) return("No missing values.")
  paste0("Rows with missing values are kept (empty fields) and dropped by metafor (and by metasyn): ",
         paste(d$study[na], collapse = "; "), ".")
}

process_named <- function(root, spec, generator_cmd) {
  log_reset(spec$name)
  x <- get_metadat(spec$obj)
  d <- spec$make(x)
  d$study <- unique_labels(d$study)
  spec <- fill_spec(spec, d)
  out <- analyse(d, spec)
  dir <- file.path(root, spec$name)
  dir.create(dir, recursive = TRUE, showWarnings = FALSE)
  write_csv_chr(input_to_df(d), file.path(dir, "input.csv"))
  write_csv_chr(rows_to_df(out$rows), file.path(dir, "expected.csv"))
  if (length(out$es)) write_csv_chr(es_to_df(out$es, d$study), file.path(dir, "es.csv"))
  else if (file.exists(file.path(dir, "es.csv"))) file.remove(file.path(dir, "es.csv"))
  if (length(out$back)) write_csv_chr(back_to_df(out$back), file.path(dir, "back.csv"))
  else if (file.exists(file.path(dir, "back.csv"))) file.remove(file.path(dir, "back.csv"))
  info <- rd_info(spec$obj)
  md <- c(paste0("# ", spec$name), "",
          paste0("Origin: `metadat::", spec$obj, "` (metadat ", utils::packageDescription("metadat")$Version, ") -- ", info$title, "."),
          "", "Citation (from the help page, section \"Source\"):", "",
          paste0("> ", strsplit(info$source, "\n", fixed = TRUE)[[1]]),
          "", "Generated with:", "", env_lines(),
          paste0("- command: `", generator_cmd, "` (script `tools/golden.R`",
                 if (spec$kind %in% MEAS_KINDS) " with `tools/golden_measures.R`" else "", ")"),
          "", "## input.csv", "",
          paste0("k = ", nrow(d), " rows. Column mapping: ", spec$mapping),
          "", missing_note(d, spec$kind),
          "", "## R calls", "", calls_lines(spec$kind, spec$measure),
          "", "## Notes", "")
  notes <- c(if (!is.null(spec$notes)) paste0("- ", spec$notes) else NULL,
             if (spec$kind == "2x2") paste0("- es.csv zero-cell option rows (to=all, to=if0all, to=none, add=0.25, drop00=1): ",
                                            if (spec$zero_variants) "written (the data contain zero cells)." else "not written (no zero cells).")
             else NULL,
             if (spec$kind %in% MEAS_KINDS && !is.null(MEAS_FORMS[[spec$kind]]$variants))
               paste0("- es.csv zero-count option rows: ", if (spec$zero_variants) "written (the data contain zero counts)."
                      else "not written (no zero counts).") else NULL,
             if (spec$grid != "full") paste0("- Reduced grid (", spec$grid, "): ",
                                             if (spec$grid == "small") "EE, DL, REML with test z and knha." else "no rma() rows.") else NULL)
  ln <- note_lines()
  if (!length(ln) && !length(notes)) notes <- "- none"
  md <- c(md, notes, ln,
          "", paste0("Row counts: ", nrow(rows_to_df(out$rows)), " expected rows (", count_rows(out$rows), ")",
                     if (length(out$es)) paste0("; ", sum(vapply(out$es, function(b) length(b$yi), 1L)), " es rows") else "",
                     if (length(out$back)) paste0("; ", length(out$back), " back rows") else ""),
          "")
  write_lines_utf8(md, file.path(dir, "SOURCE.md"))
  s <- sprintf("%-22s k=%4d expected=%5d es=%5d", spec$name, nrow(d), length(out$rows),
               sum(vapply(out$es, function(b) length(b$yi), 1L)))
  GLOBAL$counts <- c(GLOBAL$counts, s)
  cat(s, "\n")
  invisible(out)
}

## --------------------------------------------------------------------------------------------
## committed datasets
## --------------------------------------------------------------------------------------------

COMMITTED <- list(
  list(name = "bcg", obj = "dat.bcg", kind = "2x2",
       make = function(x) data.frame(study = paste(x$author, x$year), ai = x$tpos, bi = x$tneg, ci = x$cpos, di = x$cneg),
       mapping = "study = paste(author, year); ai = tpos, bi = tneg, ci = cpos, di = cneg."),
  list(name = "normand1999", obj = "dat.normand1999", kind = "cont",
       make = function(x) data.frame(study = x$source, n1i = x$n1i, m1i = x$m1i, sd1i = x$sd1i,
                                     n2i = x$n2i, m2i = x$m2i, sd2i = x$sd2i),
       mapping = "study = source; n1i, m1i, sd1i, n2i, m2i, sd2i as in metadat."),
  list(name = "hackshaw1998", obj = "dat.hackshaw1998", kind = "gen", measure = "GEN",
       make = function(x) data.frame(study = paste(x$author, x$year), yi = x$yi, vi = x$vi),
       mapping = "study = paste(author, year); yi, vi as in metadat (log odds ratios)."),
  list(name = "hackshaw1998_ci", obj = "dat.hackshaw1998", kind = "gen_ci", measure = "OR",
       make = function(x) data.frame(study = paste(x$author, x$year), yi = x$or, ci_lb = x$or.lb, ci_ub = x$or.ub),
       mapping = "study = paste(author, year); yi = or, ci_lb = or.lb, ci_ub = or.ub (odds ratio and 95% CI, natural scale).",
       notes = c("scale=natural refers to the input; the reference fit is rma(yi=log(or), sei=(log(ci.ub)-log(ci.lb))/(2*qnorm(0.975))) and every reported number (estimate, CI, PI, tau2) is on the log-OR scale.")),
  list(name = "raudenbush1985", obj = "dat.raudenbush1985", kind = "gen", measure = "GEN",
       make = function(x) data.frame(study = paste(x$author, x$year), yi = x$yi, vi = x$vi),
       mapping = "study = paste(author, year); yi, vi as in metadat (standardized mean differences)."),
  list(name = "egger2001", obj = "dat.egger2001", kind = "2x2",
       make = function(x) data.frame(study = paste(x$study, x$year), ai = x$ai, n1i = x$n1i, ci = x$ci, n2i = x$n2i),
       mapping = "study = paste(study, year); ai, n1i, ci, n2i as in metadat."),
  list(name = "nielweise2007", obj = "dat.nielweise2007", kind = "2x2", zero_variants = TRUE,
       make = function(x) data.frame(study = paste(x$author, x$year), ai = x$ai, n1i = x$n1i, ci = x$ci, n2i = x$n2i),
       mapping = "study = paste(author, year); ai, n1i, ci, n2i as in metadat (zero cells, one double-zero study)."),
  list(name = "li2007", obj = "dat.li2007", kind = "2x2", zero_variants = TRUE,
       make = function(x) data.frame(study = paste(x$study, x$year), ai = x$ai, n1i = x$n1i, ci = x$ci, n2i = x$n2i),
       mapping = "study = paste(study, year); ai, n1i, ci, n2i as in metadat (zero cells)."),
  list(name = "curtis1998", obj = "dat.curtis1998", kind = "cont",
       make = function(x) data.frame(study = paste0(x$genus, " ", x$species, " (paper ", x$paper, ", id ", x$id, ")"),
                                     n1i = x$n1i, m1i = x$m1i, sd1i = x$sd1i, n2i = x$n2i, m2i = x$m2i, sd2i = x$sd2i),
       mapping = "study = genus species (paper, id); n1i, m1i, sd1i, n2i, m2i, sd2i as in metadat (group 1 = elevated CO2).",
       notes = c("All means are positive (min m1i 0.0932, min m2i 0.0738), so no study is dropped for ROM.",
                 paste("MD, method PM: metafor stops with \"Value of 'tau2.max' too low\" (the generalised Q at",
                       "tau2.max = max(100, 10*mad(yi)^2) is still above k-1), so there are no MD PM rows."))),
  list(name = "gibson2002", obj = "dat.gibson2002", kind = "cont",
       make = function(x) data.frame(study = paste(x$author, x$year), n1i = x$n1i, m1i = x$m1i, sd1i = x$sd1i,
                                     n2i = x$n2i, m2i = x$m2i, sd2i = x$sd2i),
       mapping = "study = paste(author, year); n1i, m1i, sd1i, n2i, m2i, sd2i as in metadat (the dichotomous columns ai..di are not used).",
       notes = c("Studies reporting only the dichotomous outcome have empty mean/SD fields.",
                 paste("MD, method ML: the ML log-likelihood is bimodal. Fisher scoring from the HE start converges to a",
                       "local maximum (tau2 ~ 0.6947, logLik -39.447) and metafor's ll0check finds logLik(0) = -39.290",
                       "higher, so it sets tau2 = 0 (with a warning) under both controls."))),
  list(name = "bangertdrowns2004", obj = "dat.bangertdrowns2004", kind = "gen", measure = "GEN",
       make = function(x) data.frame(study = paste(x$author, x$year), yi = x$yi, vi = x$vi),
       mapping = "study = paste(author, year); yi, vi as in metadat (standardized mean differences).")
)

## --------------------------------------------------------------------------------------------
## hold-out datasets
## --------------------------------------------------------------------------------------------

HOLDOUT <- list(
  list(name = "lau1992", obj = "dat.lau1992", kind = "2x2",
       make = function(x) data.frame(study = paste(x$trial, x$year), ai = x$ai, n1i = x$n1i, ci = x$ci, n2i = x$n2i),
       mapping = "study = paste(trial, year); ai, n1i, ci, n2i."),
  list(name = "laopaiboon2015", obj = "dat.laopaiboon2015", kind = "2x2",
       make = function(x) data.frame(study = paste(x$author, x$year), ai = x$ai, n1i = x$n1i, ci = x$ci, n2i = x$n2i),
       mapping = "study = paste(author, year); ai, n1i, ci, n2i."),
  list(name = "linde2005", obj = "dat.linde2005", kind = "2x2",
       make = function(x) data.frame(study = paste(x$study, x$year), ai = x$ai, n1i = x$n1i, ci = x$ci, n2i = x$n2i),
       mapping = "study = paste(study, year); ai, n1i, ci, n2i."),
  list(name = "graves2010", obj = "dat.graves2010", kind = "2x2",
       make = function(x) data.frame(study = x$study, ai = x$ai, n1i = x$n1i, ci = x$ci, n2i = x$n2i),
       mapping = "study = study; ai, n1i, ci, n2i."),
  list(name = "hahn2001", obj = "dat.hahn2001", kind = "2x2",
       make = function(x) data.frame(study = x$study, ai = x$ai, n1i = x$n1i, ci = x$ci, n2i = x$n2i),
       mapping = "study = study; ai, n1i, ci, n2i."),
  list(name = "anand1999", obj = "dat.anand1999", kind = "2x2",
       make = function(x) data.frame(study = paste(x$study, x$year), ai = x$ai, n1i = x$n1i, ci = x$ci, n2i = x$n2i),
       mapping = "study = paste(study, year); ai, n1i, ci, n2i."),
  list(name = "lee2004", obj = "dat.lee2004", kind = "2x2",
       make = function(x) data.frame(study = paste(x$study, x$year), ai = x$ai, n1i = x$n1i, ci = x$ci, n2i = x$n2i),
       mapping = "study = paste(study, year); ai, n1i, ci, n2i."),
  list(name = "konstantopoulos2011", obj = "dat.konstantopoulos2011", kind = "gen",
       make = function(x) data.frame(study = paste0("district ", x$district, " school ", x$school, " (", x$year, ")"), yi = x$yi, vi = x$vi),
       mapping = "study = district/school/year; yi, vi (multilevel structure ignored: plain rma)."),
  list(name = "lehmann2018", obj = "dat.lehmann2018", kind = "gen",
       make = function(x) data.frame(study = x$Short_Title, yi = x$yi, vi = x$vi),
       mapping = "study = Short_Title (made unique); yi, vi as in metadat."),
  list(name = "kalaian1996", obj = "dat.kalaian1996", kind = "gen",
       make = function(x) data.frame(study = paste(x$study, x$year, x$outcome), yi = x$yi, vi = x$vi),
       mapping = "study = paste(study, year, outcome); yi, vi (multivariate structure ignored)."),
  list(name = "begg1989", obj = "dat.begg1989", kind = "gen_sei",
       make = function(x) data.frame(study = paste0("study ", x$study, " ", x$trt), yi = x$yi, sei = x$sei),
       mapping = "study = paste('study', study, trt); yi, sei (written as yi,sei)."),
  list(name = "riley2003", obj = "dat.riley2003", kind = "gen",
       make = function(x) data.frame(study = paste0("study ", x$study, " ", x$outcome), yi = x$yi, vi = x$vi),
       mapping = "study = paste('study', study, outcome); yi, vi."),
  list(name = "tannersmith2016", obj = "dat.tannersmith2016", kind = "gen",
       make = function(x) data.frame(study = paste0("study ", x$studyid), yi = x$yi, vi = x$vi),
       mapping = "study = paste('study', studyid) (made unique); yi, vi."),
  list(name = "knapp2017", obj = "dat.knapp2017", kind = "gen",
       make = function(x) data.frame(study = paste(x$authors, x$year, x$task, x$comp), yi = x$yi, vi = x$vi),
       mapping = "study = paste(authors, year, task, comp); yi, vi."),
  list(name = "assink2016", obj = "dat.assink2016", kind = "gen",
       make = function(x) data.frame(study = paste0("study ", x$study, " es ", x$esid), yi = x$yi, vi = x$vi),
       mapping = "study = paste('study', study, 'es', esid); yi, vi (multilevel structure ignored)."),
  list(name = "mccurdy2020", obj = "dat.mccurdy2020", kind = "gen", grid = "small",
       make = function(x) data.frame(study = paste0("article ", x$article, " exp ", x$experiment, " sample ", x$sample, " id ", x$id), yi = x$yi, vi = x$vi),
       mapping = "study = article/experiment/sample/id; yi, vi (multilevel structure ignored).",
       notes = "Reduced grid (k = 1653): EE, DL, REML with test z and knha, control default and tight; no t/adhoc/riley rows."),
  list(name = "collins1985a", obj = "dat.collins1985a", kind = "2x2",
       make = function(x) data.frame(study = paste(x$trial, x$year), ai = x$b.xti, n1i = x$nti, ci = x$b.xci, n2i = x$nci),
       mapping = "study = paste(trial, year); outcome persistent/recurrent bleeding: ai = b.xti, n1i = nti, ci = b.xci, n2i = nci.")
)

## --------------------------------------------------------------------------------------------
## random sets
## --------------------------------------------------------------------------------------------

RANDOM_SEED <- 20240611L
RANDOM_2X2_SEED <- 20240612L
RANDOM_CONT_SEED <- 20240613L

gen_random_generic <- function() {
  set.seed(RANDOM_SEED)
  sets <- list()
  add <- function(d, desc, grid = "full") {
    id <- length(sets) + 1L
    sets[[id]] <<- list(id = id, d = d, desc = desc, grid = grid)
  }
  mk <- function(yi, vi) data.frame(study = paste0("s", seq_along(yi)), yi = yi, vi = vi)
  ks <- c(2, 3, 4, 5, 7, 10, 15, 20, 30, 50)
  tau2s <- c(0, 0.01, 0.1, 0.5, 2, 10)
  scales <- c(0.01, 1, 100)
  ## main grid: 10 k x 6 tau2 x 2 (vi uniform / log-uniform, different scales)
  for (ik in seq_along(ks)) for (it in seq_along(tau2s)) for (j in 1:2) {
    k <- ks[ik]; tau2 <- tau2s[it]; s <- scales[((ik + it + j) %% 3) + 1]
    vi <- if (j == 1) runif(k, 0.005, 1) * s else exp(runif(k, log(0.005), log(1))) * s
    mu <- rnorm(1, 0, 1)
    yi <- rnorm(k, mu, sqrt(vi + tau2))
    add(mk(yi, vi), sprintf("k=%d, tau2=%g, vi=%s(0.005,1)*%g", k, tau2,
                            if (j == 1) "runif" else "log-uniform", s))
  }
  ## all yi identical (Q = 0)
  for (i in 1:8) {
    k <- c(2, 3, 4, 5, 7, 10, 20, 50)[i]; s <- scales[(i %% 3) + 1]
    y0 <- rnorm(1, 0, 1)
    vi <- if (i == 8) rep(0.25 * s, k) else runif(k, 0.005, 1) * s
    add(mk(rep(y0, k), vi), sprintf("all yi identical, k=%d, vi=%s*%g", k,
                                    if (i == 8) "0.25 (also identical)" else "runif(0.005,1)", s))
  }
  ## all vi identical
  for (i in 1:8) {
    k <- c(2, 3, 5, 7, 10, 15, 30, 50)[i]; tau2 <- c(0, 0.01, 0.1, 0.5, 2, 10, 0, 0.5)[i]
    s <- scales[(i %% 3) + 1]; v <- runif(1, 0.005, 1) * s
    yi <- rnorm(k, rnorm(1), sqrt(v + tau2))
    add(mk(yi, rep(v, k)), sprintf("all vi identical (%g), k=%d, tau2=%g", v, k, tau2))
  }
  ## k = 2 edge cases
  add(mk(c(-3, 4), c(0.01, 0.02)), "k=2, very heterogeneous")
  add(mk(c(0.5, 0.5 + 1e-8), c(0.04, 0.09)), "k=2, nearly identical yi")
  ## very wide range of vi (ratio up to ~1e6, below metafor's 1e7 warning)
  for (k in c(10, 30)) {
    vi <- 10^runif(k, -3, 3)
    add(mk(rnorm(k, 0.3, sqrt(vi + 0.5)), vi), sprintf("k=%d, vi=10^runif(-3,3), tau2=0.5", k))
  }
  ## k = 1
  for (i in 1:3) {
    v <- c(0.04, 1, 25)[i]
    add(mk(rnorm(1, 0, 1), v), sprintf("k=1, vi=%g", v), grid = "k1")
  }
  sets
}

gen_random_2x2 <- function() {
  set.seed(RANDOM_2X2_SEED)
  sets <- list()
  add <- function(d, desc) {
    id <- length(sets) + 1L
    sets[[id]] <<- list(id = id, d = d, desc = desc, grid = "small")
  }
  ks <- c(2, 2, 3, 40, 5, 8, 10, 12, 15, 20, 25, 30, 35, 4, 6, 7, 9, 11, 13, 16, 18, 22, 27, 33, 38, 3, 14, 24, 2, 17)
  for (i in seq_along(ks)) {
    k <- ks[i]
    pc <- exp(runif(1, log(0.005), log(0.5)))
    mu <- rnorm(1, -0.3, 0.5)
    tau <- c(0, 0.2, 0.5, 1)[(i %% 4) + 1]
    n1 <- round(exp(runif(k, log(10), log(2000))))
    n2 <- round(exp(runif(k, log(10), log(2000))))
    pci <- plogis(qlogis(pc) + rnorm(k, 0, 0.3))
    pti <- plogis(qlogis(pci) + mu + rnorm(k, 0, tau))
    ai <- rbinom(k, n1, pti); ci <- rbinom(k, n2, pci)
    dz <- ""
    if (i %% 5 == 0 && k > 2) {
      idx <- sort(sample.int(k, min(2, k - 1)))
      ai[idx] <- 0; ci[idx] <- 0
      dz <- sprintf(", forced double-zero studies %s", paste(idx, collapse = "+"))
    }
    d <- data.frame(study = paste0("s", seq_len(k)), ai = ai, bi = n1 - ai, ci = ci, di = n2 - ci)
    nz <- sum(d$ai == 0 | d$bi == 0 | d$ci == 0 | d$di == 0)
    add(d, sprintf("k=%d, p_ctrl=%.3g, mu=%.3g, tau=%g, zero-cell studies=%d%s", k, pc, mu, tau, nz, dz))
  }
  ## special: one table with all events in both arms (b = d = 0)
  d <- data.frame(study = paste0("s", 1:6), ai = c(12, 30, 7, 20, 15, 9), bi = c(88, 70, 43, 0, 35, 41),
                  ci = c(20, 41, 9, 25, 22, 14), di = c(80, 62, 41, 0, 30, 36))
  add(d, "k=6, study s4 has all events in both arms (b=d=0)")
  ## special: no events in any treatment arm (MH OR/RR R = 0)
  d <- data.frame(study = paste0("s", 1:5), ai = c(0, 0, 0, 0, 0), bi = c(50, 120, 80, 33, 61),
                  ci = c(2, 5, 0, 1, 3), di = c(48, 118, 82, 30, 60))
  add(d, "k=5, no events in the treatment arm of any study (ai all 0; one double zero)")
  sets
}

gen_random_cont <- function() {
  set.seed(RANDOM_CONT_SEED)
  sets <- list()
  add <- function(d, desc) {
    id <- length(sets) + 1L
    sets[[id]] <<- list(id = id, d = d, desc = desc, grid = "small")
  }
  ks <- c(2, 3, 30, 5, 8, 10, 12, 15, 20, 25, 4, 6, 7, 9, 11, 14, 18, 22, 28, 2, 3, 16)
  for (i in seq_along(ks)) {
    k <- ks[i]
    n1 <- sample(5:500, k, replace = TRUE); n2 <- sample(5:500, k, replace = TRUE)
    if (i %% 4 == 0) { n1 <- sample(5:20, k, replace = TRUE); n2 <- sample(5:20, k, replace = TRUE) }
    mu2 <- exp(runif(1, log(0.5), log(200)))
    cv <- runif(1, 0.1, 0.5)
    logratio <- rnorm(1, 0.1, 0.2)
    tauR <- c(0, 0.05, 0.2, 0.5)[(i %% 4) + 1]
    mu2i <- mu2 * exp(rnorm(k, 0, 0.3))
    mu1i <- mu2i * exp(logratio + rnorm(k, 0, tauR))
    sdt1 <- cv * mu1i * exp(rnorm(k, 0, 0.2)); sdt2 <- cv * mu2i * exp(rnorm(k, 0, 0.2))
    m1i <- abs(rnorm(k, mu1i, sdt1 / sqrt(n1))); m2i <- abs(rnorm(k, mu2i, sdt2 / sqrt(n2)))
    sd1i <- sdt1 * sqrt(rchisq(k, n1 - 1) / (n1 - 1)); sd2i <- sdt2 * sqrt(rchisq(k, n2 - 1) / (n2 - 1))
    d <- data.frame(study = paste0("s", seq_len(k)), n1i = n1, m1i = signif(m1i, 6), sd1i = signif(sd1i, 6),
                    n2i = n2, m2i = signif(m2i, 6), sd2i = signif(sd2i, 6))
    add(d, sprintf("k=%d, n in %s, control mean ~%.3g, CV %.2f, log ratio %.3f, tau(log ratio)=%g", k,
                   if (i %% 4 == 0) "5..20" else "5..500", mu2, cv, logratio, tauR))
  }
  sets
}

process_random <- function(root, name, kind, sets, seed, generator_cmd, gen_desc) {
  log_reset(name)
  rows_df <- list(); es_df <- list(); in_df <- list(); back_df <- list(); counts <- character()
  for (s in sets) {
    LOG$id <- s$id
    spec <- fill_spec(list(kind = kind, grid = s$grid,
                           controls = if (kind == "gen") c("default", "tight") else "default"), s$d)
    out <- analyse(s$d, spec)
    rows_df[[length(rows_df) + 1]] <- rows_to_df(out$rows, s$id)
    if (length(out$es)) es_df[[length(es_df) + 1]] <- es_to_df(out$es, s$d$study, s$id)
    if (length(out$back)) back_df[[length(back_df) + 1]] <- back_to_df(out$back, s$id)
    in_df[[length(in_df) + 1]] <- input_to_df(s$d, s$id)
    counts <- c(counts, sprintf("| %d | %d | %s%s | %d |", s$id, nrow(s$d), s$desc,
                                if (s$grid == "none") " (grid none)" else "", length(out$rows)))
  }
  LOG$id <- NULL
  dir <- file.path(root, name)
  dir.create(dir, recursive = TRUE, showWarnings = FALSE)
  write_csv_chr(do.call(rbind, in_df), file.path(dir, "input.csv"))
  exp_all <- do.call(rbind, rows_df)
  write_csv_chr(exp_all, file.path(dir, "expected.csv"))
  n_es <- 0
  if (length(es_df)) {
    es_all <- do.call(rbind, es_df); n_es <- nrow(es_all)
    write_csv_chr(es_all, file.path(dir, "es.csv"))
  }
  n_back <- 0
  if (length(back_df)) {
    back_all <- do.call(rbind, back_df); n_back <- nrow(back_all)
    write_csv_chr(back_all, file.path(dir, "back.csv"))
  }
  md <- c(paste0("# ", name), "",
          "Origin: simulated data generated by `tools/golden.R` (deterministic).", "",
          gen_desc, "", paste0("Seed: `set.seed(", seed, ")` once, then the sets are drawn in the order of the table below."),
          "", "Generated with:", "", env_lines(),
          paste0("- command: `", generator_cmd, "` (script `tools/golden.R`",
                 if (kind %in% MEAS_KINDS) " with `tools/golden_measures.R`" else "", ")"),
          "", "Every file has an `id` column first identifying the set; within a set the analyses are",
          "exactly those described below, run on that set alone.",
          "", "## R calls", "",
          calls_lines(kind, "GEN"), "",
          if (kind %in% MEAS_KINDS) c("Sets with grid `none` (see the table) have es.csv rows only; the others use the",
                                      "reduced grid EE, DL, REML x (z, knha) with control default.", "") else NULL,
          "## Sets", "", "| id | k | description | expected rows |", "|---|---|---|---|", counts,
          "", "## Notes", "")
  ln <- note_lines()
  md <- c(md, if (length(ln)) ln else "- none",
          "", sprintf("Row counts: %d sets, %d expected rows, %d es rows%s.", length(sets), nrow(exp_all), n_es,
                      if (n_back) sprintf(", %d back rows", n_back) else ""), "")
  write_lines_utf8(md, file.path(dir, "SOURCE.md"))
  s <- sprintf("%-22s sets=%3d expected=%5d es=%5d", name, length(sets), nrow(exp_all), n_es)
  GLOBAL$counts <- c(GLOBAL$counts, s)
  cat(s, "\n")
}

RANDOM_DESC <- c(
  random = paste(
    "Generic (yi, vi) sets. Main block: for k in {2,3,4,5,7,10,15,20,30,50} and tau2 in {0,0.01,0.1,0.5,2,10},",
    "two sets each: vi = runif(k,0.005,1)*s and vi = exp(runif(k,log(0.005),0))*s, with s in {0.01,1,100}",
    "rotating; mu = rnorm(1); yi = rnorm(k, mu, sqrt(vi + tau2)). Then 8 sets with all yi identical",
    "(one also with identical vi), 8 sets with all vi identical, 2 k=2 edge sets, 2 sets with vi spanning",
    "~6 orders of magnitude, and 3 k=1 sets (grid reduced to EE, DL, REML with test z, both controls).",
    "Full method grid with control default and tight for all other sets."),
  random_2x2 = paste(
    "2x2 sets (ai, bi, ci, di), k from 2 to 40, n per arm log-uniform on 10..2000, control risk",
    "log-uniform on 0.005..0.5, log OR ~ N(mu, tau^2); some sets have forced double-zero studies;",
    "plus a set with an all-events table (b=d=0) and a set without treatment-arm events.",
    "Reduced grid: OR, RR, RD, PETO with EE, DL, REML x (z, knha), control default; MH and Peto rows;",
    "RevMan 5 rows; es.csv with defaults, the zero-cell option variants (sets with zero cells) and revman5 rows."),
  random_cont = paste(
    "Continuous sets (n1i, m1i, sd1i, n2i, m2i, sd2i), k from 2 to 30, n from 5 to 500 (every fourth set",
    "5..20), all means positive; values rounded to 6 significant digits.",
    "Reduced grid: MD, SMD, SMDH, ROM with EE, DL, REML x (z, knha), control default; RevMan 5 MD/SMD rows; es.csv."))

## --------------------------------------------------------------------------------------------
## main
## --------------------------------------------------------------------------------------------

print_summary <- function() {
  cat("\n== summary ==\n")
  cat(paste0(GLOBAL$counts, "\n"), sep = "")
  cat(sprintf("\nskipped rows: %d\n", length(GLOBAL$skipped)))
  if (length(GLOBAL$skipped)) cat(paste0("  ", GLOBAL$skipped, "\n"), sep = "")
  cat(sprintf("tight fits needing a looser threshold: %d\n", length(GLOBAL$thresh)))
  if (length(GLOBAL$thresh)) cat(paste0("  ", GLOBAL$thresh, "\n"), sep = "")
  cat(sprintf("confint/predict notes: %d\n", length(GLOBAL$cinotes)))
  cat(sprintf("distinct metafor warnings: %d\n", length(GLOBAL$warns)))
  if (length(GLOBAL$warns)) cat(paste0("  ", GLOBAL$warns, "\n"), sep = "")
}

main <- function(args) {
  if (length(args) == 2 && args[1] == "--holdout") {
    root <- args[2]
    dir.create(root, recursive = TRUE, showWarnings = FALSE)
    cmd <- "Rscript tools/golden.R --holdout DIR"
    skipped <- character()
    for (spec in c(HOLDOUT, HOLDOUT_MEAS)) {
      ok <- tryCatch({ process_named(root, spec, cmd); TRUE },
                     error = function(e) { skipped <<- c(skipped, paste0("- ", spec$name, " (", spec$obj, "): ", conditionMessage(e))); FALSE })
    }
    write_lines_utf8(c("# Skipped hold-out datasets", "",
                       if (length(skipped)) skipped else "None: every requested hold-out dataset was written.", ""),
                     file.path(root, "SKIPPED.md"))
    for (r in RANDOM_MEAS)
      process_random(root, paste0("holdout_", r$name), r$kind, gen_random_meas(r$kind, HOLDOUT_RANDOM_SEED + r$off),
                     HOLDOUT_RANDOM_SEED + r$off, cmd, RANDOM_MEAS_DESC[[r$kind]])
  } else if (length(args) == 1 && !startsWith(args[1], "--")) {
    root <- args[1]
    dir.create(root, recursive = TRUE, showWarnings = FALSE)
    cmd <- "Rscript tools/golden.R tests/golden"
    for (spec in COMMITTED) process_named(root, spec, cmd)
    process_random(root, "random", "gen", gen_random_generic(), RANDOM_SEED, cmd, RANDOM_DESC[["random"]])
    process_random(root, "random_2x2", "2x2", gen_random_2x2(), RANDOM_2X2_SEED, cmd, RANDOM_DESC[["random_2x2"]])
    process_random(root, "random_cont", "cont", gen_random_cont(), RANDOM_CONT_SEED, cmd, RANDOM_DESC[["random_cont"]])
    for (spec in COMMITTED_MEAS) process_named(root, spec, cmd)
    for (r in RANDOM_MEAS)
      process_random(root, r$name, r$kind, gen_random_meas(r$kind, RANDOM_MEAS_SEED + r$off),
                     RANDOM_MEAS_SEED + r$off, cmd, RANDOM_MEAS_DESC[[r$kind]])
  } else {
    stop("usage: Rscript tools/golden.R OUTDIR | Rscript tools/golden.R --holdout DIR")
  }
  print_summary()
}

main(commandArgs(trailingOnly = TRUE))
