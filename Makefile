# metasyn - GNU Makefile.
#
#   make                      libmetasyn.a, libmetasyn.so and ./metasyn
#   make check                all tests; ends with "N passed, N failed"
#   make SANITIZE=address,undefined check   the same under sanitizers
#   make demo                 BCG vaccine trials, end to end
#   make bench                speed against metafor and statsmodels
#   make stress               a million random data sets through every estimator
#   make bigfile              a 3 GB study file through pool and batch (BIGFILE_MB=)
#   make install PREFIX=/usr/local
#
# Every target first runs scripts/install-deps, which installs the Debian
# packages the build needs when they are missing.

PREFIX  ?= /usr/local
CC      ?= cc
OPT     ?= -O2 -g
SANITIZE ?=

WARN    := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wconversion \
           -Wstrict-prototypes -Wmissing-prototypes
CFLAGS_ALL = $(OPT) $(WARN) -Iinclude -fPIC -pthread $(SANFLAGS) $(CFLAGS)
LIB_LIBS  := -lRmath -lgsl -lgslcblas -lm
# cairo and pango (figures) through pkg-config, evaluated when a recipe
# runs, i.e. after scripts/install-deps has installed them
APP_LIBS   = -ljansson -lcsv -lutf8proc -lxml2 -lsqlite3 $(shell pkg-config --libs pangocairo cairo-pdf) -pthread
XML_CFLAGS = -I/usr/include/libxml2 $(shell pkg-config --cflags pangocairo cairo-pdf)

ifneq ($(SANITIZE),)
BUILD    ?= build-san
SANFLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
OUT      := $(BUILD)
else
BUILD    ?= build
SANFLAGS :=
OUT      := $(if $(filter build,$(BUILD)),.,$(BUILD))
endif

LIB_SRC := $(wildcard src/*.c)
APP_SRC := $(wildcard app/*.c)
CLI_SRC := $(wildcard cli/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
APP_OBJ := $(APP_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)

LIB_A   := $(OUT)/libmetasyn.a
LIB_SO  := $(OUT)/libmetasyn.so
BIN     := $(OUT)/metasyn
APP_A   := $(BUILD)/libmetasyn-app.a
DEPS    := $(BUILD)/.deps-ok

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
GOLDEN_BIN := $(BUILD)/tests/run_golden
STRESS_BIN := $(BUILD)/tests/stress
FUZZ_REPLAY := $(BUILD)/tests/fuzz_replay
FUZZ_RM5_REPLAY := $(BUILD)/tests/fuzz_rm5_replay
FUZZ_VERIFY_REPLAY := $(BUILD)/tests/fuzz_verify_replay
FUZZ_REVIEW_REPLAY := $(BUILD)/tests/fuzz_review_replay
FUZZ_TABLES_REPLAY := $(BUILD)/tests/fuzz_tables_replay
FUZZ_SOF_REPLAY := $(BUILD)/tests/fuzz_sof_replay

.PHONY: all check demo bench install uninstall clean deps unit golden cli-tests fuzz stress

all: $(LIB_A) $(LIB_SO) $(BIN)

$(DEPS): scripts/install-deps
	@mkdir -p $(BUILD)
	@scripts/install-deps
	@touch $@

deps: $(DEPS)

$(BUILD)/src/%.o: src/%.c include/metasyn.h src/internal.h | $(DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -DMSYN_BUILDING -fvisibility=hidden -c $< -o $@

$(BUILD)/app/%.o: app/%.c $(wildcard app/*.h) include/metasyn.h | $(DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(XML_CFLAGS) -Iapp -c $< -o $@

$(BUILD)/cli/%.o: cli/%.c $(wildcard cli/*.h) $(wildcard app/*.h) include/metasyn.h | $(DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(XML_CFLAGS) -Iapp -Icli -c $< -o $@

$(LIB_A): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(LIB_SO): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(SANFLAGS) -shared -Wl,-soname,libmetasyn.so.0 -o $@ $^ $(LIB_LIBS)

$(APP_A): $(APP_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(APP_A) $(LIB_A)
	$(CC) $(SANFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(APP_A) $(LIB_A) $(APP_LIBS) $(LIB_LIBS)

# ---- tests ---------------------------------------------------------------

$(BUILD)/tests/test_%: tests/unit/test_%.c tests/unit/test.h $(APP_A) $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(XML_CFLAGS) -Wno-missing-prototypes -Isrc -Iapp -Itests/unit -o $@ $< \
	    $(APP_A) $(LIB_A) -lcmocka $(APP_LIBS) $(LIB_LIBS)

$(GOLDEN_BIN): tests/golden/run_golden.c $(APP_A) $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Iapp -o $@ $< $(APP_A) $(LIB_A) $(APP_LIBS) $(LIB_LIBS)

$(FUZZ_REPLAY): tests/fuzz/fuzz_csv.c tests/fuzz/replay.c $(APP_A) $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Wno-missing-prototypes -Iapp -o $@ tests/fuzz/fuzz_csv.c \
	    tests/fuzz/replay.c $(APP_A) $(LIB_A) $(APP_LIBS) $(LIB_LIBS)

$(FUZZ_RM5_REPLAY): tests/fuzz/fuzz_rm5.c tests/fuzz/replay.c $(APP_A) $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(XML_CFLAGS) -Wno-missing-prototypes -Iapp -o $@ tests/fuzz/fuzz_rm5.c \
	    tests/fuzz/replay.c $(APP_A) $(LIB_A) $(APP_LIBS) $(LIB_LIBS)

$(FUZZ_VERIFY_REPLAY): tests/fuzz/fuzz_verify.c tests/fuzz/replay.c $(APP_A) $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Wno-missing-prototypes -Iapp -o $@ tests/fuzz/fuzz_verify.c \
	    tests/fuzz/replay.c $(APP_A) $(LIB_A) $(APP_LIBS) $(LIB_LIBS)

$(FUZZ_REVIEW_REPLAY): tests/fuzz/fuzz_review.c tests/fuzz/replay.c $(APP_A) $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Wno-missing-prototypes -Iapp -o $@ tests/fuzz/fuzz_review.c \
	    tests/fuzz/replay.c $(APP_A) $(LIB_A) $(APP_LIBS) $(LIB_LIBS)

$(FUZZ_TABLES_REPLAY): tests/fuzz/fuzz_tables.c tests/fuzz/replay.c $(APP_A) $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Wno-missing-prototypes -Iapp -o $@ tests/fuzz/fuzz_tables.c \
	    tests/fuzz/replay.c $(APP_A) $(LIB_A) $(APP_LIBS) $(LIB_LIBS)

$(FUZZ_SOF_REPLAY): tests/fuzz/fuzz_sof.c tests/fuzz/replay.c $(BUILD)/cli/common.o $(BUILD)/cli/pool_fit.o $(BUILD)/cli/pool_stream.o \
                    $(BUILD)/cli/sof_run.o $(APP_A) $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Wno-missing-prototypes -Iapp -Icli -o $@ tests/fuzz/fuzz_sof.c tests/fuzz/replay.c \
	    $(BUILD)/cli/common.o $(BUILD)/cli/pool_fit.o $(BUILD)/cli/pool_stream.o $(BUILD)/cli/sof_run.o $(APP_A) $(LIB_A) $(APP_LIBS) $(LIB_LIBS)

$(STRESS_BIN): tests/stress/stress.c $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -o $@ $< $(LIB_A) $(LIB_LIBS)

# numerical stress: a million random data sets through every estimator
# (a reduced run of 5,000 is part of check); docs/robustness.md
stress: $(STRESS_BIN)
	$(STRESS_BIN) $${STRESS_N:-1000000} $${STRESS_SEED:-1}

# a generated study file of several GB through pool and batch: peak memory
# and time (not part of check: minutes, and GB in /tmp); docs/robustness.md
.PHONY: bigfile
bigfile: all
	BIN=$(BIN) tests/big-file/run $${BIGFILE_MB:-3072}

check: all $(UNIT_BIN) $(GOLDEN_BIN) $(STRESS_BIN) $(FUZZ_REPLAY) $(FUZZ_RM5_REPLAY) $(FUZZ_VERIFY_REPLAY) \
       $(FUZZ_REVIEW_REPLAY) $(FUZZ_TABLES_REPLAY) $(FUZZ_SOF_REPLAY)
	@BUILD=$(BUILD) BIN=$(BIN) LIB_SO=$(LIB_SO) SANITIZE=$(SANITIZE) tests/run-all

# libFuzzer builds of the harnesses (clang only; not part of check).
fuzz: $(DEPS)
	@mkdir -p $(BUILD)/fuzz
	clang $(OPT) -std=c11 -Iinclude -Iapp $(XML_CFLAGS) -fsanitize=fuzzer,address,undefined -o $(BUILD)/fuzz/fuzz_csv \
	    tests/fuzz/fuzz_csv.c $(APP_SRC) $(LIB_SRC) $(APP_LIBS) $(LIB_LIBS)
	clang $(OPT) -std=c11 -Iinclude -Iapp $(XML_CFLAGS) -fsanitize=fuzzer,address,undefined -o $(BUILD)/fuzz/fuzz_rm5 \
	    tests/fuzz/fuzz_rm5.c $(APP_SRC) $(LIB_SRC) $(APP_LIBS) $(LIB_LIBS)
	clang $(OPT) -std=c11 -Iinclude -Iapp $(XML_CFLAGS) -fsanitize=fuzzer,address,undefined -o $(BUILD)/fuzz/fuzz_verify \
	    tests/fuzz/fuzz_verify.c $(APP_SRC) $(LIB_SRC) $(APP_LIBS) $(LIB_LIBS)
	clang $(OPT) -std=c11 -Iinclude -Iapp $(XML_CFLAGS) -fsanitize=fuzzer,address,undefined -o $(BUILD)/fuzz/fuzz_review \
	    tests/fuzz/fuzz_review.c $(APP_SRC) $(LIB_SRC) $(APP_LIBS) $(LIB_LIBS)
	clang $(OPT) -std=c11 -Iinclude -Iapp $(XML_CFLAGS) -fsanitize=fuzzer,address,undefined -o $(BUILD)/fuzz/fuzz_tables \
	    tests/fuzz/fuzz_tables.c $(APP_SRC) $(LIB_SRC) $(APP_LIBS) $(LIB_LIBS)
	clang $(OPT) -std=c11 -Iinclude -Iapp -Icli $(XML_CFLAGS) -fsanitize=fuzzer,address,undefined -o $(BUILD)/fuzz/fuzz_sof \
	    tests/fuzz/fuzz_sof.c cli/common.c cli/pool_fit.c cli/pool_stream.c cli/sof_run.c $(APP_SRC) $(LIB_SRC) $(APP_LIBS) $(LIB_LIBS)
	@echo "run: $(BUILD)/fuzz/fuzz_csv tests/fuzz/corpus"
	@echo "     $(BUILD)/fuzz/fuzz_verify tests/fuzz/corpus-verify"
	@echo "     $(BUILD)/fuzz/fuzz_rm5 tests/fuzz/corpus-rm5"
	@echo "     $(BUILD)/fuzz/fuzz_review tests/fuzz/corpus-review"
	@echo "     $(BUILD)/fuzz/fuzz_tables tests/fuzz/corpus-tables"
	@echo "     $(BUILD)/fuzz/fuzz_sof -dict=tests/fuzz/sof.dict tests/fuzz/corpus-sof"

# ---- demo, bench, install -------------------------------------------------

demo: all
	@echo "== 13 BCG vaccine trials (Colditz et al. 1994), tuberculosis risk ratio =="
	@mkdir -p $(BUILD)/demo
	@echo "\$$ ./metasyn pool --measure RR --forest $(BUILD)/demo/forest.svg --funnel $(BUILD)/demo/funnel.svg --report $(BUILD)/demo/report.html examples/bcg.csv"
	@$(BIN) pool --measure RR --forest $(BUILD)/demo/forest.svg --funnel $(BUILD)/demo/funnel.svg \
	    --report $(BUILD)/demo/report.html examples/bcg.csv
	@echo "== figures and a self-contained HTML report: $(BUILD)/demo/ (forest.svg, funnel.svg, report.html)"

bench: all
	@BUILD=$(BUILD) bench/run

install: all metasyn.pc
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include \
	    $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/share/doc/metasyn
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/metasyn
	install -m 644 $(LIB_A) $(DESTDIR)$(PREFIX)/lib/libmetasyn.a
	install -m 755 $(LIB_SO) $(DESTDIR)$(PREFIX)/lib/libmetasyn.so.0
	ln -sf libmetasyn.so.0 $(DESTDIR)$(PREFIX)/lib/libmetasyn.so
	install -m 644 include/metasyn.h $(DESTDIR)$(PREFIX)/include/metasyn.h
	install -m 644 metasyn.pc $(DESTDIR)$(PREFIX)/lib/pkgconfig/metasyn.pc
	install -m 644 README.md docs/METHODS.md $(DESTDIR)$(PREFIX)/share/doc/metasyn/

metasyn.pc: metasyn.pc.in include/metasyn.h
	sed -e 's|@PREFIX@|$(PREFIX)|' \
	    -e "s|@VERSION@|$$(sed -n 's/^#define MSYN_VERSION_STRING "\(.*\)"/\1/p' include/metasyn.h)|" \
	    metasyn.pc.in > $@

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/metasyn $(DESTDIR)$(PREFIX)/lib/libmetasyn.* \
	    $(DESTDIR)$(PREFIX)/include/metasyn.h $(DESTDIR)$(PREFIX)/lib/pkgconfig/metasyn.pc
	rm -rf $(DESTDIR)$(PREFIX)/share/doc/metasyn

clean:
	rm -rf build build-san libmetasyn.a libmetasyn.so metasyn metasyn.pc
