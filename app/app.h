/*
 * app.h - the application layer: study files in, reports out.
 *
 * Everything that touches bytes meant for files or people lives in app/:
 * reading CSV tables, turning columns into study data with messages that
 * name file, line and column, and writing text, JSON and CSV.  It uses only
 * the public interface of libmetasyn (include/metasyn.h).
 */
#ifndef MSYN_APP_H
#define MSYN_APP_H

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include "metasyn.h"

/* ---- exit codes (docs/cli/README.md) --------------------------------- */
enum {
    APP_EXIT_OK = 0,
    APP_EXIT_FINDINGS = 1, /* check/verify: the data have findings      */
    APP_EXIT_USAGE = 2,    /* bad command line                          */
    APP_EXIT_DATA = 3,     /* input data invalid (file:line:col given)  */
    APP_EXIT_IO = 4,       /* cannot read input or write output         */
    APP_EXIT_MODEL = 5,    /* analysis not possible with these data     */
    APP_EXIT_INTERNAL = 6  /* out of memory or internal error           */
};

/* ---- memory (mem.c) -------------------------------------------------- */
/* The app's one allocation funnel.  METASYN_FAIL_ALLOC=N in the
 * environment makes the N-th allocation fail (tests of the out-of-memory
 * paths, as curl's torture mode). */
void *app_alloc(size_t size);
void *app_calloc(size_t n, size_t size);
void *app_realloc(void *p, size_t size);
void app_free(void *p);
char *app_strdup(const char *s);
char *app_strndup(const char *s, size_t n);
/* An msyn_allocator that goes through the funnel. */
const msyn_allocator *app_msyn_allocator(void);

/* ---- errors ---------------------------------------------------------- */
typedef struct app_err {
    int code;        /* APP_EXIT_*                                     */
    char msg[1024];  /* complete message without trailing newline      */
} app_err;

void app_err_set(app_err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- growable string buffer (buf.c) ---------------------------------- */
typedef struct sbuf {
    char *p;
    size_t len, cap;
    int oom;         /* set once an append failed; later appends no-op */
    int may_spill;   /* sb_allow_spill: may move its start to spill      */
    FILE *spill;     /* the start of the text, when moved (p holds the
                        rest); NULL while all of it is in p            */
    int spill_errno; /* why moving it failed (oom is set too), else 0    */
} sbuf;

void sb_init(sbuf *b);
void sb_free(sbuf *b);
/* Let b move what it holds to an anonymous temporary file whenever it
 * would grow past a few MB (METASYN_SPILL_AT=N bytes for tests), so that a
 * report of millions of rows is not held in memory.  Only for a buffer
 * that is appended to and then written whole (app_write_sbuf,
 * app_outputs_write), never read back through p. */
void sb_allow_spill(sbuf *b);
void sb_add(sbuf *b, const char *s, size_t n);
void sb_puts(sbuf *b, const char *s);
void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(sbuf *b, const char *fmt, va_list ap);
/* Append a number in the shortest form that reads back to the same double
 * ("NA" for NaN is not written: callers decide how to show NaN). */
void sb_num(sbuf *b, double x);
/* Append s padded with spaces to width display columns (UTF-8 aware). */
void sb_pad(sbuf *b, const char *s, size_t width, int right_align);
/* A CSV field, quoted by libcsv when it needs to be: when it holds a
 * comma, a quote or a line break (report_csv.c). */
void app_csv_cell(sbuf *b, const char *s);
/* The same, quoted also when it holds any character of also (the file's
 * delimiter, or ";" for spreadsheets that split on semicolons). */
void app_csv_cell_quote(sbuf *b, const char *s, const char *also);
/* A copy of s without leading and trailing blanks (app_free it; NULL when
 * out of memory; reg.c). */
char *app_trimmed(const char *s);
/* Display width of a UTF-8 string (code points; combining marks 0). */
size_t app_utf8_width(const char *s);

/* ---- encodings (text.c) ---------------------------------------------- */
/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
size_t app_utf8_seq(const char *s, size_t n);
/* 1 if the len bytes at s are valid UTF-8. */
int app_utf8_valid(const char *s, size_t len);
/* Write code point cp as UTF-8 into out; returns its length. */
size_t app_utf8_put(long cp, char out[4]);
/* The code point of a Windows-1252 byte (U+FFFD for the five undefined). */
long app_cp1252_char(unsigned char c);
/* Windows-1252 bytes as a new UTF-8 string (NULL when out of memory). */
char *app_cp1252_to_utf8(const char *s, size_t len, size_t *outlen);

/* ---- lists of sentences (buf.c) ---------------------------------------- */
/* Warnings and notes.  An entry that cannot be stored sets oom: a report
 * missing a warning would be silently incomplete, so callers treat oom as
 * an error. */
typedef struct app_strlist {
    char **s;
    size_t n;
    int oom;
    size_t cap;      /* room in s                                      */
    size_t *slot;    /* hash set of entries (index + 1, 0 = empty)     */
    size_t nslot;    /* its size, a power of two                       */
} app_strlist;

/* Append a formatted sentence, unless the list already holds it. */
void app_strlist_addf(app_strlist *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void app_strlist_free(app_strlist *l);

/* ---- files (io.c) ---------------------------------------------------- */
/* Read a whole file ("-" = standard input). */
int app_read_file(const char *path, char **data, size_t *len, app_err *e);
/* Write a buffer to path atomically (temporary file in the same folder,
 * then rename), or to standard output when path is NULL or "-".  On error
 * nothing is left behind. */
int app_write_output(const char *path, const char *data, size_t len, app_err *e);
/* The same for a buffer, with the part it moved to its spill file. */
int app_write_sbuf(const char *path, const sbuf *b, app_err *e);
/* Write n files together: each to a temporary beside it first, and only
 * when all were written are they renamed into place (a failure leaves
 * none of them, and no temporary). */
int app_write_outputs(const char *const *path, const char *const *data, const size_t *len, size_t n,
                      app_err *e);
/* The same, each file i starting with what the spill file pre[i] holds
 * (pre NULL, or pre[i] NULL: none), as app_write_sbuf. */
int app_write_outputs_pre(const char *const *path, FILE *const *pre, const char *const *data,
                          const size_t *len, size_t n, app_err *e);

/* ---- CSV tables (csv.c) ---------------------------------------------- */
typedef struct app_table {
    char *file;      /* name used in messages ("<stdin>" for -)         */
    size_t ncol, nrow;
    char **header;   /* ncol names, trimmed                             */
    char **cell;     /* nrow * ncol, NULL where a row is short          */
    long *line;      /* line number where each row starts               */
    char delim;      /* ',', ';' or '\t'                                 */
    int decimal_comma; /* numbers may use ',' (when delim is not ',')    */
    int recoded;     /* input was not UTF-8: read as Windows-1252       */
} app_table;

int app_table_read(const char *path, app_table *t, app_err *e);
/* Parse a table from memory (file is used in messages). */
int app_table_parse(const char *file, const char *data, size_t len,
                    app_table *t, app_err *e);
/* How a CSV file is read (--delimiter, --decimal): delim 0 = detected from
 * the header line; decimal APP_DECIMAL_AUTO = a decimal comma when the
 * delimiter is not a comma.  {0, APP_DECIMAL_AUTO} is the default. */
enum { APP_DECIMAL_AUTO = 0, APP_DECIMAL_POINT = 1, APP_DECIMAL_COMMA = 2 };
typedef struct app_csv_fmt {
    char delim;
    int decimal;
} app_csv_fmt;
/* Parse --delimiter (comma, semicolon, tab, pipe or one such character)
 * and --decimal (point or comma); 0 on success. */
int app_csv_parse_delim(const char *s, char *delim);
int app_csv_parse_decimal(const char *s, int *decimal);
/* "" or, when the header is a single column that holds another likely
 * delimiter, a hint to append to a "no data columns" message ("; the
 * header is one column: ... give --delimiter"). */
const char *app_table_delim_hint(const app_table *t);
/* app_table_read()/app_table_parse() with the format forced (fmt NULL:
 * detected). */
int app_table_read_fmt(const char *path, const app_csv_fmt *fmt, app_table *t, app_err *e);
int app_table_parse_fmt(const char *file, const char *data, size_t len, const app_csv_fmt *fmt,
                        app_table *t, app_err *e);
void app_table_free(app_table *t);
/* Column index of name (exact match after trimming), or -1. */
int app_table_col(const app_table *t, const char *name);
/* Column index ignoring case, or -1 (for "did you mean" hints). */
int app_table_col_nocase(const app_table *t, const char *name);
const char *app_table_cell(const app_table *t, size_t row, size_t col);
/* Keep only the rows whose column (named as in COL=VALUE or COL!=VALUE,
 * `pool --where`) equals (or differs from) the value, ignoring case and
 * surrounding blanks.  A usage error for a bad condition or an unknown
 * column, a data error when no row is left. */
int app_table_where(app_table *t, const char *cond, app_err *e);

/* ---- numbers (num.c) ------------------------------------------------- */
enum { NUM_OK = 0, NUM_MISSING = 1, NUM_BAD = -1 };
/* Parse a cell as a number.  Empty and NA are missing.  Accepts a leading
 * Unicode minus and, if decimal_comma, one decimal comma.  Rejects NaN,
 * Inf, hex and trailing text; *why explains a NUM_BAD. */
int app_parse_number(const char *s, int decimal_comma, double *out,
                     const char **why);
/* A cell quoted in a message, at most 40 bytes of it: "\"%.*s%s" with
 * app_excerpt_len(cell), cell and the tail app_excerpt_more() writes to
 * buf (48 bytes are enough). */
int app_excerpt_len(const char *s);
void app_excerpt_more(const char *s, char *buf, size_t size);

/* ---- study data (data.c, convert.c) ----------------------------------- */
/* Columns read from a study file, by metafor's names where metafor has
 * them (docs/cli/README.md, "Study files").  The first block is what
 * libmetasyn takes (msyn_es_data); the second holds reported statistics
 * that convert.c turns into means and SDs. */
enum { COL_N1I, COL_M1I, COL_SD1I, COL_N2I, COL_M2I, COL_SD2I,
       COL_AI, COL_BI, COL_CI, COL_DI,
       COL_YI, COL_VI, COL_SEI, COL_CI_LB, COL_CI_UB,
       COL_XI, COL_NI, COL_TI, COL_X1I, COL_T1I, COL_X2I, COL_T2I,
       COL_MI, COL_SDI, COL_RI, COL_OEI, COL_VEI,
       COL_ES_COUNT, /* columns above: study data libmetasyn reads */
       COL_SE1I = COL_ES_COUNT, COL_SE2I, COL_LB1I, COL_UB1I, COL_LB2I, COL_UB2I,
       COL_MDI, COL_MDI_LB, COL_MDI_UB, COL_MDI_T, COL_MDI_P,
       COL_MED1I, COL_Q1_1I, COL_Q3_1I, COL_MIN1I, COL_MAX1I,
       COL_MED2I, COL_Q1_2I, COL_Q3_2I, COL_MIN2I, COL_MAX2I,
       COL_COUNT };

extern const char *const app_col_names[COL_COUNT];

/* How a value of a study was obtained (app_data.conv bits). */
enum {
    CONV_M1_MEDIAN = 1u << 0,  CONV_M2_MEDIAN = 1u << 1,  /* mean from median  */
    CONV_SD1_MEDIAN = 1u << 2, CONV_SD2_MEDIAN = 1u << 3, /* SD from IQR/range */
    CONV_SD1_SE = 1u << 4,     CONV_SD2_SE = 1u << 5,     /* SD = SE sqrt(n)   */
    CONV_SD1_CI = 1u << 6,     CONV_SD2_CI = 1u << 7,     /* SD from mean's CI */
    CONV_M1_CI = 1u << 8,      CONV_M2_CI = 1u << 9,      /* mean = CI centre  */
    CONV_SD_MD_CI = 1u << 10,  /* one SD for both arms from the MD's CI     */
    CONV_SD_MD_T = 1u << 11,   /* ... from the MD's t statistic            */
    CONV_SD_MD_P = 1u << 12,   /* ... from the MD's p-value                */
    CONV_M_MD = 1u << 13,      /* m1i = mdi, m2i = 0: only the difference  */
    CONV_SKEW1 = 1u << 14,     CONV_SKEW2 = 1u << 15      /* skewed summary   */
};

/* Options of the conversions. */
typedef struct app_conv_opts {
    int median_off;               /* 1: never estimate means from medians */
    msyn_median_method median;    /* default MSYN_MEDIAN_LUO               */
    int counts_only;              /* no "N studies: ..." warnings: the caller
                                     sums app_conv_count() over the blocks of
                                     a file (pool --stream)                */
} app_conv_opts;


/* Per-study kind of score (column `score`). */
enum { SCORE_NONE = 0, SCORE_FINAL = 1, SCORE_CHANGE = 2 };

typedef struct app_data {
    size_t k;            /* studies (rows with data)                   */
    char **study;        /* labels                                     */
    long *line;          /* input line of each study                   */
    size_t *row;         /* its row in the table                       */
    double *col[COL_COUNT]; /* NULL when not used                      */
    int colidx[COL_COUNT];  /* table column of each, -1 when absent    */
    int score_col;       /* table column of `score`, -1 when absent    */
    unsigned char *score; /* SCORE_* per study (NULL without the column) */
    unsigned *conv;      /* CONV_* per study                           */
    app_conv_opts co;    /* conversions used                           */
    msyn_es_data es;     /* views of col[]                             */
    msyn_input input;    /* the form of the file (msyn_es_input)       */
    int recoded;         /* the file was read as Windows-1252          */
    app_strlist warnings; /* studies left out, conversions, and why    */
} app_data;

/* The studies of d with each kind of conversion (added to n), and the
 * warnings that count them ("3 studies: SD from the standard error ..."). */
enum { APP_CONV_KINDS = 5 };
void app_conv_count(const app_data *d, size_t n[APP_CONV_KINDS]);
void app_conv_summary(const size_t n[APP_CONV_KINDS], const app_conv_opts *co, app_strlist *w);

/* The measure a file implies when --measure is not given: GEN if it has a
 * yi column; otherwise an error that says which measures would fit. */
int app_data_guess_measure(const app_table *t, msyn_measure *m, app_err *e);

/* Read the columns measure m can use from t, convert reported statistics
 * into means and SDs where the measure takes them (co NULL: defaults), and
 * check every value with msyn_es_check(); problems come back as
 * "FILE:LINE:COL: message".  study_col NULL: "study" if present, else row
 * numbers. */
int app_data_load_ex(const app_table *t, msyn_measure m, const char *study_col,
                     const msyn_es_opts *eo, const app_conv_opts *co, app_data *d,
                     app_err *e);
int app_data_load(const app_table *t, msyn_measure m, const char *study_col,
                  const msyn_es_opts *eo, app_data *d, app_err *e);
void app_data_free(app_data *d);

/* convert.c: fill missing means and SDs of two-group data from SEs, CIs,
 * the mean difference's CI, t or p, and medians; set d->conv and add a
 * warning per kind of conversion.  Returns 0, or -1 when out of memory. */
int app_convert(app_data *d, msyn_measure m, const msyn_es_opts *eo, app_err *e);

/* A description of one conversion of study i, for reports. */
typedef struct app_conv_item {
    const char *value;   /* "sd1i"                                      */
    const char *from;    /* "se1i"                                      */
    const char *method;  /* "SD = SE x sqrt(n) (Cochrane Handbook 6.5.2.2)" */
} app_conv_item;
/* The conversions of study i (at most 8), in a fixed order. */
size_t app_conv_items(const app_data *d, size_t i, app_conv_item out[8]);

/* What msyn_es flags mean for a study, as a short note ("" if none). */
const char *app_es_note(unsigned flags, const msyn_es_opts *eo, char *buf, size_t n);

/* ---- subgroups (subgroup.c) ----------------------------------------------- */
typedef struct app_subgroup {
    char *name;              /* the --by column's value ("(none)": empty) */
    size_t *idx, n;          /* its studies (indices into the data)        */
    size_t k_est;            /* of which estimable                         */
    int pooled;              /* 0: fewer than --min-k studies, or no fit   */
    msyn_fit fit;
} app_subgroup;

typedef struct app_subgroups {
    const char *by;          /* column name, NULL without --by            */
    app_subgroup *g;
    size_t n;
    int tested;              /* the test for subgroup differences ran     */
    double Q, df, pval, I2;
    int common;              /* --tau2 common: one tau2, QM test            */
    double df2, tau2;        /* its F denominator df (knha), common tau2  */
} app_subgroups;

/* ---- meta-regression (reg.c) --------------------------------------------- */
#define APP_REG_MAXMOD 16
typedef struct app_reg_mod {
    char name[64];            /* the column                               */
    int categorical;
    size_t levels;            /* categorical: number of levels            */
    char ref[128];            /* categorical: the reference level ("" none) */
    size_t first, ncol;       /* its columns in the design                */
} app_reg_mod;

typedef struct app_reg {
    size_t k, p;              /* rows (all studies), design columns       */
    char **name;              /* p coefficient names                      */
    double *Xc;               /* column-major k x p (built column by column) */
    double *X;                /* row-major k x p (what msyn_reg takes)    */
    int intercept;
    app_reg_mod mod[APP_REG_MAXMOD];
    size_t nmod;
    double *coef;             /* 6 p values: b se stat pval ci_lb ci_ub   */
    double *vb;               /* p x p                                    */
    msyn_reg_fit fit;
    size_t npred;
    double *predx;            /* npred x p                                */
    msyn_reg_pred *pred;
    int permuted;             /* --permutations ran                       */
    msyn_reg_perm perm;       /* its result (perm.pval: p values)         */
    unsigned long long seed;
} app_reg;

/* ---- sensitivity and influence (sens.c) ------------------------------------ */
enum { SENS_EST, SENS_SE, SENS_STAT, SENS_PVAL, SENS_CILB, SENS_CIUB, SENS_Q, SENS_QP,
       SENS_TAU2, SENS_I2, SENS_H2, SENS_NCOL };
enum { INF_RSTUDENT, INF_DFFITS, INF_COOK, INF_COVR, INF_TAU2DEL, INF_QEDEL, INF_HAT,
       INF_WEIGHT, INF_DFBETAS, INF_BAUJAT_X, INF_BAUJAT_Y, INF_NCOL };

typedef struct app_sens {
    double *l1o;          /* SENS_NCOL x k, column by column (NULL: not asked) */
    double *cum;          /* SENS_NCOL x k, row s = first s+1 studies of order */
    size_t *order;        /* cumulative order (k)                          */
    const char *cum_col;  /* its column                                    */
    double *inf;          /* INF_NCOL x k                                  */
    unsigned char *flag;  /* influential (metafor's "*")                    */
    size_t gosh_rows;     /* GOSH: fits                                     */
    int gosh_exhaustive;
    double *gosh;         /* 6 x gosh_rows: k, estimate, Q, I2, H2, tau2    */
    unsigned char *gosh_incl; /* gosh_rows x k                               */
} app_sens;

/* ---- small-study effects (bias.c) --------------------------------------------- */
typedef struct app_bias_opts {
    msyn_tf_estimator tf_estimator; /* --tf-estimator L0|R0|Q0           */
    msyn_tf_side tf_side;           /* --tf-side auto|left|right          */
    msyn_bias_predictor predictor;  /* --predictor sei|vi|ni|ninv|...     */
    double orwin_target;            /* --orwin-target X (NaN: half the mean) */
} app_bias_opts;

typedef struct app_bias {
    msyn_status egger_rc, egger_lm_rc, peters_rc, rank_rc, tf_rc, fsn_rc[3];
    msyn_regtest egger, egger_lm, peters;
    int peters_done;           /* binary data: Peters' test was run       */
    msyn_ranktest rank;
    msyn_trimfill tf;
    double *fill_yi, *fill_vi; /* the filled studies (tf.k0)              */
    msyn_fsn fsn[3];
} app_bias;

/* ---- figures and documents (figures.c, plot_*.c, report_doc.c) ------ */
typedef enum app_fig {
    APP_FIG_FOREST = 0,      /* --forest FILE                            */
    APP_FIG_FUNNEL,          /* --funnel FILE                            */
    APP_FIG_BAUJAT,          /* --baujat FILE                            */
    APP_FIG_LABBE,           /* --labbe FILE (2x2 tables)                */
    APP_FIG_RADIAL,          /* --radial FILE (Galbraith)                */
    APP_FIG_BUBBLE,          /* --bubble FILE (metasyn reg)              */
    APP_FIG_LEAVE1OUT,       /* --leave1out-plot FILE                    */
    APP_FIG_CUMULATIVE,      /* --cumulative-plot FILE                   */
    APP_FIG_GOSH,            /* --gosh-plot FILE                         */
    APP_FIG_COUNT
} app_fig;

typedef struct app_fig_opts {
    const char *path[APP_FIG_COUNT]; /* output file per figure, or NULL  */
    double width;            /* --width, inches (0: the figure's own)    */
    double dpi;              /* --dpi for PNG (0: 300)                    */
    const char *font;        /* --font family (NULL: DejaVu Sans)        */
    int compact;             /* --layout compact (forest)                */
    const char *favours[2];  /* --favours "LEFT,RIGHT" (NULL: none)      */
    const char *rob[16];     /* --rob COL: risk-of-bias columns, in order */
    size_t nrob;
    const char *report;      /* --report FILE (.html or .md)             */
} app_fig_opts;

/* Files a command writes besides its main output, rendered in memory
 * first so that nothing is written when anything fails. */
typedef struct app_output {
    char *path;
    sbuf data;
} app_output;

typedef struct app_outputs {
    app_output *v;
    size_t n, cap;
} app_outputs;

/* A new entry for path (copied); NULL when out of memory. */
app_output *app_outputs_add(app_outputs *o, const char *path);
/* Write every entry (each atomically); stops at the first failure. */
int app_outputs_write(const app_outputs *o, app_err *e);
void app_outputs_free(app_outputs *o);

/* Reports (below) name app_result; subgroup.c's functions take it too. */
struct app_result;

/* Render the figures and the document r->fig asks for into o. */
int app_figures_render(const struct app_result *r, app_outputs *o, app_err *e);
/* The command-line flag of a figure ("--forest"). */
const char *app_fig_flag(app_fig f);

/* ---- risk of bias of the studies (rob_sens.c) ------------------------ */
/* Each study's overall risk-of-bias judgement from a column of the study
 * file, and pool --exclude-rob: the analysis again without the studies
 * judged at the threshold or worse.  Studies without a judgement stay in. */
typedef struct app_robsens {
    int have;                 /* levels were read                          */
    int asked;                /* --exclude-rob given                       */
    int threshold;            /* app_rob_level: the least level left out    */
    const char *col_opt;      /* --rob-overall COL, or NULL                */
    const char *col_name;     /* the column read                           */
    unsigned char *level;     /* app_rob_level per study (k)               */
    size_t *keep;             /* studies kept (nkeep)                      */
    size_t nkeep, nexcl, nunset;
    int fitted;               /* fit is valid                              */
    msyn_status rc;           /* status of the fit                         */
    msyn_fit fit;
} app_robsens;

/* ---- reports (report_*.c) -------------------------------------------- */
/* Everything a report shows about one analysis. */
typedef struct app_result {
    const char *command;     /* "pool" or "es"                          */
    const char *file;        /* input name as given ("-": "<stdin>")    */
    msyn_preset preset;
    msyn_measure measure;
    const app_data *data;
    msyn_pool_opts po;
    msyn_es_opts eo;
    int natural_input;       /* estimates were given as ratios          */
    double *yi, *vi, *w;     /* k values each (w: weights in percent)   */
    unsigned *esflags;
    int fitted;              /* fit is valid (pool)                     */
    msyn_fit fit;
    app_strlist warnings;    /* every warning of the report             */
    int digits;
    double n_hm;             /* harmonic mean of ni (PFT's inverse)     */
    double reexpress_sd;     /* SMD in points: SD of the instrument, or NaN */
    const char *scale_name;  /* its name ("0-100 VAS")                  */
    double mcid;             /* minimal clinically important difference, or NaN */
    const char *instrument;  /* --instrument: its display name, or NULL    */
    const char *mcid_cite;   /* the MCID's source ("Ostelo et al. 2008"), or NULL */
    const app_table *table;  /* the study file (for --by)                */
    const char *by;          /* --by COLUMN or NULL                      */
    int tau2_common;         /* --tau2 common                            */
    int pooled_k_short;      /* fewer than min_k estimable studies: the
                                analysis is listed, not pooled           */
    int min_k;               /* --min-k: fewer estimable studies are listed,
                                not pooled                                  */
    app_subgroups sg;        /* --by                                        */
    /* metasyn reg */
    const char *const *mods; size_t nmods;       /* --mod, in order       */
    const char *const *factors; size_t nfactors; /* --factor              */
    const char *const *preds; size_t npreds;     /* --pred COL=V,...      */
    int no_intercept;                            /* --no-intercept        */
    size_t permutations;                         /* --permutations N      */
    unsigned long long seed;                     /* --seed S              */
    int exact;                                   /* --exact               */
    app_reg reg;
    /* pool --leave1out, --cumulative COL, --influence */
    int want_l1o, want_inf;
    const char *want_cum;
    size_t want_gosh;        /* --gosh N: subsets (0: none)              */
    app_sens sens;
    app_robsens rs;          /* --exclude-rob, --rob-overall; GRADE          */
    app_bias bias;           /* metasyn bias                            */
    app_bias_opts bias_opts;
    app_fig_opts fig;        /* figures and --report                     */
    /* pool --stream (a file read in blocks): yi and vi are kept for every
     * row, but no labels, lines, conversions or flags (data->study, line,
     * conv, es and esflags are NULL); reports give the counts instead. */
    int streamed;
    size_t zero_added;       /* streamed: tables with an increment added   */
    size_t zero_dropped;     /* streamed: tables without events left out   */
    size_t unlisted;         /* streamed: warnings on single studies past
                                the first ones, counted, not listed        */
} app_result;

/* Pool the studies idx[0..n-1] (idx NULL: the first n) of r with r's
 * settings; *rc gets libmetasyn's status.  w (may be NULL) receives n
 * weights in percent.  Returns -1 only when out of memory. */
/* Whether r's fit pools 2x2 tables (MH, Peto, DL about MH on table
 * data: r->data->input), not yi and vi. */
int app_pool_on_tables(const struct app_result *r);
/* The 2x2 table of study i of d (bi = n1i - ai, di = n2i - ci when not
 * given; NaN where missing), as the Mantel-Haenszel and Peto fits take it. */
void app_table_cells(const msyn_es_data *d, size_t i, double *a, double *b, double *c, double *dd);
int app_pool_fit(const app_result *r, const size_t *idx, size_t n, msyn_fit *fit, double *w,
                 msyn_status *rc);
/* Split r's studies by the column `by` of t and pool each subgroup with at
 * least min_k estimable studies; then the test for subgroup differences. */
int app_subgroups_fit(app_result *r, const app_table *t, const char *by, int min_k,
                      int common, app_err *e);
void app_subgroups_free(app_subgroups *s);
/* Build the design from r's moderators, fit it (r->yi, r->vi computed) and
 * the predictions; messages name the file and the moderator. */
int app_reg_fit(struct app_result *r, app_err *e);
void app_reg_free(app_reg *g);
/* The sensitivity analyses r asks for (after the main fit). */
int app_sens_fit(struct app_result *r, app_err *e);
void app_sens_free(app_sens *s);

/* rob_sens.c: read each study's overall judgement into r->rs (col NULL: a
 * --rob column named "overall", else a column rob_overall or overall).
 * Returns 1 when there is no such column and col was NULL, 0 when read,
 * -1 on error (usage: a named column is missing; data: a cell is not a
 * judgement, with FILE:LINE:COL). */
int app_rob_levels(app_result *r, const char *col, app_err *e);
/* --exclude-rob: the fit without studies at r->rs.threshold or worse. */
int app_rob_sens_fit(app_result *r, const char *col, app_err *e);
/* Share (0..1) of the fit's weight r->w from studies at lv or worse;
 * NaN without judgements. */
double app_rob_weight_share(const app_result *r, int lv);
void app_robsens_free(app_robsens *s);
void app_sens_text(const struct app_result *r, sbuf *o);
/* Every small-study-effect test on r's studies (metasyn bias). */
int app_bias_run(struct app_result *r, app_err *e);
void app_bias_free(app_bias *b);
int app_bias_text(const struct app_result *r, sbuf *o);
int app_bias_json(const struct app_result *r, sbuf *o);
int app_reg_text(const struct app_result *r, sbuf *out);
int app_reg_json(const struct app_result *r, sbuf *out);
int app_reg_csv(const struct app_result *r, sbuf *out);

/* Participants in study i of d: n1i + n2i (or the 2x2 table's cells), or
 * ni for one group; NaN when the data do not say. */
double app_study_n(const app_data *d, size_t i);
/* The reading scale of r's measure: msyn_measure_back() with r's n_hm. */
double app_back(const app_result *r, double x);
/* Study i's value on the reading scale (PFT uses the study's own ni). */
double app_back_study(const app_result *r, size_t i, double x);
/* Short name of an input form for JSON ("arms", "table", ...). */
const char *app_input_form_key(msyn_input in);
/* Whether a measure is standardized (SMD, SMDH, SMCC, SMCR): it can be
 * re-expressed in points of an instrument. */
int app_measure_standardized(msyn_measure m);
/* The MCID verdict on [lb, ub] around est (all on one scale): one of
 * "relevant", "not relevant", "uncertain", with a sentence. */
const char *app_mcid_verdict(double est, double lb, double ub, double mcid,
                             const char **sentence);

/* x with d decimals ("NA", "Inf"; never "-0.00"). */
const char *app_fx(double x, int d, char *buf, size_t n);
/* The "Warnings" section of a text report (nothing when there are none). */
void app_warnings_text(const app_strlist *w, sbuf *o);
/* "p = 0.0123" or "p < 0.0001" ("p = NA"). */
const char *app_pq(double p, char *buf, size_t n);
/* Study-level CI bound (z interval of yi +- crit sqrt(vi)). */
double app_study_ci(const app_result *r, size_t i, int upper);
/* Short descriptions of settings, shared by text and JSON. */
const char *app_input_form_name(msyn_input in);
const char *app_pi_name(const app_result *r, char *buf, size_t n);
const char *app_add_to_name(msyn_add_to to);

int app_report_text(const app_result *r, sbuf *out);
int app_report_json(const app_result *r, sbuf *out);
int app_report_csv(const app_result *r, sbuf *out);
/* es: per-study effect sizes as CSV or JSON. */
int app_es_csv(const app_result *r, sbuf *out);
int app_es_json(const app_result *r, sbuf *out);

#endif /* MSYN_APP_H */
