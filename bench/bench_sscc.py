#!/usr/bin/env python3
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=print-used
"""Build a pallet of cases of serials and deliver it, against native Odoo
delivering the same serials without nesting, in the same run.

Native (``bench_native``, only ``stock``): N serials received into C packages
(Odoo's packages, no pallet), then delivered, timed two ways: an outgoing transfer
of the product (reserve + validate) and one of the C packages (Packages tab);
the faster is the baseline. Addon (``bench_addon``): the same receipt into C SSCC
cases, the cases put on one pallet, then an outgoing transfer of the pallet
(reserve + validate). Each run is rolled back. See bench/README.md.
"""

import gc
import sys

from bench_serial_flows import (
    ADDON,
    BenchError,
    Run,
    Timer,
    check,
    check_common_args,
    common_parser,
    open_databases,
)

import odoo
from odoo import Command

FLOWS = (
    ("build", "build: receive N serials into C cases (+ cases on a pallet)"),
    ("palletize", "build: put the C cases on the pallet"),
    ("delivery_product", "deliver the N serials: transfer of the product"),
    ("delivery_packages", "deliver the N serials: transfer of the C packages"),
    ("delivery_pallet", "deliver the N serials: transfer of the pallet"),
)
# each delivery is also timed in two parts
PARTS = (("reserve", "create, confirm, reserve"), ("validate", "validate"))
TARGET = 3.0  # the pallet's delivery takes at most 3x native's


def parse_args(argv=None):
    parser = common_parser(
        f"Benchmark building and delivering a pallet of serials, native Odoo vs {ADDON}."
    )
    parser.add_argument("--cases", type=int, default=40, help="cases on the pallet (40)")
    parser.add_argument("--units", type=int, default=50, help="serials per case (50)")
    parser.add_argument(
        "--repeat", type=int, default=1, help="alternating runs, fastest kept (default: 1)"
    )
    args = parser.parse_args(argv)
    args.sizes = str(args.cases * args.units)
    args = check_common_args(parser, args)
    if args.cases < 1 or args.units < 1:
        parser.error("--cases and --units must be positive")
    return args


def _setup(env, native):
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    check(warehouse, f"no warehouse in {env.cr.dbname}")
    if not native:
        env.company.write({"gs1_company_prefix": "0614141", "sscc_extension_digit": "9"})
    vendor, customer = env["res.partner"].create(
        [{"name": "Bench Vendor"}, {"name": "Bench Customer"}]
    )
    product = env["product.product"].create(
        {"name": "Bench Pallet Serial", "is_storable": True, "tracking": "serial"}
    )
    warehouse.out_type_id.write({"reservation_method": "manual", "show_entire_packs": True})
    return warehouse, vendor, customer, product


def _receive_into_cases(env, warehouse, vendor, product, cases, units):
    stock = warehouse.lot_stock_id
    suppliers = env.ref("stock.stock_location_suppliers")
    size = len(cases) * units
    receipt = env["stock.picking"].create(
        {
            "picking_type_id": warehouse.in_type_id.id,
            "partner_id": vendor.id,
            "location_id": suppliers.id,
            "location_dest_id": stock.id,
            "move_ids": [
                Command.create(
                    {
                        "name": product.display_name,
                        "product_id": product.id,
                        "product_uom": product.uom_id.id,
                        "product_uom_qty": size,
                        "location_id": suppliers.id,
                        "location_dest_id": stock.id,
                    }
                )
            ],
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
                "location_id": suppliers.id,
                "location_dest_id": stock.id,
                "lot_name": f"PAL-{product.id}-{index:06d}",
                "quantity": 1,
                "result_package_id": cases[index // units].id,
            }
        )
        for index in range(size)
    ]
    move.picked = True
    result = receipt.button_validate()
    check(result is True, f"receipt validation returned {result!r}")
    return receipt


def _deliver(env, warehouse, customer, product, size, parts, packages=None):
    stock = warehouse.lot_stock_id
    customers = env.ref("stock.stock_location_customers")
    vals = {
        "picking_type_id": warehouse.out_type_id.id,
        "partner_id": customer.id,
        "location_id": stock.id,
        "location_dest_id": customers.id,
    }
    if packages:
        vals["package_level_ids"] = [
            Command.create(
                {
                    "package_id": package.id,
                    "location_dest_id": customers.id,
                    "company_id": env.company.id,
                }
            )
            for package in packages
        ]
    else:
        vals["move_ids"] = [
            Command.create(
                {
                    "name": product.display_name,
                    "product_id": product.id,
                    "product_uom": product.uom_id.id,
                    "product_uom_qty": size,
                    "location_id": stock.id,
                    "location_dest_id": customers.id,
                }
            )
        ]
    with Timer(env) as reserve:
        delivery = env["stock.picking"].create(vals)
        delivery.action_confirm()
        delivery.action_assign()
        env.flush_all()
    with Timer(env) as validate:
        delivery.move_ids.picked = True
        result = delivery.button_validate()
        env.flush_all()
    parts["reserve"], parts["validate"] = reserve, validate
    check(result is True, f"delivery validation returned {result!r} instead of True")
    check(delivery.state == "done", f"delivery is {delivery.state}, not done")
    delivered = sum(delivery.move_ids.mapped("quantity"))
    check(delivered == size, f"{delivered} units delivered instead of {size}")
    check(product.qty_available == 0, f"{product.qty_available} units left in stock")
    return delivery


def run_flows(registry, args, native, flows):
    """Build then deliver in one transaction, rolled back at the end."""
    run = Run()
    cr = registry.cursor()
    try:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        warehouse, vendor, customer, product = _setup(env, native)
        size = args.cases * args.units
        case_vals = [{}] * args.cases
        if not native:
            case_type, pallet_type = env["stock.package.type"].create(
                [
                    {"name": "Bench Case", "sscc_level": "case"},
                    {"name": "Bench Pallet", "sscc_level": "pallet"},
                ]
            )
            case_vals = [{"package_type_id": case_type.id}] * args.cases
        env.flush_all()
        gc.collect()
        with Timer(env) as build:
            cases = env["stock.quant.package"].create(case_vals)
            _receive_into_cases(env, warehouse, vendor, product, cases, args.units)
            env.flush_all()
            pallet = None
            if not native:
                pallet = env["stock.quant.package"].create({"package_type_id": pallet_type.id})
                with Timer(env) as palletize:
                    cases.write({"parent_id": pallet.id})
                    env.flush_all()
        run.add("build", build)
        if not native:
            run.add("palletize", palletize)
            lots = env["stock.lot"].search([("product_id", "=", product.id)])
            check(set(lots.mapped("sscc_pallet_id")) == {pallet}, "serials not on the pallet")
            packs = env["serial.event"].search_count(
                [("lot_id", "in", lots.ids), ("event_type", "=", "pack")]
            )
            check(packs == 2 * size, f"{packs} pack events instead of {2 * size}")
        check(product.qty_available == size, f"{product.qty_available} units in stock")
        flow = flows[0]
        gc.collect()
        parts = {}
        packages = {"delivery_packages": cases, "delivery_pallet": pallet}.get(flow)
        with Timer(env) as timer:
            delivery = _deliver(env, warehouse, customer, product, size, parts, packages)
        run.add(flow, timer)
        for part, _label in PARTS:
            run.add(f"{flow}:{part}", parts[part])
        if not native:
            events = env["serial.event"].search_count(
                [("picking_id", "=", delivery.id), ("event_type", "=", "delivery")]
            )
            check(events == size, f"{events} delivery events instead of {size}")
            check(cases.parent_id == pallet, "the cases left their pallet")
            check(
                pallet.location_id == env.ref("stock.stock_location_customers"),
                f"the pallet is in {pallet.location_id.display_name}",
            )
    finally:
        cr.rollback()
        cr.close()
    return run


def report_lines(args, native_run, addon_run, env_lines):
    size = args.cases * args.units
    lines = [
        f"## Pallet of {args.cases} cases x {args.units} serials (N = {size}): "
        f"native `stock` vs `{ADDON}`",
        "",
        *env_lines,
        f"- Databases: native `{args.native_db}`, addon `{args.addon_db}`; each run rolled back;"
        f" fastest of {args.repeat} alternating run(s)",
        "",
        "| flow | native s | addon s | native queries | addon queries |",
        "|---|---:|---:|---:|---:|",
    ]
    rows = []
    for flow, label in FLOWS:
        rows.append((flow, label))
        if flow.startswith("delivery"):
            rows += [(f"{flow}:{part}", f"(part) {title}") for part, title in PARTS]
    for flow, label in rows:
        native, addon = native_run.flows.get(flow), addon_run.flows.get(flow)
        if not (native or addon):
            continue
        lines.append(
            f"| {label} | {f'{native.seconds:.2f}' if native else '-'} "
            f"| {f'{addon.seconds:.2f}' if addon else '-'} "
            f"| {native.queries if native else '-'} | {addon.queries if addon else '-'} |"
        )
    baseline = min(
        (native_run.flows[flow] for flow in ("delivery_product", "delivery_packages")),
        key=lambda measure: measure.seconds,
    )
    pallet = addon_run.flows["delivery_pallet"]
    ratio = pallet.seconds / baseline.seconds
    lines += [
        "",
        f"Pallet delivery {pallet.seconds:.2f} s vs native {baseline.seconds:.2f} s (the "
        f"faster native way): {ratio:.2f}x, target at most {TARGET:g}x: "
        f"{'met' if ratio <= TARGET else 'MISSED'}.",
    ]
    return lines, ratio


def main(argv=None):
    args = parse_args(argv)
    native, addon, env_lines = open_databases(args)
    native_run, addon_run = Run(), Run()
    try:
        for attempt in range(1, max(1, args.repeat) + 1):
            for flow in ("delivery_product", "delivery_packages"):
                print(f"({attempt}/{args.repeat}) native, {flow}...", flush=True)
                native_run.best(run_flows(native, args, True, [flow]))
            print(f"({attempt}/{args.repeat}) addon, delivery_pallet...", flush=True)
            addon_run.best(run_flows(addon, args, False, ["delivery_pallet"]))
    except BenchError as error:
        print(f"\nERROR: {error}", file=sys.stderr)
        return 1
    lines, ratio = report_lines(args, native_run, addon_run, env_lines)
    text = "\n".join(lines)
    print("\n" + text, flush=True)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as output:
            output.write(text + "\n")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
