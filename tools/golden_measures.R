## tools/golden_measures.R -- golden values for the one-group, correlation, rate, pre-post, O-E
## and converted measures (issue 3). Sourced by tools/golden.R; not run on its own.
##
## Kinds (input.csv columns -> metasyn measures; the escalc() measure used for the reference):
##   prop    xi ni                    PR PLO PAS PFT
##   rate    xi ti                    IR IRLN
##   mean    mi sdi ni                MN MNLN
##   cor     ri ni                    COR ZCOR
##   rates2  x1i t1i x2i t2i          IRR IRD
##   prepost m1i m2i sd1i sd2i ni ri  SMCC SMCR
##   oe      oei vei                  PETO HR   (reference: escalc PETO on the 2x2 table the O-E came from)
##   oe_given oei vei                 HR        (reference: yi = oei/vei, vi = 1/vei; no table available)
##   tabx    ai bi ci di / ai n1i ci n2i   AS (escalc AS), SMD (escalc OR2DL)
##   armsx   n1i m1i sd1i n2i m2i sd2i      OR (escalc D2ORL)
## back.csv: predict(res, transf=..., targs=...) for the measures metasyn back-transforms.

MEAS_FORMS <- list(
  prop = list(measures = c("PR", "PLO", "PAS", "PFT"), cols = c("xi", "ni"), back = c("PLO", "PAS", "PFT"),
              variants = c("PR", "PLO")),
  rate = list(measures = c("IR", "IRLN"), cols = c("xi", "ti"), back = "IRLN", variants = c("IR", "IRLN")),
  mean = list(measures = c("MN", "MNLN"), cols = c("mi", "sdi", "ni"), back = "MNLN"),
  cor = list(measures = c("COR", "ZCOR"), cols = c("ri", "ni"), back = "ZCOR"),
  rates2 = list(measures = c("IRR", "IRD"), cols = c("x1i", "t1i", "x2i", "t2i"), back = "IRR",
                variants = c("IRR", "IRD"), drop00 = TRUE),
  prepost = list(measures = c("SMCC", "SMCR"), cols = c("m1i", "m2i", "sd1i", "sd2i", "ni", "ri")),
  oe = list(measures = c("PETO", "HR"), cols = c("oei", "vei"), back = "HR", escalc = c(PETO = "PETO", HR = "PETO")),
  oe_given = list(measures = "HR", cols = c("oei", "vei"), back = "HR"),
  tabx = list(measures = c("AS", "SMD"), cols = NULL, escalc = c(AS = "AS", SMD = "OR2DL"),
              variants = "SMD", back = NULL),
  armsx = list(measures = "OR", cols = c("n1i", "m1i", "sd1i", "n2i", "m2i", "sd2i"),
               escalc = c(OR = "D2ORL"), back = "OR")
)
MEAS_KINDS <- names(MEAS_FORMS)

## transf and targs of predict() for a back-transformed measure; ni = sizes of the included studies
BACK_TRANSF <- list(PLO = "transf.ilogit", PAS = "transf.iarcsin", PFT = "transf.ipft.hm",
                    ZCOR = "transf.ztor", IRLN = "exp", MNLN = "exp", IRR = "exp", HR = "exp", OR = "exp")
BACK_COLS <- c("measure", "method", "test", "control", "tau2", "n_hm", "estimate", "ci_lb", "ci_ub",
               "pi_lb", "pi_ub")

## O - E and V of Peto's method from a 2x2 table (hypergeometric mean and variance of ai)
oe_from_table <- function(t) {
  t <- lapply(t, as.double)
  n1 <- t$ai + t$bi; n2 <- t$ci + t$di; N <- n1 + n2
  E <- (t$ai + t$ci) * n1 / N
  V <- (t$ai + t$ci) * (t$bi + t$di) * n1 * n2 / (N^2 * (N - 1))
  list(oei = t$ai - E, vei = V)
}

meas_escalc_args <- function(d, kind, m) {
  f <- MEAS_FORMS[[kind]]
  em <- if (!is.null(f$escalc) && !is.na(f$escalc[m])) unname(f$escalc[m]) else m
  a <- switch(kind,
    prop = list(xi = d$xi, ni = d$ni),
    rate = list(xi = d$xi, ti = d$ti),
    mean = list(mi = d$mi, sdi = d$sdi, ni = d$ni),
    cor = list(ri = d$ri, ni = d$ni),
    rates2 = list(x1i = d$x1i, t1i = d$t1i, x2i = d$x2i, t2i = d$t2i),
    prepost = list(m1i = d$m1i, m2i = d$m2i, sd1i = d$sd1i, sd2i = d$sd2i, ni = d$ni, ri = d$ri),
    oe = c(tab_abcd(attr(d, "tab")), list(add = 0)),
    tabx = tab_args(d),
    armsx = cont_args(d))
  c(list(measure = em), a)
}

meas_es <- function(d, kind, m, extra = list()) {
  if (kind == "oe_given") return(list(yi = d$oei / d$vei, vi = 1 / d$vei))
  e <- esc(ctxt(m, "escalc", paste(names(extra), extra, sep = "=", collapse = ";")),
           c(meas_escalc_args(d, kind, m), extra))
  if (kind == "oe") {
    ## the O - E form must reproduce Peto's yi, vi exactly
    stopifnot(isTRUE(all.equal(e$yi, d$oei / d$vei, tolerance = 1e-12)),
              isTRUE(all.equal(e$vi, 1 / d$vei, tolerance = 1e-12)))
  }
  e
}

## sizes whose harmonic mean transf.ipft.hm uses: ni of the studies in the fit
meas_ni <- function(d, kind, e) {
  if (is.null(d$ni)) return(NULL)
  d$ni[!is.na(e$yi) & !is.na(e$vi)]
}

back_rows <- function(e, m, ni) {
  out <- list()
  for (method in c("DL", "REML")) {
    ctx <- ctxt(m, method, "z", "default", "back")
    res <- fit_rma(list(yi = e$yi, vi = e$vi), method, "z", "default", ctx)
    if (is.null(res)) next
    tf <- get(BACK_TRANSF[[m]], envir = asNamespace("metafor"), inherits = TRUE)
    q <- if (m == "PFT") qtry(predict(res, transf = tf, targs = list(ni = ni)))
         else qtry(predict(res, transf = tf))
    log_warns(paste(ctx, "predict"), q$warns)
    if (is_err(q$val)) { log_skip(ctx, q$val$msg); next }
    p <- q$val
    out[[length(out) + 1]] <- list(measure = m, method = method, test = "z", control = "default",
                                   tau2 = res$tau2, n_hm = if (m == "PFT") 1 / mean(1 / ni) else NA,
                                   estimate = p$pred[1], ci_lb = p$ci.lb[1], ci_ub = p$ci.ub[1],
                                   pi_lb = p$pi.lb[1], pi_ub = p$pi.ub[1])
  }
  out
}

analyse_meas <- function(d, spec, grid, controls) {
  f <- MEAS_FORMS[[spec$kind]]
  rows <- list(); es <- list(); back <- list()
  for (m in f$measures) {
    e <- meas_es(d, spec$kind, m)
    es[[length(es) + 1]] <- es_block(m, "", e)
    if (length(grid)) rows <- c(rows, run_grid(list(yi = e$yi, vi = e$vi), m, "log", grid, controls))
    if (isTRUE(spec$back) && m %in% f$back && sum(!is.na(e$yi) & !is.na(e$vi)) >= 2)
      back <- c(back, back_rows(e, m, meas_ni(d, spec$kind, e)))
  }
  if (isTRUE(spec$zero_variants) && !is.null(f$variants)) {
    zv <- list(list(opt = "to=all", args = list(to = "all")),
               list(opt = "to=if0all", args = list(to = "if0all")),
               list(opt = "to=none", args = list(to = "none")),
               list(opt = "add=0.25", args = list(add = 0.25)))
    if (isTRUE(f$drop00)) zv <- c(zv, list(list(opt = "drop00=1", args = list(drop00 = TRUE))))
    for (m in f$variants) for (z in zv) {
      e <- meas_es(d, spec$kind, m, z$args)
      es[[length(es) + 1]] <- es_block(m, z$opt, e)
    }
  }
  list(rows = rows, es = es, back = back)
}

meas_has_zero <- function(d, kind) {
  v <- switch(kind,
    prop = c(d$xi == 0, d$xi == d$ni),
    rate = d$xi == 0,
    rates2 = c(d$x1i == 0, d$x2i == 0),
    tabx = unlist(tab_abcd(d)) == 0,
    FALSE)
  any(v, na.rm = TRUE)
}

back_to_df <- function(back, id = NULL) {
  out <- lapply(BACK_COLS, function(cn) {
    v <- vapply(back, function(r) if (cn %in% c("measure", "method", "test", "control")) r[[cn]]
                else fnum(r[[cn]]), character(1))
    v
  })
  names(out) <- BACK_COLS
  df <- as.data.frame(out, stringsAsFactors = FALSE, optional = TRUE)
  if (!is.null(id)) df <- cbind(data.frame(id = rep(fq(id), nrow(df))), df)
  df
}

calls_lines_meas <- function(kind) {
  f <- MEAS_FORMS[[kind]]
  em <- vapply(f$measures, function(m) if (!is.null(f$escalc) && !is.na(f$escalc[m])) f$escalc[[m]] else m, "")
  argtxt <- switch(kind,
    prop = "xi=xi, ni=ni", rate = "xi=xi, ti=ti", mean = "mi=mi, sdi=sdi, ni=ni", cor = "ri=ri, ni=ni",
    rates2 = "x1i=x1i, t1i=t1i, x2i=x2i, t2i=t2i",
    prepost = "m1i=m1i, m2i=m2i, sd1i=sd1i, sd2i=sd2i, ni=ni, ri=ri",
    oe = "ai=ai, bi=bi, ci=ci, di=di, add=0", oe_given = "",
    tabx = "<counts as in input.csv>", armsx = "n1i=n1i, m1i=m1i, sd1i=sd1i, n2i=n2i, m2i=m2i, sd2i=sd2i")
  es_txt <- if (kind == "oe_given") {
    c("Study level (measure HR; no escalc() measure takes O - E and V, so the reference is the formula",
      "metafor's documentation gives for these data):",
      "```r", "yi <- oei/vei; vi <- 1/vei", "```")
  } else {
    c(paste0("Study-level effect sizes (es.csv, options empty) and rma() input; metasyn measure -> escalc() measure: ",
             paste(paste0(f$measures, " -> ", em), collapse = ", "), ":"),
      "```r",
      paste0("dat <- escalc(measure=ESCALC_MEASURE, ", argtxt, ")   # escalc defaults otherwise"),
      "```")
  }
  extra <- switch(kind,
    prop = c("escalc defaults: PR and PLO add=1/2 to=\"only0\" (xi = 0 or xi = ni); PAS and PFT add=0 (no correction);",
             "vtype=\"LS\". es.csv option rows (data with zero cells only) for PR and PLO: `to=all`, `to=if0all`,",
             "`to=none`, `add=0.25` = escalc(..., to=\"all\") etc. (one argument changed from the defaults).",
             "to=\"none\" with xi = 0 gives PLO yi = -Inf, which escalc recodes to NA (study left out)."),
    rate = c("escalc defaults: add=1/2 to=\"only0\" (xi = 0). es.csv option rows as for proportions (data with zeros only)."),
    mean = c("MNLN: escalc gives NA (with a warning) where mi <= 0; the study is left out."),
    cor = c("vtype=\"LS\": COR vi = (1 - ri^2)^2/(ni - 1); ZCOR vi = 1/(ni - 3). escalc sets vi = NA for ni <= 3",
            "(both measures); ZCOR yi = +-Inf for |ri| = 1 is recoded to NA; COR with |ri| = 1 has vi = 0."),
    rates2 = c("escalc defaults: add=1/2 to=\"only0\" (x1i = 0 or x2i = 0), drop00=FALSE. es.csv option rows",
               "(data with zeros only): `to=all`, `to=if0all`, `to=none`, `add=0.25`, `drop00=1`."),
    prepost = c("metafor's convention: m1i/sd1i = time point 1 as passed to escalc; SMCC uses the SD of the",
                "change sqrt(sd1i^2 + sd2i^2 - 2 ri sd1i sd2i), SMCR uses sd1i; both with Hedges' exact J(ni - 1)",
                "and vtype=\"LS\"."),
    oe = c("input.csv holds O - E and V of each table computed in R from the metadat counts:",
           "n1 = ai+bi, n2 = ci+di, N = n1+n2, E = (ai+ci) n1/N, V = (ai+ci)(bi+di) n1 n2/(N^2 (N-1)),",
           "oei = ai - E, vei = V (written with %.17g). The reference is escalc(measure=\"PETO\", <table>, add=0)",
           "(yi = (ai - E)/V, vi = 1/V; checked equal to oei/vei and 1/vei to 1e-12); for tables without",
           "zero cells this is escalc's default. Measure HR on the same columns uses the same yi, vi."),
    oe_given = character(),
    tabx = c("AS: escalc default add=0 (no correction). SMD on a study that only has a 2x2 table is metafor's",
             "OR2DL (Chinn 2000): yi = sqrt(3)/pi * log OR, vi = 3/pi^2 * var(log OR) with escalc's default",
             "add=1/2 to=\"only0\"; es.csv option rows for SMD (data with zero cells only): `to=all`, `to=if0all`,",
             "`to=none`, `add=0.25`."),
    armsx = c("OR on a study with arm means and SDs is metafor's D2ORL: yi = pi/sqrt(3) * d (d the bias-",
              "uncorrected standardized mean difference), vi = pi^2/3 * (1/n1i + 1/n2i + d^2/(2(n1i+n2i)))."))
  back_txt <- if (!is.null(f$back)) c("",
    "back.csv (measures metasyn back-transforms; DL and REML, test z, control default; rows written when",
    "at least two studies have a yi):",
    "```r",
    "res <- rma(yi, vi, method=METHOD, test=\"z\")",
    "pr  <- predict(res, transf=TRANSF)                      # PFT: targs=list(ni=ni[included])",
    "```",
    paste0("TRANSF: ", paste(paste0(f$back, " = ", unlist(BACK_TRANSF[f$back])), collapse = ", "),
           ". Fields: tau2 = res$tau2; n_hm = 1/mean(1/ni) of the included studies (PFT only);"),
    "estimate = pr$pred, ci_lb/ci_ub = pr$ci.lb/ci.ub, pi_lb/pi_ub = pr$pi.lb/pi.ub.") else character()
  c(es_txt, extra, back_txt)
}

## --------------------------------------------------------------------------------------------
## committed and hold-out datasets of the new measures
## --------------------------------------------------------------------------------------------

bcg_tab <- function(x) data.frame(ai = x$tpos, bi = x$tneg, ci = x$cpos, di = x$cneg)
make_oe <- function(study, t) {
  o <- oe_from_table(t)
  d <- data.frame(study = study, oei = o$oei, vei = o$vei)
  attr(d, "tab") <- t
  d
}

COMMITTED_MEAS <- list(
  list(name = "pritz1997", obj = "dat.pritz1997", kind = "prop",
       make = function(x) data.frame(study = x$authors, xi = x$xi, ni = x$ni),
       mapping = "study = authors; xi, ni as in metadat (studies 5 and 8 have xi = ni)."),
  list(name = "molloy2014", obj = "dat.molloy2014", kind = "cor",
       make = function(x) data.frame(study = paste(x$authors, x$year), ri = x$ri, ni = x$ni),
       mapping = "study = paste(authors, year); ri, ni as in metadat."),
  list(name = "hart1999", obj = "dat.hart1999", kind = "rates2",
       make = function(x) data.frame(study = paste(x$study, x$year), x1i = x$x1i, t1i = x$t1i, x2i = x$x2i, t2i = x$t2i),
       mapping = "study = paste(study, year); x1i, t1i (warfarin), x2i, t2i (placebo/control) as in metadat."),
  list(name = "hart1999_ir", obj = "dat.hart1999", kind = "rate",
       make = function(x) data.frame(study = paste(x$study, x$year), xi = x$x1i, ti = x$t1i),
       mapping = "study = paste(study, year); xi = x1i, ti = t1i (the warfarin arm only)."),
  list(name = "normand1999_mn", obj = "dat.normand1999", kind = "mean",
       make = function(x) data.frame(study = x$source, mi = x$m1i, sdi = x$sd1i, ni = x$n1i),
       mapping = "study = source; mi = m1i, sdi = sd1i, ni = n1i (group 1, specialist care, only)."),
  list(name = "normand1999_or", obj = "dat.normand1999", kind = "armsx",
       make = function(x) data.frame(study = x$source, n1i = x$n1i, m1i = x$m1i, sd1i = x$sd1i,
                                     n2i = x$n2i, m2i = x$m2i, sd2i = x$sd2i),
       mapping = "study = source; n1i, m1i, sd1i, n2i, m2i, sd2i as in metadat; measure OR from the arms (D2ORL)."),
  list(name = "bcg_as", obj = "dat.bcg", kind = "tabx",
       make = function(x) data.frame(study = paste(x$author, x$year), ai = x$tpos, bi = x$tneg, ci = x$cpos, di = x$cneg),
       mapping = "study = paste(author, year); ai = tpos, bi = tneg, ci = cpos, di = cneg; measures AS and SMD (OR2DL)."),
  list(name = "bcg_oe", obj = "dat.bcg", kind = "oe",
       make = function(x) make_oe(paste(x$author, x$year), bcg_tab(x)),
       mapping = "study = paste(author, year); oei, vei = Peto's O - E and V of the table tpos, tneg, cpos, cneg.")
)

HOLDOUT_MEAS <- list(
  list(name = "debruin2009", obj = "dat.debruin2009", kind = "prop",
       make = function(x) data.frame(study = paste(x$author, x$year), xi = x$xi, ni = x$ni),
       mapping = "study = paste(author, year); xi, ni."),
  list(name = "pagliaro1992", obj = "dat.pagliaro1992", kind = "prop",
       make = function(x) data.frame(study = paste0("study ", x$study, " ", x$trt), xi = x$xi, ni = x$ni),
       mapping = "study = paste('study', study, trt); xi, ni (arms treated as independent groups)."),
  list(name = "cohen1981", obj = "dat.cohen1981", kind = "cor",
       make = function(x) data.frame(study = paste(x$study, x$sample), ri = x$ri, ni = x$ni),
       mapping = "study = paste(study, sample); ri, ni."),
  list(name = "mcdaniel1994", obj = "dat.mcdaniel1994", kind = "cor", grid = "small",
       make = function(x) data.frame(study = paste0("study ", x$study), ri = x$ri, ni = x$ni),
       mapping = "study = paste('study', study); ri, ni."),
  list(name = "nielweise2008", obj = "dat.nielweise2008", kind = "rates2",
       make = function(x) data.frame(study = paste(x$authors, x$year), x1i = x$x1i, t1i = x$t1i, x2i = x$x2i, t2i = x$t2i),
       mapping = "study = paste(authors, year); x1i, t1i, x2i, t2i."),
  list(name = "nielweise2008_ir", obj = "dat.nielweise2008", kind = "rate",
       make = function(x) data.frame(study = paste(x$authors, x$year), xi = x$x2i, ti = x$t2i),
       mapping = "study = paste(authors, year); xi = x2i, ti = t2i (control arm)."),
  list(name = "senn2013_mn", obj = "dat.senn2013", kind = "mean", grid = "small",
       make = function(x) data.frame(study = paste(x$study, x$treatment), mi = x$mi, sdi = x$sdi, ni = x$ni),
       mapping = "study = paste(study, treatment); mi, sdi, ni (arms treated as independent groups)."),
  list(name = "curtis1998_or", obj = "dat.curtis1998", kind = "armsx", grid = "small",
       make = function(x) data.frame(study = paste0(x$genus, " ", x$species, " (paper ", x$paper, ", id ", x$id, ")"),
                                     n1i = x$n1i, m1i = x$m1i, sd1i = x$sd1i, n2i = x$n2i, m2i = x$m2i, sd2i = x$sd2i),
       mapping = "study = genus species (paper, id); arms as in metadat; measure OR (D2ORL)."),
  list(name = "anand1999_as", obj = "dat.anand1999", kind = "tabx",
       make = function(x) data.frame(study = paste(x$study, x$year), ai = x$ai, n1i = x$n1i, ci = x$ci, n2i = x$n2i),
       mapping = "study = paste(study, year); ai, n1i, ci, n2i; measures AS and SMD (OR2DL)."),
  list(name = "lau1992_oe", obj = "dat.lau1992", kind = "oe",
       make = function(x) make_oe(paste(x$trial, x$year),
                                  data.frame(ai = x$ai, bi = x$n1i - x$ai, ci = x$ci, di = x$n2i - x$ci)),
       mapping = "study = paste(trial, year); oei, vei = Peto's O - E and V of the table ai, n1i, ci, n2i."),
  list(name = "pignon2000", obj = "dat.pignon2000", kind = "oe_given",
       make = function(x) data.frame(study = x$trial, oei = x$OmE, vei = x$V),
       mapping = "study = trial; oei = OmE, vei = V (as reported).")
)

## --------------------------------------------------------------------------------------------
## random sets of the new forms
## --------------------------------------------------------------------------------------------

RANDOM_MEAS_SEED <- 20240614L

gen_random_meas <- function(kind, seed) {
  set.seed(seed)
  sets <- list()
  add <- function(d, desc, grid = "small") {
    id <- length(sets) + 1L
    sets[[id]] <<- list(id = id, d = d, desc = desc, grid = grid)
  }
  st <- function(k) paste0("s", seq_len(k))
  ks <- c(2, 3, 5, 8, 12, 20, 30)
  if (kind == "prop") {
    for (k in ks) {
      n <- round(exp(runif(k, log(5), log(500)))); mu <- rnorm(1, -1, 1.2); tau <- runif(1, 0, 1)
      x <- rbinom(k, n, plogis(rnorm(k, mu, tau)))
      add(data.frame(study = st(k), xi = x, ni = n), sprintf("k=%d, logit p ~ N(%.3g, %.3g^2), n 5..500", k, mu, tau))
    }
    add(data.frame(study = st(6), xi = c(0, 7, 12, 25, 3, 40), ni = c(20, 30, 12, 60, 15, 80)),
        "edge: s1 has xi = 0, s3 has xi = ni")
    add(data.frame(study = st(4), xi = c(0, 0, 10, 5), ni = c(8, 30, 10, 5)),
        "edge: two studies with xi = 0, two with xi = ni")
  } else if (kind == "rate") {
    for (k in ks) {
      t <- signif(exp(runif(k, log(50), log(20000))), 6); lr <- rnorm(1, log(0.01), 1); tau <- runif(1, 0, 0.8)
      x <- rpois(k, t * exp(rnorm(k, lr, tau)))
      add(data.frame(study = st(k), xi = x, ti = t), sprintf("k=%d, log rate ~ N(%.3g, %.3g^2), t 50..20000", k, lr, tau))
    }
    add(data.frame(study = st(5), xi = c(0, 4, 11, 2, 0), ti = c(120, 800, 1500.5, 230, 990)),
        "edge: s1 and s5 have xi = 0")
  } else if (kind == "mean") {
    for (k in ks) {
      n <- sample(3:300, k, replace = TRUE); mu <- exp(rnorm(1, 2, 1)); cv <- runif(1, 0.1, 0.8)
      m <- signif(mu * exp(rnorm(k, 0, 0.3)), 6); s <- signif(cv * m * exp(rnorm(k, 0, 0.2)), 6)
      add(data.frame(study = st(k), mi = m, sdi = s, ni = n), sprintf("k=%d, mean ~%.3g, CV %.2f, n 3..300", k, mu, cv))
    }
    add(data.frame(study = st(5), mi = c(2.5, 0, 3.1, 1.7, 2.2), sdi = c(1.1, 0.9, 1.4, 0.8, 1), ni = c(25, 30, 18, 40, 12)),
        "edge: s2 has mean 0 (MNLN: yi = -Inf, recoded to NA by escalc, left out; MN uses it)")
  } else if (kind == "cor") {
    for (k in ks) {
      n <- sample(5:500, k, replace = TRUE); z <- rnorm(1, 0.3, 0.4); tau <- runif(1, 0, 0.3)
      r <- round(tanh(rnorm(k, z, sqrt(tau^2 + 1 / (n - 3)))), 4)
      add(data.frame(study = st(k), ri = r, ni = n), sprintf("k=%d, z ~ N(%.3g, %.3g^2), n 5..500", k, z, tau))
    }
    add(data.frame(study = st(6), ri = c(0.31, 0.8, -0.2, 0.45, 0.12, 0.5), ni = c(40, 3, 25, 2, 60, 18)),
        "edge: s2 has ni = 3, s4 ni = 2 (vi NA for COR and ZCOR: left out)")
    add(data.frame(study = st(4), ri = c(1, 0.4, -1, 0.25), ni = c(10, 50, 12, 30)),
        "edge: |ri| = 1 in s1 and s3 (COR vi = 0; ZCOR yi = +-Inf -> NA); es.csv only", grid = "none")
  } else if (kind == "rates2") {
    for (k in ks) {
      t1 <- signif(exp(runif(k, log(100), log(10000))), 6); t2 <- signif(exp(runif(k, log(100), log(10000))), 6)
      lr <- rnorm(1, log(0.02), 0.8); lrr <- rnorm(1, -0.3, 0.4); tau <- runif(1, 0, 0.5)
      l2 <- exp(rnorm(k, lr, 0.3)); l1 <- l2 * exp(rnorm(k, lrr, tau))
      add(data.frame(study = st(k), x1i = rpois(k, t1 * l1), t1i = t1, x2i = rpois(k, t2 * l2), t2i = t2),
          sprintf("k=%d, log rate ~ N(%.3g, 0.3^2), log IRR ~ N(%.3g, %.3g^2)", k, lr, lrr, tau))
    }
    add(data.frame(study = st(6), x1i = c(0, 3, 0, 8, 5, 12), t1i = c(400, 620, 350, 1500, 900, 2400),
                   x2i = c(4, 7, 0, 15, 6, 20), t2i = c(380, 600, 410, 1480, 870, 2300)),
        "edge: s1 has x1i = 0, s3 has x1i = x2i = 0 (drop00)")
  } else if (kind == "prepost") {
    for (k in ks) {
      n <- sample(4:200, k, replace = TRUE); m1 <- signif(exp(rnorm(k, 3, 0.5)), 6)
      eff <- rnorm(1, 0.4, 0.3); s1 <- signif(m1 * runif(k, 0.1, 0.4), 6); s2 <- signif(s1 * exp(rnorm(k, 0, 0.2)), 6)
      m2 <- signif(m1 - (eff + rnorm(k, 0, 0.2)) * s1, 6); r <- round(runif(k, -0.2, 0.95), 3)
      add(data.frame(study = st(k), m1i = m1, m2i = m2, sd1i = s1, sd2i = s2, ni = n, ri = r),
          sprintf("k=%d, standardized change ~%.3g, ri in (-0.2, 0.95), n 4..200", k, eff))
    }
    add(data.frame(study = st(4), m1i = c(10, 12.5, 9, 11), m2i = c(12, 12.5, 7.5, 14), sd1i = c(2, 3, 2.5, 4),
                   sd2i = c(2.2, 3, 2.5, 3.5), ni = c(3, 20, 15, 30), ri = c(0, 0.5, 1, -0.3)),
        "edge: ni = 3 in s1, zero change in s2, ri = 1 with equal SDs in s3 (SMCC: change SD 0)")
  } else if (kind == "oe") {
    for (k in ks) {
      n1 <- round(exp(runif(k, log(10), log(1000)))); n2 <- round(exp(runif(k, log(10), log(1000))))
      pc <- exp(runif(1, log(0.02), log(0.4))); lor <- rnorm(1, -0.3, 0.4)
      a <- rbinom(k, n1, plogis(qlogis(pc) + lor)); c <- rbinom(k, n2, pc)
      bad <- (a + c == 0) | (a + c == n1 + n2)
      a[bad] <- a[bad] + 1; c[bad & c == n2] <- c[bad & c == n2] - 1
      t <- data.frame(ai = a, bi = n1 - a, ci = c, di = n2 - c)
      add(make_oe(st(k), t), sprintf("k=%d, control risk %.3g, log OR %.3g; O - E from the simulated tables", k, pc, lor))
    }
    t <- data.frame(ai = c(0, 5, 12, 3), bi = c(40, 35, 88, 27), ci = c(4, 0, 20, 3), di = c(36, 45, 80, 27))
    add(make_oe(st(4), t), "edge: zero cells in s1 (ai = 0) and s2 (ci = 0); O - E from raw counts (escalc add=0)")
  } else if (kind == "tabx") {
    for (k in ks) {
      n1 <- round(exp(runif(k, log(10), log(1000)))); n2 <- round(exp(runif(k, log(10), log(1000))))
      pc <- exp(runif(1, log(0.02), log(0.4))); lor <- rnorm(1, -0.3, 0.4)
      a <- rbinom(k, n1, plogis(qlogis(pc) + lor)); c <- rbinom(k, n2, pc)
      add(data.frame(study = st(k), ai = a, bi = n1 - a, ci = c, di = n2 - c),
          sprintf("k=%d, control risk %.3g, log OR %.3g", k, pc, lor))
    }
    add(data.frame(study = st(5), ai = c(0, 4, 0, 10, 7), bi = c(30, 26, 50, 0, 33), ci = c(3, 0, 0, 8, 9), di = c(27, 31, 45, 2, 31)),
        "edge: zero cells in s1, s2, s4; s3 a double zero")
  } else if (kind == "armsx") {
    for (k in ks) {
      n1 <- sample(5:300, k, replace = TRUE); n2 <- sample(5:300, k, replace = TRUE)
      mu <- exp(rnorm(1, 2, 1)); d <- rnorm(1, 0.3, 0.3); s <- mu * runif(1, 0.2, 0.6)
      m2 <- signif(rnorm(k, mu, s / 5), 6); m1 <- signif(m2 + (d + rnorm(k, 0, 0.15)) * s, 6)
      add(data.frame(study = st(k), n1i = n1, m1i = m1, sd1i = signif(s * exp(rnorm(k, 0, 0.2)), 6),
                     n2i = n2, m2i = m2, sd2i = signif(s * exp(rnorm(k, 0, 0.2)), 6)),
          sprintf("k=%d, SMD ~%.3g, n 5..300", k, d))
    }
  }
  sets
}

RANDOM_MEAS_DESC <- c(
  prop = "Proportions (xi, ni): k in {2,3,5,8,12,20,30}, ni log-uniform 5..500, logit p ~ N(mu, tau^2); two edge sets with xi = 0 and xi = ni. Measures PR, PLO, PAS, PFT.",
  rate = "Incidence rates (xi, ti): k in {2,3,5,8,12,20,30}, ti log-uniform 50..20000 (6 significant digits), xi Poisson; one edge set with xi = 0. Measures IR, IRLN.",
  mean = "Single means (mi, sdi, ni): k in {2,3,5,8,12,20,30}, ni 3..300, values rounded to 6 significant digits; one edge set with a zero mean (escalc stops on negative means for MNLN). Measures MN, MNLN.",
  cor = "Correlations (ri, ni): k in {2,3,5,8,12,20,30}, ni 5..500, ri rounded to 4 digits; an edge set with ni = 2 and 3; an es-only set with |ri| = 1. Measures COR, ZCOR.",
  rates2 = "Two incidence rates (x1i, t1i, x2i, t2i): k in {2,3,5,8,12,20,30}, person-time log-uniform 100..10000, Poisson counts; an edge set with x1i = 0 and a double zero. Measures IRR, IRD.",
  prepost = "Pre-post single group (m1i, m2i, sd1i, sd2i, ni, ri): k in {2,3,5,8,12,20,30}, ni 4..200, ri uniform (-0.2, 0.95); an edge set (ni = 3, zero change, ri = 1). Measures SMCC, SMCR.",
  oe = "Peto O - E (oei, vei) computed from simulated 2x2 tables (no table with V = 0): k in {2,3,5,8,12,20,30}; an edge set with zero cells. Measures PETO and HR.",
  tabx = "2x2 tables: k in {2,3,5,8,12,20,30}, n per arm 10..1000; an edge set with zero cells and a double zero. Measures AS and SMD (metafor OR2DL).",
  armsx = "Two-group means and SDs: k in {2,3,5,8,12,20,30}, n 5..300. Measure OR (metafor D2ORL).")

RANDOM_MEAS <- list(
  list(name = "random_prop", kind = "prop", off = 0L),
  list(name = "random_rate", kind = "rate", off = 1L),
  list(name = "random_mean", kind = "mean", off = 2L),
  list(name = "random_cor", kind = "cor", off = 3L),
  list(name = "random_rates2", kind = "rates2", off = 4L),
  list(name = "random_prepost", kind = "prepost", off = 5L),
  list(name = "random_oe", kind = "oe", off = 6L),
  list(name = "random_tabx", kind = "tabx", off = 7L),
  list(name = "random_armsx", kind = "armsx", off = 8L))

## hold-out random sets: same generators, other seeds (metadat 1.2-0 has no pre-post data set)
HOLDOUT_RANDOM_SEED <- 20250101L
