## bench/permutest.R -- metafor's side of the permutation-test benchmark
## (run by bench/run).
##
##   Rscript bench/permutest.R DATA.csv ITER
##
## DATA.csv (x,yi,vi) is written by `bench_pool perm`.  Times, in process
## CPU time,
##     res <- rma(yi, vi, mods = ~ x, method = "REML"); permutest(res, iter = ITER)
## and prints the observed QM, the permutation p-values and, last,
## "perm_seconds <cpu>".
suppressPackageStartupMessages(library(metafor))
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 2)
  stop("usage: Rscript bench/permutest.R DATA.csv ITER")
d <- read.csv(args[1])
iter <- as.integer(args[2])
set.seed(1)
t0 <- proc.time()
res <- rma(yi, vi, mods = ~ x, data = d, method = "REML")
pt <- permutest(res, iter = iter, progbar = FALSE)
dt <- proc.time() - t0
cat(sprintf("  metafor %s: QM = %.6f, %d permutations, p(QM) = %.4f, p(x) = %.4f\n",
            as.character(packageVersion("metafor")), res$QM, iter, pt$QMp, pt$pval[2]))
cat(sprintf("perm_seconds %.6f\n", dt[["user.self"]] + dt[["sys.self"]]))
