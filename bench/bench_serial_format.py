#!/usr/bin/env python3
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=print-used
"""The serial format engine alone: generate then validate N serials per rule.

No database and no Odoo: ``lib/serial_format.py`` is plain Python. For each
check algorithm a typical template is timed generating N serials and
validating the same N (``validate_many``, as a pasted list is checked), best
of ``--repeat`` runs. The target is N = 100,000 generated and validated in at
most 1 s. See bench/README.md.
"""

import argparse
import datetime
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lib import serial_format  # the addon folder, not an installed package

TARGET_SECONDS = 1.0
RULES = (
    ("luhn", "SN{yy}{seq:7}{check:luhn}", "digits"),
    ("gs1", "{yyyy}{mm}{seq:8}{check:gs1}", "digits"),
    ("mod11_2", "7{ddd}{seq:7}{check:mod11_2}", "upper_alnum"),
    ("mod97_10", "AB-{seq:8}{check:mod97_10}", "upper_alnum"),
    ("mod37_36", "{mfr}-{model:3}-{yyyy}{ww}-{seq:6}{check:mod37_36}", "upper_alnum"),
    ("none", "{mfr}{yy}{mm}{dd}-{seq:8}", "upper_alnum"),
)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="serials (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=5, help="runs, fastest kept (default: 5)")
    parser.add_argument("--output", help="also write the Markdown report to this file")
    args = parser.parse_args(argv)
    if args.count < 1 or args.repeat < 1:
        parser.error("--count and --repeat must be positive")
    return args


def measure(template, charset, count, repeat):
    rule = serial_format.FormatRule(template, charset=charset)
    values = {"mfr": "ACME", "model": "DRL"}
    date = datetime.date(2026, 11, 27)
    best_generate = best_validate = float("inf")
    for _attempt in range(repeat):
        started = time.perf_counter()
        serials = rule.generate(1, count, date=date, **values)
        generated = time.perf_counter()
        invalid = rule.validate_many(serials, **values)
        validated = time.perf_counter()
        if invalid or len(set(serials)) != count:
            raise SystemExit(f"{template}: generated serials do not validate: {invalid[:3]}")
        best_generate = min(best_generate, generated - started)
        best_validate = min(best_validate, validated - generated)
    return serials[-1], best_generate, best_validate


def main(argv=None):
    args = parse_args(argv)
    cpus = os.cpu_count()
    lines = [
        f"## Serial format engine: generate and validate {args.count:,} serials",
        "",
        f"- Python {platform.python_version()}, CPUs: {cpus}, {platform.machine()}; "
        f"fastest of {args.repeat} runs",
        f"- Target: generate + validate in at most {TARGET_SECONDS:.1f} s for 100,000",
        "",
        "| check | template | last serial | generate s | validate s | total s | "
        "µs per serial | target |",
        "|---|---|---|---:|---:|---:|---:|---|",
    ]
    worst = 0.0
    for check, template, charset in RULES:
        last, generate, validate = measure(template, charset, args.count, args.repeat)
        total = generate + validate
        scaled = total * 100_000 / args.count
        worst = max(worst, scaled)
        lines.append(
            f"| {check} | `{template}` | `{last}` | {generate:.3f} | {validate:.3f} "
            f"| {total:.3f} | {total / args.count * 1e6:.1f} "
            f"| {'met' if scaled <= TARGET_SECONDS else 'MISSED'} |"
        )
    text = "\n".join(lines)
    print(text)
    if args.output:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
    return 0 if worst <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
