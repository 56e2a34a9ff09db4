#!/usr/bin/env python3
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=print-used
"""Compare serial-tracked receipt and delivery times with and without the addon.

Two databases are measured in the same process, alternately for each size:
one with only ``stock`` installed (native) and one with ``serialized_inventory``
installed (addon).  Each (database, size) run happens in its own transaction
that is rolled back at the end, so the databases stay clean and runs repeat.

See bench/README.md for usage.
"""

import argparse
import gc
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import odoo
import odoo.service.db
from odoo import Command

ADDON = "serialized_inventory"
NATIVE_MODULE = "stock"
REPO_ROOT = Path(__file__).resolve().parent.parent
FLOWS = (
    ("receipt", "receipt: validate"),
    ("assign", "delivery: reserve (action_assign)"),
    ("validate", "delivery: validate"),
    ("end_to_end", "**end to end** (receipt validate + reserve + delivery validate)"),
)


class BenchError(Exception):
    """A run did not do what it should have (wrong setup, missing ledger rows...)."""


@dataclass
class Measure:
    seconds: float
    queries: int
    own: float | None = None  # seconds spent in the addon's own bookkeeping
    peak_kb: int | None = None  # the process's peak resident memory during the flow
    growth_kb: int | None = None  # that peak minus the resident memory at the start


@dataclass
class Run:
    """Timings of one database for one size; a missing flow was skipped."""

    flows: dict = field(default_factory=dict)

    def add(self, flow, timer):
        self.flows[flow] = Measure(
            timer.seconds, timer.queries, timer.own, timer.peak_kb, timer.growth_kb
        )

    def best(self, other):
        """Keep the fastest of two runs of each flow (timings on a shared
        machine only ever get slower than the true cost)."""
        for flow, measure in other.flows.items():
            mine = self.flows.get(flow)
            if mine is None or measure.seconds < mine.seconds:
                self.flows[flow] = measure
        return self


# ---------------------------------------------------------------------------
# Command line and Odoo setup
# ---------------------------------------------------------------------------


def default_addons_path():
    paths = [str(Path(odoo.__file__).resolve().parent.parent / "addons")]
    if REPO_ROOT.name == ADDON:
        paths.append(str(REPO_ROOT.parent))
    return ",".join(paths)


def common_parser(description):
    """The options every bench script against the two databases shares."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--native-db", default="bench_native", help="database with stock only")
    parser.add_argument("--addon-db", default="bench_addon", help=f"database with {ADDON}")
    parser.add_argument(
        "--sizes",
        default="1000,10000",
        help="comma-separated numbers of serials per flow (default: %(default)s)",
    )
    parser.add_argument("--config", help="Odoo rc file; --db-* options override it")
    parser.add_argument("--db-host", default=os.environ.get("PGHOST"))
    parser.add_argument("--db-port", default=os.environ.get("PGPORT"))
    parser.add_argument("--db-user", default=os.environ.get("PGUSER"))
    parser.add_argument(
        "--addons-path",
        help="Odoo addons path; must make serialized_inventory importable "
        "(default: the rc file's, else Odoo's own addons folder"
        + (f" and {REPO_ROOT.parent}" if REPO_ROOT.name == ADDON else "")
        + ")",
    )
    parser.add_argument(
        "--create",
        action="store_true",
        help="drop and (re)create both databases, without demo data, before measuring",
    )
    parser.add_argument("--output", help="also write the Markdown report to this file")
    parser.add_argument("--log-level", default="warn", help="Odoo log level (default: warn)")
    return parser


def check_common_args(parser, args):
    try:
        args.sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    except ValueError:
        parser.error(f"--sizes must be comma-separated integers, got {args.sizes!r}")
    if not args.sizes or min(args.sizes) < 1:
        parser.error("--sizes must list positive integers")
    if args.native_db == args.addon_db:
        parser.error("--native-db and --addon-db must differ")
    return args


def parse_args(argv=None):
    parser = common_parser(
        f"Benchmark serial-tracked receipts and deliveries, native Odoo vs {ADDON}."
    )
    parser.add_argument(
        "--skip-native-delivery-above",
        type=int,
        default=0,
        metavar="N",
        help="do not measure the native delivery for sizes above N (native reservation "
        "of serials is quadratic); 0 = never skip (default)",
    )
    parser.add_argument(
        "--no-delivery-above",
        type=int,
        default=0,
        metavar="N",
        help="measure only the receipt, on both databases, for sizes above N; 0 = never (default)",
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=10,
        metavar="N",
        help="run both flows once with N serials on each database before measuring, "
        "to warm the registry caches; 0 = no warm-up (default: %(default)s)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        metavar="K",
        help="measure each size K times, alternating the databases, and keep the fastest "
        "run of each flow (default: %(default)s; sizes above --repeat-max run once)",
    )
    parser.add_argument(
        "--repeat-max",
        type=int,
        default=2000,
        metavar="N",
        help="sizes above N are measured once (default: %(default)s)",
    )
    return check_common_args(parser, parser.parse_args(argv))


def odoo_options(args):
    """Odoo command-line options shared by this process and the install subprocesses."""
    options = []
    if args.config:
        options += ["-c", args.config]
    if args.db_host:
        options += ["--db_host", args.db_host]
    if args.db_port:
        options += ["--db_port", str(args.db_port)]
    if args.db_user:
        options += ["--db_user", args.db_user]
    if args.addons_path:
        options += ["--addons-path", args.addons_path]
    elif not args.config:
        options += ["--addons-path", default_addons_path()]
    options += ["--log-level", args.log_level]
    return options


def create_databases(args):
    for db_name, module in ((args.native_db, NATIVE_MODULE), (args.addon_db, ADDON)):
        print(f"Dropping and creating {db_name} with {module} (no demo data)...", flush=True)
        odoo.service.db.exp_drop(db_name)
        command = [
            sys.executable,
            "-c",
            "from odoo.cli.command import main; main()",
            *odoo_options(args),
            f"--database={db_name}",
            f"--init={module}",
            "--without-demo=all",
            "--stop-after-init",
            "--no-http",
        ]
        started = time.perf_counter()
        subprocess.run(command, check=True)
        print(f"  done in {time.perf_counter() - started:.0f} s", flush=True)


def create_addon_database(args):
    """Only the addon's database, for the benches whose baseline runs on the
    same data (native Odoo has no warranty or recall to compare with)."""
    print(f"Dropping and creating {args.addon_db} with {ADDON} (no demo data)...", flush=True)
    odoo.service.db.exp_drop(args.addon_db)
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from odoo.cli.command import main; main()",
            *odoo_options(args),
            f"--database={args.addon_db}",
            f"--init={ADDON}",
            "--without-demo=all",
            "--stop-after-init",
            "--no-http",
        ],
        check=True,
    )


def open_databases(args):
    """Set Odoo up from the command line, create both databases if asked, and
    return their registries, VACUUM ANALYZEd, with the environment lines."""
    odoo.tools.config.parse_config(odoo_options(args), setup_logging=True)
    if args.create:
        create_databases(args)
    native = registry_for(args.native_db, expect_addon=False)
    addon = registry_for(args.addon_db, expect_addon=True)
    vacuum(native)
    vacuum(addon)
    return native, addon, environment_lines([native, addon])


def open_addon_database(args):
    """The same for the benches that run on the addon's database alone
    (their baseline runs on the same data): its registry and the
    environment lines."""
    odoo.tools.config.parse_config(odoo_options(args), setup_logging=True)
    if args.create:
        create_addon_database(args)
    addon = registry_for(args.addon_db, expect_addon=True)
    vacuum(addon)
    return addon, environment_lines([addon])


def vacuum(registry):
    """Measure both databases in the same shape: no dead rows left by earlier runs."""
    with registry.cursor() as cr:
        cr._cnx.autocommit = True
        try:
            cr.execute("VACUUM ANALYZE")
        finally:
            cr._cnx.autocommit = False


def registry_for(db_name, expect_addon):
    try:
        registry = odoo.modules.registry.Registry(db_name)
    except Exception as error:
        raise BenchError(
            f"cannot load database {db_name!r} ({error}); create it with --create"
        ) from error
    with registry.cursor() as cr:
        cr.execute(
            "SELECT name FROM ir_module_module WHERE state = 'installed' AND name IN %s",
            [(NATIVE_MODULE, ADDON)],
        )
        installed = {name for (name,) in cr.fetchall()}
    if NATIVE_MODULE not in installed:
        raise BenchError(f"database {db_name!r} does not have {NATIVE_MODULE} installed")
    if (ADDON in installed) != expect_addon:
        raise BenchError(
            f"database {db_name!r} should {'' if expect_addon else 'not '}have {ADDON} "
            "installed; recreate the databases with --create"
        )
    return registry


# ---------------------------------------------------------------------------
# The flows
# ---------------------------------------------------------------------------


# The addon's entry points on the hot paths: the ledger and lifecycle
# bookkeeping after done moves, and the format and duplicate checks of new
# serials. Time spent inside them is the addon's own cost, measured apart from
# the end-to-end time (which, on a shared 2-core machine, varies by +-10 % from
# one run to the next even for code the addon does not touch, e.g. reservation).
OWN_ENTRY_POINTS = (
    ("serial.event", "_record_move_lines"),
    ("stock.lot", "_check_serial_formats"),
    ("stock.lot", "_check_serial_duplicates"),
    ("stock.move.line", "_check_lot_name_format"),
)


class OwnTime:
    """Accumulate the time spent in the addon's entry points while active."""

    def __init__(self, registry):
        self.registry = registry
        self.seconds = 0.0
        self.patched = []

    def __enter__(self):
        for model, method in OWN_ENTRY_POINTS:
            cls = self.registry.get(model)
            original = getattr(cls, method, None)
            if original is None:  # the native database
                continue

            def timed(record, *args, _original=original, **kwargs):
                started = time.perf_counter()
                try:
                    return _original(record, *args, **kwargs)
                finally:
                    self.seconds += time.perf_counter() - started

            setattr(cls, method, timed)
            self.patched.append((cls, method, original))
        return self

    def __exit__(self, *exc):
        for cls, method, original in self.patched:
            setattr(cls, method, original)


def memory_kb(key):
    """A ``/proc/self/status`` figure (VmRSS, VmHWM) in kB, None off Linux."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def reset_peak_memory():
    """Make the peak resident memory (VmHWM) start again from the current one."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    except OSError:
        pass


class Timer:
    """Time a block, count the SQL queries it sends on ``env.cr``, the time
    the addon's own code took in it and, for a block that ``memory`` asks
    for, the process's peak resident memory while it ran."""

    def __init__(self, env, own=None, memory=False):
        self.env = env
        self.own_time = own
        self.memory = memory
        self.peak_kb = self.growth_kb = None

    def __enter__(self):
        self.queries = self.env.cr.sql_log_count
        self.own_start = self.own_time.seconds if self.own_time else 0.0
        if self.memory:
            reset_peak_memory()
            self.rss_kb = memory_kb("VmRSS")
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.started
        self.queries = self.env.cr.sql_log_count - self.queries
        self.own = self.own_time.seconds - self.own_start if self.own_time else None
        if self.memory:
            self.peak_kb = memory_kb("VmHWM")
            if self.peak_kb is not None and self.rss_kb is not None:
                self.growth_kb = self.peak_kb - self.rss_kb


def check(condition, message):
    if not condition:
        raise BenchError(message)


def run_flows(registry, size, with_delivery, check_ledger):
    """Receive then deliver ``size`` new serials in one transaction, rolled back at the end."""
    run = Run()
    cr = registry.cursor()
    own = OwnTime(registry).__enter__()
    try:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
        check(warehouse, f"no warehouse in {cr.dbname}")
        stock = warehouse.lot_stock_id
        suppliers = env.ref("stock.stock_location_suppliers")
        customers = env.ref("stock.stock_location_customers")
        vendor, customer = env["res.partner"].create(
            [{"name": "Bench Vendor"}, {"name": "Bench Customer"}]
        )
        product = env["product.product"].create(
            {"name": f"Bench Serial {size}", "is_storable": True, "tracking": "serial"}
        )

        # (a) Receipt: confirm, then fill in the serials as the "generate serials"
        # dialog of the move does (drop the blank lines, create one line per serial).
        receipt = env["stock.picking"].create(
            {
                "picking_type_id": warehouse.in_type_id.id,
                "partner_id": vendor.id,
                "location_id": suppliers.id,
                "location_dest_id": stock.id,
                "move_ids": [Command.create(move_vals(product, size, suppliers, stock))],
            }
        )
        receipt.action_confirm()
        move = receipt.move_ids
        move.move_line_ids = [Command.delete(line.id) for line in move.move_line_ids] + [
            Command.create(
                {
                    "picking_id": receipt.id,
                    "product_id": product.id,
                    "product_uom_id": product.uom_id.id,
                    "location_id": move.location_id.id,
                    "location_dest_id": move.location_dest_id.id,
                    "lot_name": f"BENCH-{product.id}-{index:06d}",
                    "quantity": 1,
                }
            )
            for index in range(1, size + 1)
        ]
        receipt.move_ids.picked = True
        env.flush_all()
        check(len(move.move_line_ids) == size, f"receipt has {len(move.move_line_ids)} lines")

        gc.collect()
        with Timer(env, own, memory=True) as receipt_timer:
            result = receipt.button_validate()
            env.flush_all()
        run.add("receipt", receipt_timer)
        check(result is True, f"receipt validation returned {result!r} instead of True")
        check(receipt.state == "done", f"receipt is {receipt.state}, not done")
        check(product.qty_available == size, f"{product.qty_available} units in stock")
        if check_ledger:
            check_ledger_rows(env, receipt, size, stock=stock)

        # (b) Delivery: confirm without reserving, then time the reservation and the
        # validation (which marks the moves picked, as the Validate button does).
        if with_delivery:
            warehouse.out_type_id.reservation_method = "manual"
            delivery = env["stock.picking"].create(
                {
                    "picking_type_id": warehouse.out_type_id.id,
                    "partner_id": customer.id,
                    "location_id": stock.id,
                    "location_dest_id": customers.id,
                    "move_ids": [Command.create(move_vals(product, size, stock, customers))],
                }
            )
            delivery.action_confirm()
            env.flush_all()
            check(not delivery.move_ids.move_line_ids, "delivery reserved at confirmation")

            gc.collect()
            with Timer(env, own, memory=True) as assign:
                delivery.action_assign()
                env.flush_all()
            with Timer(env, own, memory=True) as validate:
                result = delivery.button_validate()
                env.flush_all()
            run.add("assign", assign)
            run.add("validate", validate)
            run.flows["end_to_end"] = end_to_end(run.flows.values())
            check(result is True, f"delivery validation returned {result!r} instead of True")
            check(delivery.state == "done", f"delivery is {delivery.state}, not done")
            delivered = delivery.move_ids.quantity
            check(delivered == size, f"{delivered} units delivered instead of {size}")
            check(product.qty_available == 0, f"{product.qty_available} units left in stock")
            if check_ledger:
                check_ledger_rows(env, delivery, size, holder=customer)
    finally:
        own.__exit__()
        cr.rollback()
        cr.close()
    return run


def end_to_end(measures):
    """The three timed steps of one run as one flow (peak: the highest)."""
    measures = list(measures)
    peaks = [m.peak_kb for m in measures if m.peak_kb is not None]
    growths = [m.growth_kb for m in measures if m.growth_kb is not None]
    owns = [m.own for m in measures if m.own is not None]
    return Measure(
        seconds=sum(m.seconds for m in measures),
        queries=sum(m.queries for m in measures),
        own=sum(owns) if owns else None,
        peak_kb=max(peaks) if peaks else None,
        growth_kb=max(growths) if growths else None,
    )


def move_vals(product, size, source, destination):
    return {
        "name": product.display_name,
        "product_id": product.id,
        "product_uom": product.uom_id.id,
        "product_uom_qty": size,
        "location_id": source.id,
        "location_dest_id": destination.id,
    }


def check_ledger_rows(env, picking, size, stock=None, holder=None):
    """The addon must have written one ledger row per serial and updated the serials."""
    events = env["serial.event"].search_count([("picking_id", "=", picking.id)])
    check(
        events == size,
        f"{ADDON}: {events} serial.event rows for {picking.name}, expected {size}",
    )
    lot_domain = [("product_id", "=", picking.move_ids.product_id.id)]
    if stock:
        lot_domain.append(("current_location_id", "=", stock.id))
    if holder:
        lot_domain.append(("current_holder_id", "=", holder.id))
    lots = env["stock.lot"].search_count(lot_domain)
    check(
        lots == size,
        f"{ADDON}: {lots} serials with {lot_domain[1:]} after {picking.name}, expected {size}",
    )


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def environment_lines(registries):
    with registries[0].cursor() as cr:
        cr.execute("SHOW server_version")
        pg_version = cr.fetchone()[0]
    cpus = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cpus
    return [
        f"- Odoo {odoo.release.version}, PostgreSQL {pg_version}, "
        f"Python {platform.python_version()}",
        f"- CPUs: {cpus} ({usable} usable by this process), {platform.machine()}, "
        f"{platform.system()} {platform.release()}",
    ]


def fmt_seconds(measure):
    return f"{measure.seconds:.2f}" if measure else "skipped"


def fmt_own(measure):
    return f"{measure.own:.2f}" if measure and measure.own is not None else "n/a"


def fmt_per_serial(measure, size):
    return f"{measure.queries / size:.2f}" if measure else "skipped"


def fmt_memory(measure):
    if not measure or measure.peak_kb is None:
        return "n/a"
    return f"{measure.peak_kb / 1024:.0f} (+{measure.growth_kb / 1024:.0f})"


def speed_up(native, addon):
    if not (native and addon) or addon.seconds <= 0:
        return None
    return native.seconds / addon.seconds


def report_lines(args, results, env_lines):
    lines = [
        f"## Serial flows: native `{NATIVE_MODULE}` vs `{ADDON}`",
        "",
        *env_lines,
        f"- Databases: native `{args.native_db}`, addon `{args.addon_db}`; each run rolled back",
        f"- Fastest of {args.repeat} alternating runs for N <= {args.repeat_max}, one run above;"
        " end to end is the fastest whole run",
        "- Peak memory: the process's peak resident memory during the step (VmHWM, reset"
        " before each step), in MB, and in brackets its growth over the step",
        "",
        "| flow | N | native s | addon s | speed-up | addon's own code s | native queries "
        "per serial | addon queries per serial | native peak MB | addon peak MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, (native, addon) in results:
        for flow, label in FLOWS:
            native_measure, addon_measure = native.flows.get(flow), addon.flows.get(flow)
            if not (native_measure or addon_measure):
                continue
            ratio = speed_up(native_measure, addon_measure)
            lines.append(
                f"| {label} | {size} | {fmt_seconds(native_measure)} "
                f"| {fmt_seconds(addon_measure)} "
                f"| {'n/a' if ratio is None else f'{ratio:.1f}x'} "
                f"| {fmt_own(addon_measure)} "
                f"| {fmt_per_serial(native_measure, size)} "
                f"| {fmt_per_serial(addon_measure, size)} "
                f"| {fmt_memory(native_measure)} | {fmt_memory(addon_measure)} |"
            )
    lines.append("")
    for size, (native, addon) in results:
        ratio = speed_up(native.flows.get("end_to_end"), addon.flows.get("end_to_end"))
        target = 15 if size >= 10000 else 5 if size >= 1000 else None
        if ratio is not None and target:
            lines.append(
                f"- N={size}: end to end {ratio:.1f}x faster than native "
                f"(target {target}x at {'10,000' if target == 15 else '1,000'}: "
                f"{'met' if ratio >= target else 'NOT met'})"
            )
    return lines


def print_report(args, results, env_lines):
    text = "\n".join(report_lines(args, results, env_lines))
    print("\n" + text, flush=True)
    if args.output:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(text + "\n")


# ---------------------------------------------------------------------------


def main(argv=None):
    args = parse_args(argv)
    odoo.tools.config.parse_config(odoo_options(args), setup_logging=True)
    if args.create:
        create_databases(args)

    results = []
    env_lines = []
    try:
        native = registry_for(args.native_db, expect_addon=False)
        addon = registry_for(args.addon_db, expect_addon=True)
        env_lines = environment_lines([native, addon])
        vacuum(native)
        vacuum(addon)
        if args.warmup:
            print(f"Warming up with {args.warmup} serials on each database...", flush=True)
            run_flows(native, args.warmup, with_delivery=True, check_ledger=False)
            run_flows(addon, args.warmup, with_delivery=True, check_ledger=True)
        for size in args.sizes:
            addon_delivery = not (args.no_delivery_above and size > args.no_delivery_above)
            native_delivery = addon_delivery and not (
                args.skip_native_delivery_above and size > args.skip_native_delivery_above
            )
            repeat = max(1, args.repeat) if size <= args.repeat_max else 1
            native_run, addon_run = Run(), Run()
            for attempt in range(1, repeat + 1):
                print(f"N={size} ({attempt}/{repeat}): native ({args.native_db})...", flush=True)
                native_run.best(run_flows(native, size, native_delivery, check_ledger=False))
                print(f"N={size} ({attempt}/{repeat}): addon ({args.addon_db})...", flush=True)
                addon_run.best(run_flows(addon, size, addon_delivery, check_ledger=True))
            results.append((size, (native_run, addon_run)))
    except BenchError as error:
        print_report(args, results, env_lines)
        print(f"\nERROR: {error}", file=sys.stderr)
        return 1
    print_report(args, results, env_lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
