# cpucompat build. `make` builds ./cpucompat; `make check` runs the whole suite twice (plain,
# then under AddressSanitizer + UndefinedBehaviorSanitizer) and builds once more with clang.

VERSION    := 0.1.0
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
DATADIR    ?= $(PREFIX)/share/cpucompat
MANDIR     ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
DESTDIR    ?=

CC         ?= cc
BUILD      ?= build/default
SAN        ?=
PKG_CONFIG ?= pkg-config
# The check stages run one after another; each build inside them uses every CPU (unless the
# caller gave -j): CI runs a plain `make check`, and six serial builds were a third of its time.
NPROC      := $(shell nproc 2>/dev/null || echo 2)
SUBMAKE     = $(MAKE) $(if $(filter -j%,$(MAKEFLAGS)),,-j$(NPROC))

WARN      := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wmissing-prototypes -Wstrict-prototypes \
             -Wno-format-nonliteral
OPT       ?= -O2 -g
ASAN_UBSAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
SANFLAGS  := $(if $(SAN),$(ASAN_UBSAN))
# A sanitized build links gcc's sanitizer runtimes in and is not position-independent: the suite
# starts thousands of short processes, and each spent most of its time in the dynamic loader and
# page faults (68,000 relocations of ASan's and UBSan's descriptors, resolved at link time here,
# and the look-ups into libasan.so and libubsan.so); a `compare` went from 96 to 70 ms. The
# checks are the same. (clang links its runtime in anyway.)
SAN_LDFLAGS := $(if $(SAN),$(if $(filter clang%,$(notdir $(CC))),,-static-libasan -static-libubsan -no-pie))
ifeq ($(STATIC_ARCH),)
DEPCFLAGS  = $(shell $(PKG_CONFIG) --cflags libxml-2.0 popt 2>/dev/null)
DEPLIBS    = $(shell $(PKG_CONFIG) --libs libxml-2.0 popt 2>/dev/null)
else
# A static binary for another architecture (make static ARCH=...): headers and static libraries
# from a sysroot of Debian's packages for it; Debian's libxml2 also needs zlib, lzma and ICU,
# whose converters build-aux/icu-stub.c stands in for (see there).
SYSROOT    = build/sysroot-$(STATIC_ARCH)/root
DEPCFLAGS  = -I$(SYSROOT)/usr/include/libxml2 -I$(SYSROOT)/usr/include
# The archives by path: a -L into the sysroot would also pick its libc.a over the cross
# toolchain's, and a static binary mixing the two crashes at start-up (seen on s390x).
SYSLIB     = $(SYSROOT)/usr/lib/$(STATIC_ARCH)-linux-gnu
DEPLIBS    = -static $(BUILD)/icu-stub.o $(SYSLIB)/libxml2.a $(SYSLIB)/libz.a $(SYSLIB)/liblzma.a \
             $(SYSLIB)/libpopt.a -lm -lpthread -ldl
endif
ALL_CFLAGS = -std=gnu11 -D_GNU_SOURCE $(WARN) $(OPT) $(SANFLAGS) -MMD -MP \
             -DCC_VERSION='"$(VERSION)"' -DCC_DATADIR='"$(DATADIR)"' $(DEPCFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(SANFLAGS) $(SAN_LDFLAGS) $(LDFLAGS)

LIB_SRC   := $(wildcard core/*.c) $(wildcard arch/*.c) $(wildcard arch/*/*.c)
CLI_SRC   := $(wildcard cli/*.c)
TEST_SRC  := $(wildcard tests/test_*.c)
# The catalogs and the schema: installed, and built into the binary (core/embedded.h).
DATA_FILES := $(wildcard data/schema/*.rng data/*/*.xml data/*/*/*.xml)
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/embedded_data.o
CLI_OBJ   := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_BIN  := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
TESTLIB   := $(BUILD)/tests/testlib.o
DEPS_OK   := build/.deps-ok

# The binary of this build flavour; the default flavour is also copied to ./cpucompat.
BIN := $(BUILD)/cpucompat

.PHONY: static all deps run check check-gen check-foreign check-rigs check-plain check-san check-clang check-format tests install \
        uninstall clean format bench test-deps fuzz fuzzers fuzz-build check-fuzz check-chains \
        ck-plain ck-san ck-foreign-full ck-clang ck-fuzz ck-foreign-build ck-foreign-smoke ck-rigs
all: cpucompat

deps: $(DEPS_OK)
$(DEPS_OK): build-aux/ensure-deps
	@mkdir -p $(@D)
	@build-aux/ensure-deps
	@touch $@

cpucompat: $(BIN)
	@if [ "$(BUILD)" = build/default ]; then cp $(BIN) $@; fi

$(BIN): $(CLI_OBJ) $(BUILD)/libcpucompat.a $(if $(STATIC_ARCH),$(BUILD)/icu-stub.o)
	$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libcpucompat.a $(DEPLIBS)

$(BUILD)/icu-stub.o: build-aux/icu-stub.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/libcpucompat.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# The arm64 MRS readers are generated from the register catalog.
$(BUILD)/gen/arm64_mrs.h: data/arm64/idregs.xml build-aux/gen-arm64-mrs
	@mkdir -p $(@D)
	build-aux/gen-arm64-mrs $< >$@
$(BUILD)/arch/arm64/arm64_el0.o: $(BUILD)/gen/arm64_mrs.h
$(BUILD)/arch/arm64/arm64_el0.o: ALL_CFLAGS += -I$(BUILD)/gen

# The s390x probe's query instructions are generated from the query-block table.
$(BUILD)/gen/s390x_query.h: data/s390x/query-blocks.xml build-aux/gen-s390x-query
	@mkdir -p $(@D)
	build-aux/gen-s390x-query $< >$@.tmp && mv $@.tmp $@
$(BUILD)/arch/s390x/s390x_probe.o: $(BUILD)/gen/s390x_query.h
$(BUILD)/arch/s390x/s390x_probe.o: ALL_CFLAGS += -I$(BUILD)/gen

# The data files built into the binary, as they are at build time (never committed).
$(BUILD)/gen/embedded_data.c: $(DATA_FILES) build-aux/gen-embedded
	@mkdir -p $(@D)
	build-aux/gen-embedded "$(CURDIR)" $(DATA_FILES) >$@.tmp && mv $@.tmp $@
$(BUILD)/gen/embedded_data.o: $(BUILD)/gen/embedded_data.c core/embedded.h | $(DEPS_OK)
	@echo "  CC $<"; $(CC) $(ALL_CFLAGS) -I. -c -o $@ $<

$(BUILD)/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(@D)
	@echo "  CC $<"; $(CC) $(ALL_CFLAGS) -c -o $@ $<

# The install location and version are compiled in: rebuild what uses them when they change.
$(BUILD)/config.stamp: FORCE
	@mkdir -p $(@D)
	@echo '$(DATADIR) $(VERSION)' | cmp -s - $@ || echo '$(DATADIR) $(VERSION)' >$@
$(BUILD)/core/ctx.o $(BUILD)/core/capdoc.o $(BUILD)/cli/main.o: $(BUILD)/config.stamp
.PHONY: FORCE
FORCE:

# ---- tests ---------------------------------------------------------------------------------
ifeq ($(STATIC_ARCH),)
TEST_CFLAGS  = $(ALL_CFLAGS) -Wno-missing-prototypes $(shell $(PKG_CONFIG) --cflags cmocka)
TEST_LIBS    = $(DEPLIBS) $(shell $(PKG_CONFIG) --libs cmocka)
else
# The unit tests of a foreign build: Debian ships cmocka only as a shared library, so they link
# it (and the C library) dynamically and run under qemu-user with the sysroot as its -L.
TEST_CFLAGS  = $(ALL_CFLAGS) -Wno-missing-prototypes
TEST_LIBS    = $(filter-out -static,$(DEPLIBS)) $(SYSLIB)/libcmocka.so.0
endif
# The KVM tests replace the system calls the probe makes (see tests/test_x86_kvm.c).
# (A build for another architecture compiles that test to a SKIP: nothing to wrap.)
WRAP_test_x86_kvm := $(if $(filter-out x86_64,$(STATIC_ARCH)),,-Wl,--wrap=ioctl -Wl,--wrap=open)

$(BUILD)/tests/testlib.o: tests/testlib.c tests/testlib.h | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/%.c $(TESTLIB) $(BUILD)/libcpucompat.a | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) $(ALL_LDFLAGS) $(WRAP_$*) -o $@ $< $(TESTLIB) \
	    $(BUILD)/libcpucompat.a $(TEST_LIBS)

tests: $(BIN) $(TEST_BIN)

# (The stages that make check starts in sub-makes skip it: check has run it once.)
test-deps:
	@$(if $(TEST_DEPS_DONE),:,build-aux/ensure-deps --test)

# Runs every unit test binary and command-line test of one build flavour.
check-plain: test-deps
	$(SUBMAKE) BUILD=build/default tests cpucompat
	tests/run-tests build/default

check-san: test-deps
	$(SUBMAKE) BUILD=build/san SAN=1 OPT="-O1 -g" tests
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    CPUCOMPAT_SANITIZED=1 tests/run-tests build/san

# The code must also build warning-free under clang.
check-clang: test-deps
	$(SUBMAKE) BUILD=build/clang CC=clang tests

# Every C file as .clang-format wants it ('make format' fixes it).
check-format: test-deps
	@bad=$$(for f in $(wildcard */*.c */*.h arch/*/*.c arch/*/*.h); do \
	    clang-format "$$f" | cmp -s - "$$f" || echo "$$f"; done); \
	if [ -n "$$bad" ]; then echo "not clang-formatted (run make format):" $$bad; exit 1; fi

# The unit and command-line suites of the aarch64 and s390x builds, run under user-mode emulation
# (qemu-user): the tool's own suite passes on the hosts it targets. Checks of the x86 host SKIP.
# Under emulation no probe runs (the rigs run them on real kernels), so the scripts test the
# shared file logic built for another ABI. s390x (big-endian, unsigned char) is the one that finds
# byte-order and char-signedness mistakes: it runs every script. aarch64 (little-endian like this
# host, unsigned char like s390x) adds nothing there: in the last full runs its log differed from
# s390x's only in the emulator's name. It runs the unit tests and FOREIGN_SMOKE;
# FOREIGN_FULL="aarch64 s390x" runs everything on both.
FOREIGN_ARCHES ?= aarch64 s390x
FOREIGN_FULL   ?= s390x
FOREIGN_SMOKE  ?= test-arm64.sh test-arm64-graviton.sh test-dump.sh test-import.sh
check-foreign: test-deps
	@for a in $(FOREIGN_ARCHES); do \
	    only=; case " $(FOREIGN_FULL) " in *" $$a "*) ;; *) only="$(FOREIGN_SMOKE)" ;; esac; \
	    $(SUBMAKE) foreign-build-$$a && \
	    CPUCOMPAT_TEST_SCRIPTS="$$only" \
	    CPUCOMPAT_EMULATOR="qemu-$$a-static -L $(CURDIR)/build/sysroot-$$a/root" \
	        tests/run-tests build/static-$$a || exit 1; \
	done

# Everything of one foreign build that check-foreign and check-rigs run: the static binary, the
# unit tests and the rigs' mocks (make foreign-build-aarch64).
FOREIGN_MOCKS_aarch64 := build/static-aarch64/tests/arm64_probe_mock \
                         build/static-aarch64/tests/arm64_guest_view \
                         build/static-aarch64/tests/rig_batch
FOREIGN_MOCKS_s390x   := build/static-s390x/tests/s390x_probe_mock
foreign-build-%: test-deps
	$(SUBMAKE) static ARCH=$*
	$(SUBMAKE) BUILD=build/static-$* CC=$*-linux-gnu-gcc STATIC_ARCH=$* \
	    $(TEST_SRC:tests/%.c=build/static-$*/tests/%) $(FOREIGN_MOCKS_$*)

# Real arm64 and s390x kernels under emulation: the static binaries' probes run for real.
check-rigs: test-deps cpucompat
	$(SUBMAKE) foreign-build-aarch64
	$(SUBMAKE) foreign-build-s390x
	tests/run-tests build/default tests/rigs

# The arm64 probe against a mocked KVM: wrapped open/ioctl, run under qemu-aarch64-static.
$(BUILD)/tests/arm64_probe_mock: tests/rigs/arm64_probe_mock.c tests/rigs/mock_kvm.h \
    $(BUILD)/libcpucompat.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -Wl,--wrap=open -Wl,--wrap=ioctl -o $@ $< \
	    $(BUILD)/libcpucompat.a $(DEPLIBS)

# A tiny VMM that reads ID registers from inside a guest on the arm64 KVM rig (no library).
$(BUILD)/tests/arm64_guest_view: tests/rigs/arm64_guest_view.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -static -o $@ $<

# Several programs in one boot of the arm64 KVM rig (no library).
$(BUILD)/tests/rig_batch: tests/rigs/rig_batch.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -static -o $@ $<

$(BUILD)/tests/s390x_probe_mock: tests/rigs/s390x_probe_mock.c tests/rigs/mock_kvm.h \
    $(BUILD)/libcpucompat.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -Wl,--wrap=open -Wl,--wrap=ioctl -o $@ $< \
	    $(BUILD)/libcpucompat.a $(DEPLIBS)

# The generators of data/ reproduce it from ../shared/reference (SKIP where that is absent).
check-gen: test-deps
	@mkdir -p build/default
	tests/run-tests build/default tests/gen

# ---- fuzzing -------------------------------------------------------------------------------
# One libFuzzer harness per input surface: tests/fuzz/fuzz_NAME.c, seeds in tests/fuzz/corpus/NAME/,
# dictionary tests/fuzz/dict/NAME.dict (see tests/fuzz/README.md). Built by clang with
# libFuzzer, AddressSanitizer and UndefinedBehaviorSanitizer into build/fuzz.
FUZZ_BUILD   := build/fuzz
FUZZ_NAMES   := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 300
# check-fuzz: every harness over its seeds, then this many seconds of fuzzing split among them.
FUZZ_CHECK_SECONDS ?= 15

$(BUILD)/tests/fuzz/fuzzlib.o: ALL_CFLAGS += -DFUZZ_TOP='"$(CURDIR)"'
$(BUILD)/tests/fuzz/%: tests/fuzz/fuzz_%.c $(BUILD)/tests/fuzz/fuzzlib.o $(BUILD)/libcpucompat.a
	@mkdir -p $(@D)
	@echo "  FUZZER $@"; $(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $< \
	    $(BUILD)/tests/fuzz/fuzzlib.o $(BUILD)/libcpucompat.a $(DEPLIBS)

fuzzers: $(FUZZ_NAMES:%=$(BUILD)/tests/fuzz/%)

fuzz-build: test-deps
	$(SUBMAKE) BUILD=$(FUZZ_BUILD) CC=clang SAN=1 OPT="-O1 -g" CFLAGS=-fsanitize=fuzzer-no-link fuzzers

# make fuzz [FUZZ_SECONDS=300] [FUZZ_RUNS=N] [FUZZ_FORK=N]: each harness for that long, or until
# N executions (FUZZ_SECONDS=0: no time limit), as FUZZ_FORK processes; a table of executions,
# coverage and findings (reproducers under build/fuzz/findings/).
fuzz: fuzz-build
	tests/fuzz/run $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_NAMES)

check-fuzz: fuzz-build
	FUZZ_CHECK_SECONDS=$(FUZZ_CHECK_SECONDS) tests/run-tests $(FUZZ_BUILD) tests/fuzz

# make check runs the stages in two chains side by side (make -j2 here), so that what leaves a
# CPU idle in one (the set-up of a build, the sysroots' downloads, the fuzzers' single process,
# the last long test of a run) is the other's time; a stage's output is printed when it ends.
#   plain, ASan+UBSan, aarch64 under qemu-user
#   clang, fuzz, the foreign builds, rigs, s390x under qemu-user
# The two take about as long (by the stage times of the last full run, about 14 and 13
# minutes), so that neither runs alone at the end, its last long test with a CPU idle beside it.
# Each build directory belongs to one chain, except build/default (plain builds it before the
# rigs use it) and the foreign builds (built once in the second chain before either runs).
check: check-format check-gen $(DEPS_OK)
	+@$(MAKE) -j2 -Otarget --no-print-directory TEST_DEPS_DONE=1 check-chains
	@cat build/default/test-gen.summary build/default/test-cli.summary \
	    build/san/test-cli.summary $(FUZZ_BUILD)/test-fuzz.summary \
	    $(FOREIGN_ARCHES:%=build/static-%/test-cli.summary) \
	    build/default/test-rigs.summary | \
	    awk '{p += $$1; f += $$2; s += $$3} END {printf "check: %d passed, %d failed, %d skipped\n", p, f, s}'

# The chains' links (the foreign run of the second chain is FOREIGN_FULL's, s390x).
check-chains: ck-foreign-smoke ck-foreign-full
ck-plain:
	+@$(MAKE) check-plain
ck-san: ck-plain
	+@$(MAKE) check-san
ck-foreign-smoke: ck-san ck-foreign-build
	+@$(MAKE) check-foreign FOREIGN_ARCHES="$(filter-out $(FOREIGN_FULL),$(FOREIGN_ARCHES))"
ck-clang:
	+@$(MAKE) check-clang
ck-fuzz: ck-clang
	+@$(MAKE) check-fuzz
ck-foreign-build: ck-fuzz
	+@for a in $(sort $(FOREIGN_ARCHES) aarch64 s390x); do $(MAKE) foreign-build-$$a || exit 1; done
ck-rigs: ck-foreign-build ck-plain
	+@$(MAKE) check-rigs
ck-foreign-full: ck-rigs
	+@$(MAKE) check-foreign FOREIGN_ARCHES="$(filter $(FOREIGN_FULL),$(FOREIGN_ARCHES))"

# A static binary for the emulation rigs and for copying to hosts: make static ARCH=aarch64
ARCH ?= $(shell uname -m)
static:
	build-aux/cross-sysroot $(ARCH) build/sysroot-$(ARCH)
	$(SUBMAKE) BUILD=build/static-$(ARCH) CC=$(ARCH)-linux-gnu-gcc STATIC_ARCH=$(ARCH) \
	    build/static-$(ARCH)/cpucompat
	@echo "built build/static-$(ARCH)/cpucompat"

run: cpucompat
	@build-aux/make-run ./cpucompat

bench: cpucompat
	@tests/bench/run ./cpucompat

# ---- installation --------------------------------------------------------------------------
MAN1 := $(wildcard man/*.1)
MAN5 := $(wildcard man/*.5)
HOOK_EXAMPLES := $(wildcard data/hooks/cpucompat-dump.*)

install: cpucompat
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	install -m 0755 cpucompat $(DESTDIR)$(BINDIR)/cpucompat
	for f in $(DATA_FILES); do \
	    install -D -m 0644 $$f $(DESTDIR)$(DATADIR)/$${f#data/}; done
	install -D -m 0755 data/hooks/qemu $(DESTDIR)$(DATADIR)/hooks/qemu
	for f in $(HOOK_EXAMPLES); do install -m 0644 $$f $(DESTDIR)$(DATADIR)/hooks/; done
	install -m 0644 $(MAN1) $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 $(MAN5) $(DESTDIR)$(MANDIR)/man5/
	install -D -m 0644 completion/cpucompat.bash $(DESTDIR)$(BASHCOMPDIR)/cpucompat

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/cpucompat
	rm -rf $(DESTDIR)$(DATADIR)
	for f in $(MAN1); do rm -f $(DESTDIR)$(MANDIR)/man1/$${f#man/}; done
	for f in $(MAN5); do rm -f $(DESTDIR)$(MANDIR)/man5/$${f#man/}; done
	rm -f $(DESTDIR)$(BASHCOMPDIR)/cpucompat

format:
	clang-format -i $(wildcard */*.c */*.h arch/*/*.c arch/*/*.h)

clean:
	rm -rf build cpucompat

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)
# The test and fuzzing programs' own objects depend on core's headers too (struct cc_ctx).
-include $(wildcard $(BUILD)/tests/*.d $(BUILD)/tests/fuzz/*.d)
