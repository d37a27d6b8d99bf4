"""TAP output shared by the Python checks (tests/peers and tests/cli): numbered ok / not ok
lines, a failure's reasons as at most eight comment lines, skips with their reason, and the plan
with the exit status at the end."""
import sys

n = 0
failed = 0


def tap(good, what, why=()):
    """One check; why (a string or lines) is printed under a failure. Returns good."""
    global n, failed
    n += 1
    print('%sok %d - %s' % ('' if good else 'not ', n, what))
    if not good:
        failed += 1
        lines = why.splitlines() if isinstance(why, str) else [str(w) for w in why]
        for line in lines[:8]:
            print('#   %s' % line)
    return good


def skip(what, why):
    global n
    n += 1
    print('ok %d - %s # SKIP %s' % (n, what, why))


def done():
    """The plan; exits 1 when a check failed."""
    print('1..%d' % n)
    sys.exit(1 if failed else 0)
