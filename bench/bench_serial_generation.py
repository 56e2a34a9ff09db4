#!/usr/bin/env python3
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=print-used
"""Generating N serial numbers on a receipt move, native Odoo vs the addon.

Native: what the *Generate Serials* dialog of the detailed operations does.
The server builds one line per serial (``stock.move.action_generate_lot_line_vals``)
and the web client saves them on the move in place of the empty lines the
receipt was given at confirmation (the dialog's "keep current lines" unticked).

Addon, same run, other database: the product has a format rule, and
(a) the same dialog and save, where the rule gives the serials, and
(b) the move's *Generate Serials from Rule* button
(``stock.move.action_generate_serials_from_rule``).

Each run is its own transaction, rolled back at the end. See bench/README.md.
"""

import gc
import sys
import time

from bench_serial_flows import (
    ADDON,
    BenchError,
    Timer,
    check,
    check_common_args,
    common_parser,
    open_databases,
)

import odoo
from odoo import Command

TEMPLATE = "SN{yy}{seq:7}{check:luhn}"


def parse_args(argv=None):
    parser = common_parser(f"Benchmark generating serials on a receipt, native Odoo vs {ADDON}.")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        metavar="K",
        help="measure each size K times, alternating the databases, and keep the fastest "
        "(default: %(default)s)",
    )
    return check_common_args(parser, parser.parse_args(argv))


def confirmed_receipt(env, size, with_rule):
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    check(warehouse, f"no warehouse in {env.cr.dbname}")
    supplier = env.ref("stock.stock_location_suppliers")
    product_vals = {"name": f"Bench Gen {size}", "is_storable": True, "tracking": "serial"}
    if with_rule:
        rule = env["serial.format.rule"].create({"name": "Bench", "template": TEMPLATE})
        product_vals["serial_format_rule_id"] = rule.id
    product = env["product.product"].create(product_vals)
    receipt = env["stock.picking"].create(
        {
            "picking_type_id": warehouse.in_type_id.id,
            "location_id": supplier.id,
            "location_dest_id": warehouse.lot_stock_id.id,
            "move_ids": [
                Command.create(
                    {
                        "name": product.name,
                        "product_id": product.id,
                        "product_uom": product.uom_id.id,
                        "product_uom_qty": size,
                        "location_id": supplier.id,
                        "location_dest_id": warehouse.lot_stock_id.id,
                    }
                )
            ],
        }
    )
    receipt.action_confirm()
    env.flush_all()
    check(len(receipt.move_line_ids) == size, f"receipt has {len(receipt.move_line_ids)} lines")
    return receipt


def dialog_and_save(env, move, size):
    """The Generate Serials dialog: the server call, then the web client's save."""
    context = {
        "default_product_id": move.product_id.id,
        "default_location_dest_id": move.location_dest_id.id,
        "default_location_id": move.location_id.id,
        "default_tracking": "serial",
        "default_quantity": move.product_qty,
        "default_picking_id": move.picking_id.id,
        "default_move_id": move.id,
        "default_company_id": move.company_id.id,
        "default_picking_type_id": move.picking_type_id.id,
    }
    values = env["stock.move"].action_generate_lot_line_vals(
        context, "generate", "SN-0000001", size, ""
    )
    line_fields = env["stock.move.line"]._fields
    commands = [Command.delete(line.id) for line in move.move_line_ids]
    commands += [
        Command.create(
            {
                key: value["id"] if isinstance(value, dict) else value
                for key, value in line.items()
                if key in line_fields
            }
        )
        for line in values
    ]
    move.write({"move_line_ids": commands})
    env.flush_all()


def rule_button(env, move, size):
    move.action_generate_serials_from_rule()
    env.flush_all()


def measure(registry, size, flow, with_rule):
    cr = registry.cursor()
    try:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        receipt = confirmed_receipt(env, size, with_rule)
        move = receipt.move_ids
        gc.collect()
        with Timer(env) as timer:
            flow(env, move, size)
        names = move.move_line_ids.mapped("lot_name")
        check(len(names) == size, f"{len(names)} lines after generating {size}")
        check(len(set(names)) == size and all(names), "generated serials are missing or repeated")
        if with_rule:
            rule = move.product_id._get_serial_format_rule()
            check(
                not rule._invalid_serials(move.product_id, names),
                "the rule's own serials do not validate",
            )
        return timer
    finally:
        cr.rollback()
        cr.close()


FLOWS = (
    ("dialog", "Generate Serials dialog + save", dialog_and_save),
    ("button", "Generate Serials from Rule button", rule_button),
)


def report_lines(args, results, env_lines):
    lines = [
        f"## Generating serials on a receipt move: native `stock` vs `{ADDON}`",
        "",
        *env_lines,
        f"- Native: the Generate Serials dialog and the web client's save, in `{args.native_db}`",
        f"- Addon: a product with format rule `{TEMPLATE}`, in `{args.addon_db}`",
        f"- Fastest of {args.repeat} alternating runs; each run rolled back",
        "",
        "| addon flow | N | native s | addon s | speed-up | native queries | addon queries |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for size, native, addon in results:
        for key, label, _flow in FLOWS:
            mine = addon[key]
            lines.append(
                f"| {label} | {size} | {native.seconds:.2f} | {mine.seconds:.2f} "
                f"| {native.seconds / mine.seconds:.1f}x | {native.queries} | {mine.queries} |"
            )
    return lines


def main(argv=None):
    args = parse_args(argv)
    native, addon, env_lines = open_databases(args)
    results = []
    try:
        measure(native, 10, dialog_and_save, with_rule=False)  # warm-up
        for _key, _label, flow in FLOWS:
            measure(addon, 10, flow, with_rule=True)
        for size in args.sizes:
            best_native, best_addon = None, {}
            for attempt in range(1, max(1, args.repeat) + 1):
                print(f"N={size} ({attempt}/{args.repeat})...", flush=True)
                timer = measure(native, size, dialog_and_save, with_rule=False)
                if best_native is None or timer.seconds < best_native.seconds:
                    best_native = timer
                for key, _label, flow in FLOWS:
                    timer = measure(addon, size, flow, with_rule=True)
                    if key not in best_addon or timer.seconds < best_addon[key].seconds:
                        best_addon[key] = timer
            results.append((size, best_native, best_addon))
    except BenchError as error:
        print(f"\nERROR: {error}", file=sys.stderr)
        return 1
    text = "\n".join(report_lines(args, results, env_lines))
    print("\n" + text, flush=True)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as output:
            output.write(text + "\n")
    return 0


if __name__ == "__main__":
    started = time.perf_counter()
    status = main()
    print(f"\n({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    sys.exit(status)
