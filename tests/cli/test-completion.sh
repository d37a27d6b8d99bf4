# The bash completion (completion/cpucompat.bash) driven as bash drives it: COMP_WORDS and
# COMP_CWORD set, the function complete registered called, COMPREPLY read. What it offers is
# checked against sources other than the --help it parses: the data files (xmllint), the
# formats --format accepts (its error), the commands --help lists, and make install.
. "$(dirname "$0")/lib.sh"
D=$TOP/data
command -v bash >/dev/null || { skip "bash completion" "no bash"; done_testing; exit; }

# offers WORDS...: the completion of the last word, one candidate a line, sorted.
offers() {
    bash -c '. "$1/completion/cpucompat.bash"
        f=$(complete -p cpucompat | sed -n "s/.*-F \([^ ]*\) cpucompat$/\1/p")
        shift
        COMP_WORDS=("$@")
        COMP_CWORD=$(($# - 1))
        "$f"
        printf "%s\n" "${COMPREPLY[@]}"' sh "$TOP" "$CPUCOMPAT" "$@" | sed '/^$/d' | sort
}
# same DESCRIPTION GOT WANT: two sorted lists are equal.
same() {
    if [ "$2" = "$3" ] && [ -n "$2" ]; then
        ok "$1"
    else
        not_ok "$1" "offered: $(echo $2 | cut -c1-200)" "want:    $(echo $3 | cut -c1-200)"
    fi
}

check "the completion registers a function for cpucompat" \
    bash -c ". '$TOP/completion/cpucompat.bash'; complete -p cpucompat | grep -q -- '-F '"

# Commands: as --help lists them.
want=$("$CPUCOMPAT" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z]*\) .*/\1/p' | sort)
same "cpucompat <TAB>: the commands --help lists" "$(offers "")" "$want"
same "cpucompat comp<TAB>: compare" "$(offers comp)" "compare"
same "cpucompat -<TAB>: the global options" "$(offers -)" "$(printf '%s\n' --data-dir --help --version | sort)"

# Options of a command, with those its architectures declare.
got=$(offers compare --)
for o in --format= --model= --qemu= --invtsc --midr-policy=; do
    case " $(echo $got) " in
    *" $o "*) ok "compare --<TAB> offers $o" ;;
    *) not_ok "compare --<TAB> offers $o" "offered: $(echo $got)" ;;
    esac
done
case " $(echo $(offers dump --)) " in
*" --vcpu-features= "*) ok "dump --<TAB> offers arm64's --vcpu-features=" ;;
*) not_ok "dump --<TAB> offers arm64's --vcpu-features=" ;;
esac
# Every option offered is one the command takes: popt does not call it unknown.
bad=""
for o in $got; do
    "$CPUCOMPAT" compare "${o%=}" >/dev/null 2>"$T/err"
    grep -q "unknown option" "$T/err" && bad="$bad $o"
done
check "every option compare --<TAB> offers is one compare takes (bad:$bad)" test -z "$bad"

# Output formats: the ones --format accepts, as its error for a bad one lists them.
"$CPUCOMPAT" compare --format bogus "$T/x" "$T/x" 2>"$T/err"
want=$(sed -n "s/.*not one of \([a-z ]*\).*/\1/p" "$T/err" | tr ' ' '\n' | sed '/^$/d' | sort)
same "compare --format <TAB>: what --format accepts ($(echo $want))" "$(offers compare --format "")" "$want"
same "compare --format=j<TAB> (split at '=' as bash does)" "$(offers compare --format = j)" "json"

# Import formats: each one offered is one import knows.
got=$(offers import "")
bad=""
for f in $got; do
    "$CPUCOMPAT" import "$f" "$T/none" 2>"$T/err"
    grep -q "unknown format" "$T/err" && bad="$bad $f"
done
check "import <TAB>: $(echo $got | wc -w) formats, each one import knows (bad:$bad)" \
    sh -c "[ -n '$got' ] && [ -z '$bad' ]"

# Model names: the x86, s390x and arm64 tables.
want=$(xmllint --xpath '//version/@name' "$D/x86/models/Skylake-Server.xml" |
    sed 's/ name="\([^"]*\)"/\1\n/g' | grep '^Skylake-Server-v' | sort)
same "expand Skylake-Server-v<TAB>: the family's versions in data/x86" "$(offers expand Skylake-Server-v)" "$want"
want=$(xmllint --xpath '//model/@name' "$D/s390x/models.xml" | sed 's/ name="\([^"]*\)"/\1\n/g' |
    grep '^gen15' | sort)
same "compare --model gen15<TAB>: the s390x definitions" "$(offers compare --model gen15)" "$want"
want=$(for f in "$D"/arm64/models/cortex-a7*.xml; do
    xmllint --xpath '//version/@name' "$f" | sed 's/ name="\([^"]*\)"/\1\n/g'; done | sed '/^$/d' | sort)
same "expand cortex-a7<TAB>: the arm64 models" "$(offers expand cortex-a7)" "$want"
# Features of an s390x model's properties.
want=$( (xmllint --xpath '//feature/@name' "$D/s390x/features.xml"
    xmllint --xpath '//group/@name' "$D/s390x/features.xml" 2>/dev/null) |
    sed 's/ name="\([^"]*\)"/\1\n/g' | grep '^css' | sed 's/^/z14.2,/; s/$/=off/' | sort)
same "compare --model z14.2,css<TAB>: the s390x features" "$(offers compare --model z14.2,css)" "$want"

# --data-dir typed before the command is the one the names come from.
cp -r "$D" "$T/data"
rm "$T/data/x86/models/Skylake-Server.xml"
got=$(offers --data-dir "$T/data" expand Skylake-Server)
check "expand after --data-dir DIR offers DIR's models (no Skylake-Server once its file is gone)" \
    sh -c "[ -n '$(offers expand Skylake-Server)' ] && [ -z '$got' ]"

# make install puts it where bash-completion looks.
if (cd "$TOP" && make -n install DESTDIR=/dest PREFIX=/usr) >"$T/install" 2>&1; then
    check "make install installs it as /usr/share/bash-completion/completions/cpucompat" \
        grep -q 'completion/cpucompat.bash /dest/usr/share/bash-completion/completions/cpucompat' "$T/install"
else
    not_ok "make -n install runs" "$(tail -2 "$T/install")"
fi

done_testing
