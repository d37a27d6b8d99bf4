#!/bin/sh
# The short pass of the fuzzers in make check (make check-fuzz): every harness replays its
# checked-in corpus (seeds and past findings), then all of them share FUZZ_CHECK_SECONDS of
# fuzzing. A finding fails the test naming its reproducer; fix the code, then add the
# reproducer to tests/fuzz/corpus/NAME/ so every later run replays it.
. "$CPUCOMPAT_TOP/tests/cli/lib.sh"
build=$(dirname "$CPUCOMPAT")
budget=${FUZZ_CHECK_SECONDS:-15}
case $budget in
'' | *[!0-9]*)
    not_ok "FUZZ_CHECK_SECONDS is a number of seconds" "it is '$budget'"
    done_testing
    exit
    ;;
esac
findings=$build/findings
mkdir -p "$findings"

names=$(cd "$TOP/tests/fuzz" && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//')
count=$(printf '%s\n' $names | wc -l)
per=$((budget / count))
[ "$per" -ge 1 ] || per=1

for name in $names; do
    bin=$build/tests/fuzz/$name
    seeds=$TOP/tests/fuzz/corpus/$name
    if [ ! -x "$bin" ]; then
        not_ok "$name: harness built" "no $bin (make fuzz-build)"
        continue
    fi
    if [ ! -d "$seeds" ] || [ -z "$(ls "$seeds")" ]; then
        not_ok "$name: has a seed corpus" "no files in $seeds"
        continue
    fi
    # Replaying the corpus: each file once, as libFuzzer runs named files.
    if "$bin" -timeout=10 "$seeds"/* >"$T/$name.replay" 2>&1; then
        ok "$name: its $(ls "$seeds" | wc -l) corpus files run clean"
    else
        not_ok "$name: its corpus files run clean" \
            "$(grep -E 'Running:|ERROR|violated|runtime error' "$T/$name.replay" | tail -4)"
    fi
    mkdir -p "$T/work-$name"
    dict=$TOP/tests/fuzz/dict/$name.dict
    set -- -max_total_time="$per" -timeout=10 -rss_limit_mb=2048 -reload=0 \
        -artifact_prefix="$findings/$name-"
    [ -f "$dict" ] && set -- "$@" -dict="$dict"
    before=$(ls "$findings" | grep -c "^$name-")
    "$bin" "$@" "$T/work-$name" "$seeds" >"$T/$name.fuzz" 2>&1
    status=$?
    after=$(ls "$findings" | grep -c "^$name-")
    execs=$(sed -n 's/^#\([0-9]*\).*DONE.*/\1/p' "$T/$name.fuzz" | tail -1)
    if [ "$status" -eq 0 ] && [ "$after" -eq "$before" ]; then
        ok "$name: ${per} s of fuzzing (${execs:-?} inputs) finds nothing"
    else
        repro=$(ls -t "$findings" | grep "^$name-" | head -1)
        cp "$T/$name.fuzz" "$findings/$name.log"
        not_ok "$name: ${per} s of fuzzing finds nothing" \
            "reproducer: $findings/${repro:-?} (log: $findings/$name.log)" \
            "$(grep -E 'ERROR|violated|runtime error|SUMMARY' "$T/$name.fuzz" | head -3)"
    fi
done
# make fuzz's runner with FUZZ_RUNS: a harness stops at that many executions, and its row in this
# run's table says so (the goal of a full run is stated in executions per harness).
if [ -x "$build/tests/fuzz/midr_policy" ]; then
    mkdir -p "$T/runner/tests/fuzz"
    ln -s "$build/tests/fuzz/midr_policy" "$T/runner/tests/fuzz/midr_policy"
    FUZZ_RUNS=3000 FUZZ_JOBS=1 "$TOP/tests/fuzz/run" "$T/runner" 60 midr_policy >"$T/runner.out" 2>&1
    status=$?
    execs=$(awk '$1 == "midr_policy" {print $3}' "$T/runner.out")
    check "tests/fuzz/run FUZZ_RUNS=3000: exit 0, one row, 3,000 executions (got ${execs:-none})" \
        test "$status" -eq 0 -a "${execs:-0}" -ge 3000 -a "${execs:-0}" -le 3100
    check "... and the run's total line counts them" grep -q "^total: $execs executions" "$T/runner.out"
    # FUZZ_FORK: one harness as two processes sharing its corpus, all their inputs in its row.
    FUZZ_FORK=2 FUZZ_RUNS=3000 FUZZ_JOBS=1 "$TOP/tests/fuzz/run" "$T/runner" 60 midr_policy \
        >"$T/fork.out" 2>&1
    status=$?
    row=$(awk '$1 == "midr_policy" {print $3, $9}' "$T/fork.out")
    check "tests/fuzz/run FUZZ_FORK=2: exit 0, a row of two processes past 3,000 executions (got ${row:-none})" \
        test "$status" -eq 0 -a "${row#* }" = 2 -a "${row% *}" -ge 3000
    check "... and a harness that is not there fails the run" \
        sh -c '! FUZZ_JOBS=1 "$1" "$2" 5 nonesuch >"$3" 2>&1 && grep -q "nonesuch failed" "$3"' \
        sh "$TOP/tests/fuzz/run" "$T/runner" "$T/none.out"
    # A count that is not a count is refused before anything runs, in one line.
    for bad in FUZZ_FORK=x:60 FUZZ_FORK=0:60 FUZZ_RUNS=1e6:60 FUZZ_RUNS=-5:60 FUZZ_JOBS=0:60 \
        FUZZ_JOBS=1:5s; do
        secs=${bad#*:} bad=${bad%:*}
        env "$bad" "$TOP/tests/fuzz/run" "$T/runner" "$secs" midr_policy >"$T/bad.out" 2>&1
        status=$?
        check "tests/fuzz/run ${bad}, seconds $secs: exit 2, one line, nothing run" \
            test "$status" -eq 2 -a "$(wc -l <"$T/bad.out")" -eq 1 -a \
            "$(awk '$1 == "midr_policy"' "$T/bad.out")" = ""
    done
    # A run stopped by a signal leaves no temporary table in the build directory. setsid: the run
    # gets a process group of its own, to be signalled whole as a terminal or kill would.
    if command -v setsid >/dev/null; then
        tables() { ls "$T/runner" | grep '^fuzz-table\.......$'; }
        for sig in TERM HUP; do
            setsid "$TOP/tests/fuzz/run" "$T/runner" 60 midr_policy >"$T/sig.out" 2>&1 &
            pid=$!
            n=0
            while [ -z "$(tables)" ] && [ $n -lt 100 ]; do
                sleep 0.1
                n=$((n + 1))
            done
            # Signalled only once its table is there: otherwise nothing was left to clean up.
            seen=$([ -n "$(tables)" ] && echo yes || echo no)
            kill -"$sig" -"$pid"
            wait "$pid"
            status=$?
            what="exit above 128 (got $status), table seen before ($seen), none left after"
            check "tests/fuzz/run stopped by SIG$sig: $what" \
                test "$status" -gt 128 -a "$seen" = yes -a -z "$(tables)"
        done
    else
        skip "tests/fuzz/run stopped by a signal leaves no table" "setsid is not installed"
    fi
fi
# A planted finding (an abort once the input reads x?y) is found, named and fails the run, in one
# process and forked.
if command -v clang >/dev/null; then
    printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' '#include <stdlib.h>' \
        'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
        'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)' \
        '{ if (n >= 3 && d[0] == 0x78 && d[2] == 0x79) abort(); return 0; }' >"$T/planted.c"
    mkdir -p "$T/runner/tests/fuzz"
    if clang -fsanitize=fuzzer -o "$T/runner/tests/fuzz/planted" "$T/planted.c" 2>"$T/planted.err"; then
        for procs in 1 2; do
            FUZZ_FORK=$procs FUZZ_JOBS=1 "$TOP/tests/fuzz/run" "$T/runner" 60 planted \
                >"$T/planted.out" 2>&1
            status=$?
            repro=$(sed -n 's/^    finding (see [^)]*): //p' "$T/planted.out")
            check "tests/fuzz/run FUZZ_FORK=$procs: a planted finding exits 1 naming its reproducer" \
                test "$status" -eq 1 -a -n "$repro" -a -f "${repro:-/nonexistent}"
            rm -f "$T/runner/findings/planted-"*
        done
    else
        not_ok "a planted finding's harness builds" "$(head -3 "$T/planted.err")"
    fi
else
    skip "tests/fuzz/run finds a planted finding" "clang is not installed"
fi
done_testing
