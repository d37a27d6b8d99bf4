# "Did you mean": an unknown command, format, model or feature gets the nearest known name, and
# that name is one the tables (read here from data/ with xmllint) or --help really have; a
# model of another architecture than the files' is named as such; standard input twice is
# refused. Each error is one line on stderr and exit status 2.
. "$(dirname "$0")/lib.sh"
D=$TOP/data

# hint DESCRIPTION WANT ARGS...: exit 2, one stderr line suggesting exactly 'WANT'.
hint() {
    d=$1 want=$2
    shift 2
    expect_error "$d" "(did you mean '$want'?" "$@"
}
# exists DESCRIPTION XPATH FILE...: the suggested name is in the data files.
exists() {
    d=$1 xp=$2
    shift 2
    if cat "$@" | xmllint --xpath "$xp" - >/dev/null 2>&1; then ok "$d"; else not_ok "$d" "no $xp"; fi
}

"$CPUCOMPAT" expand Skylake-Server-v4 -o "$T/sky.xml"
"$CPUCOMPAT" expand z14.2 -o "$T/z14.xml"

# Commands and formats.
hint "a mistyped command" compare compar "$T/sky.xml" "$T/sky.xml"
check "... and 'compare' is a command --help lists" sh -c "'$CPUCOMPAT' --help | grep -q '^  compare '"
hint "a swapped pair of letters in a command" models mdoels "$T/sky.xml"
expect_error "an unknown command far from any gets no guess" "'frobnicate' is not a command (see" frobnicate
hint "--format with a slip" json compare --format jsno "$T/sky.xml" "$T/sky.xml"
hint "an import format with a slip" cpuid-raw import cpuid-rw "$T/sky.xml"
check "... and cpuid-raw is an import format --help lists" \
    sh -c "'$CPUCOMPAT' import --help | grep -q 'cpuid-raw'"

# Models, of each architecture, and case.
hint "an x86 model with a letter missing" Skylake-Server expand Skylake-Servr
exists "... which the x86 model table has" "//alias[@name='Skylake-Server']" "$D/x86/models/Skylake-Server.xml"
hint "an x86 model in the wrong case" Skylake-Server-v4 expand skylake-server-v4
hint "compare --model with a slip, x86 files" Skylake-Server compare --model Skylake-Sever "$T/sky.xml" "$T/sky.xml"
hint "an s390x model in the wrong case" gen15a expand gen15A
exists "... which the s390x model table has" "//model[@name='gen15a']" "$D/s390x/models.xml"
hint "an arm64 model with a letter too many" cortex-a53 expand cortex-a53x
exists "... which the arm64 model tables have" "//version[@name='cortex-a53']" "$D/arm64/models/cortex-a53.xml"
expect_error "a name far from every model gets no guess" "unknown CPU model 'nonesuch' (see 'cpucompat models')" \
    expand nonesuch
# A hint only from the files' own architecture: an s390x slip given with x86 files gets none.
expect_error "compare --model: a slip of an s390x name with x86 files gets no x86 guess" \
    "unknown CPU model 'z14.3' (see" compare --model z14.3 "$T/sky.xml" "$T/sky.xml"

# A model of the other architecture than the files'.
expect_error "an x86 model with s390x files says so" \
    "CPU model 'Skylake-Server' is an x86_64 model; these files are s390x" \
    compare --model Skylake-Server "$T/z14.xml" "$T/z14.xml"
expect_error "an s390x model with x86 files says so" \
    "CPU model 'z14.2' is an s390x model; these files are x86_64" \
    compare --model z14.2 "$T/sky.xml" "$T/sky.xml"
expect_error "an arm64 model with x86 files says so" \
    "CPU model 'neoverse-n1' is an aarch64 model; these files are x86_64" \
    compare --model neoverse-n1 "$T/sky.xml" "$T/sky.xml"

# Features of an s390x model's properties.
hint "an s390x feature with a slip" csske compare --model 'z14.2,csskee=off' "$T/z14.xml" "$T/z14.xml"
exists "... which the s390x feature table has" "//feature[@name='csske']" "$D/s390x/features.xml"
expect_error "an unknown s390x feature far from any gets no guess" "unknown s390x feature 'nothing-like-it'" \
    compare --model 'z14.2,nothing-like-it=off' "$T/z14.xml" "$T/z14.xml"

# Standard input is read once.
expect_error "compare - -: standard input given twice" "standard input ('-') given twice, as file 1 and file 2" \
    compare - - <"$T/sky.xml"
expect_error "baseline with '-' twice too" "given twice, as file 2 and file 3" \
    baseline "$T/sky.xml" - - <"$T/sky.xml"
"$CPUCOMPAT" compare --format json - "$T/sky.xml" <"$T/sky.xml" >"$T/one.json"
check "compare with '-' once still reads standard input (a host with itself: migratable)" \
    python3 -c "import json,sys; sys.exit(0 if json.load(open('$T/one.json'))['migratable'] else 1)"

done_testing
