#!/usr/bin/env python3
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=print-used
"""Serial lookups at 10,000 / 100,000 / 1,000,000 serials, native vs addon.

In one transaction per database, rolled back at the end, serials of P
products are inserted with SQL (not timed), growing to each size in turn.
Native (``bench_native``, stock only): ``stock.lot.search`` by name and
``name_search``, first as on a plain PostgreSQL (no index on the serial's
name: Odoo's trigram index, if the database has pg_trgm, is dropped inside
the transaction), then with Odoo's trigram index (pg_trgm). Addon
(``bench_addon``): the same two calls and the scan API
``serial.scan.scan(code)`` on a plain serial, a GS1 element string and a GS1
Digital Link URI. Random serials, one call each, the ORM cache emptied
before each call (not timed). See bench/README.md.
"""

import math
import random
import statistics
import sys
import time
from pathlib import Path

from bench_serial_flows import ADDON, BenchError, check, common_parser, open_databases
from stdnum import ean

import odoo
from odoo.tools import SQL

TARGET_MS = 10.0  # scan API p95 at the largest size
TARGET_QUERIES = 3  # scan API queries per scan
TARGET_SIZE = 1_000_000
TRIGRAM_INDEX = "stock_lot__name_index"  # odoo.tools.sql.make_index_name
# what a scan looks like, from the serial's name and its product's GTIN-14
FORMS = {
    "serial": lambda name, gtin: name,
    "GS1 element string": lambda name, gtin: f"01{gtin}21{name}",
    "GS1 Digital Link": lambda name, gtin: f"https://id.gs1.org/01/{gtin}/21/{name}",
}


def parse_args(argv=None):
    parser = common_parser("Benchmark serial lookups and the scan API, native Odoo vs addon.")
    parser.set_defaults(sizes="10000,100000,1000000")
    parser.add_argument("--products", type=int, default=20, help="products (20)")
    parser.add_argument("--scans", type=int, default=500, help="calls per measure (500)")
    parser.add_argument(
        "--budget",
        type=float,
        default=15.0,
        help="seconds at most per measure: slow calls (sequential scans) stop earlier (15)",
    )
    parser.add_argument("--seed", type=int, default=14, help="random seed (14)")
    args = parser.parse_args(argv)
    args.sizes = sorted(int(size) for size in args.sizes.split(",") if size.strip())
    check(args.sizes and args.sizes[0] >= 1, "--sizes: positive integers")
    return args


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------


def serial_name(index):
    return f"SC{index:09d}"


def create_products(env, count):
    products = env["product.product"]
    for index in range(count):
        body = f"400638{index:06d}"
        products |= products.create(
            {
                "name": f"Bench Scan Product {index:02d}",
                "is_storable": True,
                "tracking": "serial",
                "barcode": body + ean.calc_check_digit(body),
            }
        )
    env.flush_all()
    return products


def name_indexes(cr):
    """{name: definition} of the non-unique indexes on stock_lot.name."""
    cr.execute(
        """
        SELECT indexname, indexdef FROM pg_indexes
         WHERE tablename = 'stock_lot' AND indexdef ~ '\\(name( gin_trgm_ops)?\\)$'
        """
    )
    return dict(cr.fetchall())


def insert_serials(env, start, stop, products, addon):
    """Serials ``start`` .. ``stop - 1``, spread over ``products``. The name
    indexes are dropped first and built again after (the same index, faster
    than growing it a row at a time); returns them."""
    cr = env.cr
    indexes = name_indexes(cr)
    for index in indexes:
        cr.execute(SQL("DROP INDEX %s", SQL.identifier(index)))
    columns, values = SQL(""), SQL("")
    if addon:
        columns, values = SQL(", active, lifecycle_state"), SQL(", true, 'new'")
    cr.execute(
        SQL(
            """
            INSERT INTO stock_lot (name, product_id, company_id, create_uid, create_date,
                                   write_uid, write_date%s)
            SELECT 'SC' || lpad(i::text, 9, '0'),
                   (%s::int[])[1 + mod(i, %s)], %s, %s, now(), %s, now()%s
              FROM generate_series(%s, %s) i
            """,
            columns,
            products.ids,
            len(products),
            env.company.id,
            env.uid,
            env.uid,
            values,
            start,
            stop - 1,
        )
    )
    return indexes


def build_indexes(cr, indexes):
    for definition in indexes.values():
        cr.execute(definition)
    cr.execute("ANALYZE stock_lot")


# ---------------------------------------------------------------------------
# Measures
# ---------------------------------------------------------------------------


class Measure:
    """Milliseconds and queries of each call of one operation."""

    def __init__(self):
        self.ms = []
        self.queries = []

    def percentile(self, share):
        ordered = sorted(self.ms)
        return ordered[max(0, math.ceil(share * len(ordered)) - 1)]

    def cell(self):
        return f"{statistics.median(self.ms):.1f} / {self.percentile(0.95):.1f}"

    def queries_per_call(self):
        return statistics.mean(self.queries)


def measure(env, samples, call, verify, args):
    """Time ``call(index)`` on each sample until ``args.scans`` calls or
    ``args.budget`` seconds; ``verify(index, result)`` checks each result."""
    result = Measure()
    cr = env.cr
    deadline = time.perf_counter() + args.budget
    for index in samples:
        env.invalidate_all()
        queries = cr.sql_log_count
        started = time.perf_counter()
        value = call(index)
        elapsed = time.perf_counter() - started
        result.ms.append(elapsed * 1000)
        result.queries.append(cr.sql_log_count - queries)
        verify(index, value)
        if started + elapsed > deadline:
            break
    return result


def lookups(env, samples, args, products):
    """``search`` by name and ``name_search`` of each sample."""
    Lot = env["stock.lot"]

    def found(index, lots):
        check(
            len(lots) == 1 and lots.product_id == products[index % len(products)],
            f"search of {serial_name(index)}: {lots}",
        )

    def named(index, pairs):
        check(
            any(serial_name(index) in name for _id, name in pairs),
            f"name_search of {serial_name(index)}: {pairs[:3]}",
        )

    return {
        "search": measure(
            env, samples, lambda i: Lot.search([("name", "=", serial_name(i))]), found, args
        ),
        "name_search": measure(
            env, samples, lambda i: Lot.name_search(serial_name(i)), named, args
        ),
    }


def scans(env, samples, args, products):
    Scan = env["serial.scan"]
    gtins = [product.barcode.zfill(14) for product in products]
    lot_ids = {}

    def lot_id(index):
        if index not in lot_ids:
            lot = env["stock.lot"].search([("name", "=", serial_name(index))])
            lot_ids[index] = lot.id
        return lot_ids[index]

    results = {}
    for form, make in FORMS.items():

        def call(index, make=make):
            return Scan.scan(make(serial_name(index), gtins[index % len(gtins)]))

        def verify(index, value, form=form):
            check(
                value.get("kind") == "serial" and value.get("lot_id") == lot_id(index),
                f"scan API, {form} of {serial_name(index)}: {value.get('kind')!r} "
                f"{value.get('message')!r}",
            )

        call(samples[0])  # warm the registry's caches for this form
        results[form] = measure(env, samples, call, verify, args)
    return results


def run_database(registry, args, addon):
    """{size: {operation: Measure}} and whether the database has pg_trgm."""
    rows = {}
    rng = random.Random(args.seed)
    with registry.cursor() as cr:
        try:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            # the context the web client and RPC clients send with each call
            context = {"lang": "en_US", "tz": "UTC", "allowed_company_ids": [env.company.id]}
            env = env(user=env.ref("base.user_admin").id, context=context)
            has_trigram = odoo.modules.db.has_trigram(cr)
            products = create_products(env, args.products)
            cr.execute("SELECT count(*) FROM stock_lot")
            existing = cr.fetchone()[0]
            done = 0
            for size in args.sizes:
                started = time.perf_counter()
                indexes = insert_serials(env, done, size, products, addon)
                done = size
                samples = rng.sample(range(size), min(args.scans, size))
                measures = {}
                if not addon:
                    plain = {k: v for k, v in indexes.items() if k != TRIGRAM_INDEX}
                    build_indexes(cr, plain)
                    print(
                        f"  {registry.db_name}: {size:,} serials (+{existing} before) in "
                        f"{time.perf_counter() - started:.0f} s",
                        flush=True,
                    )
                    for op, value in lookups(env, samples, args, products).items():
                        measures[f"plain {op}"] = value
                    if TRIGRAM_INDEX in indexes:
                        build_indexes(cr, {TRIGRAM_INDEX: indexes[TRIGRAM_INDEX]})
                        for op, value in lookups(env, samples, args, products).items():
                            measures[f"trigram {op}"] = value
                else:
                    build_indexes(cr, indexes)
                    print(
                        f"  {registry.db_name}: {size:,} serials (+{existing} before) in "
                        f"{time.perf_counter() - started:.0f} s",
                        flush=True,
                    )
                    measures.update(lookups(env, samples, args, products))
                    if "serial.scan" in env:
                        measures.update(scans(env, samples, args, products))
                rows[size] = measures
            return rows, has_trigram, sorted(name_indexes(cr))
        finally:
            cr.rollback()


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def cell(measures, key):
    value = measures.get(key)
    return value.cell() if value else "n/a"


def report(args, native, addon, native_trigram, addon_indexes):
    largest = max(args.sizes)
    failed = False
    has_scan = FORMS.keys() <= addon[largest].keys()
    lines = [
        "| serials | native `search` p50 / p95 ms | native `name_search` p50 / p95 ms "
        "| addon `search` p50 / p95 ms "
        "| scan API p50 / p95 ms (serial, element string, Digital Link) | queries / scan "
        "| target |",
        "|---:|---:|---:|---:|---|---|---|",
    ]
    for size in args.sizes:
        measures = addon[size]
        if has_scan:
            scan_cells = ", ".join(measures[form].cell() for form in FORMS)
            queries = ", ".join(f"{measures[form].queries_per_call():.1f}" for form in FORMS)
            worst = max(measures[form].percentile(0.95) for form in FORMS)
            most = max(max(measures[form].queries) for form in FORMS)
            verdict = "n/a"
            if size >= TARGET_SIZE:
                ok = worst <= TARGET_MS and most <= TARGET_QUERIES
                failed |= not ok
                verdict = "met" if ok else f"MISSED (p95 {worst:.1f} ms, {most} queries)"
        else:
            scan_cells = queries = verdict = "scan API not in this branch"
        lines.append(
            f"| {size:,} | {cell(native[size], 'plain search')} "
            f"| {cell(native[size], 'plain name_search')} | {cell(measures, 'search')} "
            f"| {scan_cells} | {queries} | {verdict} |"
        )
    lines += [
        "",
        "All lookups, p50 / p95 ms (calls measured) and queries per call:",
        "",
        "| serials | database | operation | p50 / p95 ms | calls | queries / call |",
        "|---:|---|---|---:|---:|---:|",
    ]
    labels = {
        "plain search": "`search` by name, no index on name",
        "plain name_search": "`name_search`, no index on name",
        "trigram search": "`search` by name, Odoo's trigram index (pg_trgm)",
        "trigram name_search": "`name_search`, Odoo's trigram index (pg_trgm)",
        "search": "`search` by name",
        "name_search": "`name_search`",
    }
    labels.update({form: f"scan API, {form}" for form in FORMS})
    for size in args.sizes:
        for database, rows in (("native", native), ("addon", addon)):
            for key, value in rows[size].items():
                lines.append(
                    f"| {size:,} | {database} | {labels[key]} | {value.cell()} "
                    f"| {len(value.ms)} | {value.queries_per_call():.1f} |"
                )
    lines += [
        "",
        f"- `{args.native_db}` has pg_trgm: {'yes' if native_trigram else 'no'} (its trigram "
        'index is dropped for the "no index" rows, inside the rolled-back transaction); '
        f"`{args.addon_db}` indexes on stock_lot.name: {', '.join(addon_indexes) or 'none'}",
    ]
    if not has_scan:
        lines.append("- `serial.scan` is not in this checkout: the scan API was not measured.")
    return lines, failed


def main(argv=None):
    args = parse_args(argv)
    native_registry, addon_registry, env_lines = open_databases(args)
    try:
        print("Native...", flush=True)
        native, native_trigram, _indexes = run_database(native_registry, args, addon=False)
        print("Addon...", flush=True)
        addon, _trigram, addon_indexes = run_database(addon_registry, args, addon=True)
    except BenchError as error:
        print(f"\nERROR: {error}", file=sys.stderr)
        return 1
    table, failed = report(args, native, addon, native_trigram, addon_indexes)
    lines = [
        f"## Serial lookups: native Odoo vs `{ADDON}`'s scan API",
        "",
        *env_lines,
        f"- {args.products} products; per measure {args.scans} random serials (fewer when "
        f"{args.budget:.0f} s run out), as admin with the context a web or RPC client sends "
        f"(lang, tz, allowed_company_ids), the ORM cache emptied before each call; target: scan "
        f"API p95 at most {TARGET_MS:.0f} ms and at most {TARGET_QUERIES} queries per scan at "
        f"{TARGET_SIZE:,} serials",
        "",
        *table,
    ]
    text = "\n".join(lines)
    print("\n" + text, flush=True)
    if args.output:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(text + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
