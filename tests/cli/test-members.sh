# The JSON and XML members of every report against the man pages' lists, both ways.
. "$(dirname "$0")/lib.sh"
python3 "$TOP/tests/cli/members.py" "$CPUCOMPAT" "$TOP" "$T" >"$T/members.tap" 2>&1
st=$?
relay_tap "$T/members.tap" $st "members" "members"
done_testing
