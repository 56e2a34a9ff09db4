"""Judge pytest JUnit reports for `make test`; the closing line is the verdict.

junit_check.py addon REPORT --log LOG --summary FILE
    every test must pass: a failure, an error, a skipped test (a browser
    test skipped for want of Chromium counts), no test at all, or an
    ERROR/CRITICAL line in the log fails.
junit_check.py stock REPORT --baseline NATIVE_REPORT --summary FILE
    every test that passes on the native database must pass with the
    addon; tests that fail natively are listed, not counted against us.
junit_check.py total --summary FILE
    prints "serialized_inventory: N passed, N failed" and exits 1 on any failure.
"""

import argparse
import re
import sys
import xml.etree.ElementTree as ET


def say(line):
    sys.stdout.write(f"{line}\n")


# anywhere in a line: with ``-s`` pytest's progress dots may come first
LOG_ERROR = re.compile(r"\d{4}-\d\d-\d\d [\d:,]+ \d+ (ERROR|CRITICAL) ")


def outcomes(path):
    """{test id: 'passed' | 'failed' | 'error' | 'skipped'} of a JUnit report."""
    results = {}
    for case in ET.parse(path).iter("testcase"):
        name = f"{case.get('classname')}.{case.get('name')}"
        outcome = "passed"
        for child in case:
            if child.tag in ("failure", "error", "skipped"):
                outcome = {"failure": "failed"}.get(child.tag, child.tag)
                break
        results[name] = outcome
    return results


def record(summary, passed, failed):
    with open(summary, "a") as out:
        out.write(f"{passed} {failed}\n")


def check_addon(args):
    try:
        results = outcomes(args.report)
    except (OSError, ET.ParseError) as error:
        say(f"addon tests: no readable report ({error})")
        record(args.summary, 0, 1)
        return
    bad = {name: o for name, o in results.items() if o != "passed"}
    errors = []
    with open(args.log, errors="replace") as log:
        errors = [line.rstrip() for line in log if LOG_ERROR.search(line)]
    for name, outcome in sorted(bad.items()):
        say(f"addon tests: {outcome.upper()} {name}")
    for line in errors:
        say(f"addon tests: ERROR log line: {line}")
    if not results:
        say("addon tests: no test ran")
    failed = len(bad) + len(errors) + (0 if results else 1)
    passed = len(results) - len(bad)
    say(f"addon tests: {passed} passed, {failed} failed")
    record(args.summary, passed, failed)


def check_stock(args):
    addon = outcomes(args.report)
    native = outcomes(args.baseline)
    regressions = sorted(
        name
        for name, outcome in native.items()
        if outcome == "passed" and addon.get(name) != "passed"
    )
    native_bad = sorted(name for name, outcome in native.items() if outcome != "passed")
    for name in native_bad:
        say(f"stock suite: {native[name]} natively too (not counted): {name} -> {addon.get(name)}")
    for name in regressions:
        say(
            f"stock suite: REGRESSION {name}: passes natively, "
            f"{addon.get(name, 'missing')} with the addon"
        )
    if not native:
        say("stock suite: the native run ran no test")
        regressions.append("<no native run>")
    passed = sum(1 for name in native if name not in regressions and addon.get(name) == "passed")
    say(
        f"stock suite: {len(native)} tests natively ({len(native) - len(native_bad)} passing); "
        f"with the addon {passed} of those pass, {len(regressions)} regressions"
    )
    record(args.summary, passed, len(regressions))


def total(args):
    passed = failed = 0
    try:
        with open(args.summary) as lines:
            for line in lines:
                p, f = line.split()
                passed, failed = passed + int(p), failed + int(f)
    except OSError:
        failed = 1
    if passed == 0:
        failed = max(failed, 1)
    say(f"serialized_inventory: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=("addon", "stock", "total"))
    parser.add_argument("report", nargs="?")
    parser.add_argument("--log")
    parser.add_argument("--baseline")
    parser.add_argument("--summary", required=True)
    args = parser.parse_args()
    {"addon": check_addon, "stock": check_stock, "total": total}[args.what](args)


if __name__ == "__main__":
    main()
