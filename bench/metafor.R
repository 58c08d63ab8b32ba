## bench/metafor.R -- the metafor side of metasyn's benchmark (run by bench/run).
##
##   Rscript bench/metafor.R DATA.csv OUT.csv N [OUT_TIGHT.csv]
##
## Reads the datasets of DATA.csv (id,yi,vi), takes the first N of them and
## times, per dataset,
##     res <- rma(yi, vi, method = "REML", test = "knha"); confint(res); predict(res)
## i.e. REML + Hartung-Knapp-Sidik-Jonkman + Q-profile CI for tau^2 +
## prediction interval, the same work as one msyn_pool() call with
## method REML, test knha, tau2_ci = 1, pi = default.  Time is process CPU
## time (proc.time() user + system, garbage collection included), after two
## warm-up fits.  Splitting the file into datasets and extracting the
## results are outside the timed loop.  The estimates are written to OUT.csv
## with the columns of bench_pool's output.  Datasets where rma() stops
## with an error (Fisher scoring not converged in its default 100
## iterations) are counted as failed and written as NA; their time stays in
## the total.
##
## With OUT_TIGHT.csv, the same N datasets are refitted (untimed) with
## control = list(threshold = 1e-13, tol = 1e-15, maxiter = 10000) in rma()
## and control = list(tol = 1e-15) in confint(), the settings of
## tools/golden.R, and written there: metafor run to (near) full precision,
## for the agreement check.  Last line of stdout: "ms_per_fit <mean>".

suppressPackageStartupMessages(library(metafor))
options(warn = 1)

args <- commandArgs(trailingOnly = TRUE)
if (!(length(args) %in% 3:4))
  stop("usage: Rscript bench/metafor.R DATA.csv OUT.csv N [OUT_TIGHT.csv]")
d <- read.csv(args[1], colClasses = c("integer", "numeric", "numeric"))
ids <- unique(d$id)
n <- min(as.integer(args[3]), length(ids))
ids <- ids[seq_len(n)]
d <- d[d$id %in% ids, ]
yy <- split(d$yi, factor(d$id, levels = ids))
vv <- split(d$vi, factor(d$id, levels = ids))
names(yy) <- names(vv) <- NULL

fit1 <- function(y, v) {
  res <- rma(y, v, method = "REML", test = "knha")
  list(res = res, ci = confint(res), pred = predict(res))
}

fit_tight <- function(y, v) {
  res <- rma(y, v, method = "REML", test = "knha",
             control = list(threshold = 1e-13, tol = 1e-15, maxiter = 10000))
  list(res = res, ci = confint(res, control = list(tol = 1e-15)), pred = predict(res))
}

invisible(fit1(yy[[1]], vv[[1]]))   # warm-up: byte compilation, method dispatch
invisible(fit1(yy[[2]], vv[[2]]))

out <- vector("list", n)
t0 <- proc.time()
for (j in seq_len(n)) {
  out[j] <- list(tryCatch(fit1(yy[[j]], vv[[j]]), error = function(e) NULL))
}
t1 <- proc.time()
dt <- (t1 - t0)
cpu <- dt[["user.self"]] + dt[["sys.self"]]

num <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))
write_est <- function(out, path) {
  rows <- character(n)
  for (j in seq_len(n)) {
    o <- out[[j]]
    if (is.null(o)) {
      rows[j] <- paste(c(ids[j], rep("NA", 9)), collapse = ",")
      next
    }
    r <- o$res
    tci <- o$ci$random["tau^2", c("ci.lb", "ci.ub")]
    rows[j] <- paste(c(ids[j], num(c(r$tau2, r$b[1], r$se, r$ci.lb, r$ci.ub, tci[1], tci[2],
                                     o$pred$pi.lb, o$pred$pi.ub))), collapse = ",")
  }
  writeLines(c("id,tau2,estimate,se,ci_lb,ci_ub,tau2_ci_lb,tau2_ci_ub,pi_lb,pi_ub", rows), path)
  sum(vapply(out, is.null, TRUE))
}
failed <- write_est(out, args[2])
failed_ids <- ids[vapply(out, is.null, TRUE)]

cat(sprintf("  metafor %s, %s: %d datasets, %d failed (rma() error); %.2f s CPU (%.2f s elapsed)\n",
            packageVersion("metafor"), R.version.string, n, failed, cpu, dt[["elapsed"]]))
if (failed > 0)
  cat(sprintf("  failed ids: %s (\"Fisher scoring algorithm did not converge\" at the default maxiter = 100)\n",
              paste(failed_ids, collapse = " ")))
if (length(args) >= 4) {
  tight <- vector("list", n)
  for (j in seq_len(n))
    tight[j] <- list(tryCatch(fit_tight(yy[[j]], vv[[j]]), error = function(e) NULL))
  nt <- write_est(tight, args[4])
  cat(sprintf("  metafor with tight control (untimed): %d failed%s\n", nt,
              if (nt > 0) paste0(" (ids ", paste(ids[vapply(tight, is.null, TRUE)], collapse = " "), ")") else ""))
}
cat(sprintf("ms_per_fit %.6f\n", 1e3 * cpu / n))
