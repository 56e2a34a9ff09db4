#!/usr/bin/env python3
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=print-used
"""Labels and the traceability PDF through Odoo, native reports vs the addon's.

In one transaction per database, rolled back at the end:

- N serials of a product with a GTIN are created (not timed);
- addon (``bench_addon``): the *Serial Labels* report (ReportLab) of the N serials on
  4x6 thermal labels and on A4 3x8 sheets, GS1 DataMatrix + Code 128 on each label,
  timed through ``ir.actions.report._render`` (reading the serials included);
- native (``bench_native``): Odoo's lot label report (``stock.action_report_lot_label``,
  QWeb + wkhtmltopdf, A4 4x12, GS1 DataMatrix as Odoo prints it) for the same N serials;
- addon: the *Traceability (PDF)* report of one serial with E ledger rows.

Every PDF is checked: page count, and for the addon's labels the first page's barcodes
decoded with zxing-cpp when it is installed. See bench/README.md.
"""

import gc
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_serial_flows import (
    ADDON,
    BenchError,
    check,
    check_common_args,
    common_parser,
    open_databases,
)

import odoo

GTIN = "4006381333931"
LABELS = "serialized_inventory.action_report_serial_label"
TRACEABILITY = "serialized_inventory.action_report_serial_traceability"
NATIVE_LABELS = "stock.action_report_lot_label"
LAYOUTS = (("thermal_4x6", 1), ("a4_3x8", 24))


def parse_args(argv=None):
    parser = common_parser(f"Benchmark label and traceability PDFs, native Odoo vs {ADDON}.")
    parser.set_defaults(sizes="10000")
    parser.add_argument(
        "--events", type=int, default=1000, help="ledger rows of the traced serial (1000)"
    )
    parser.add_argument(
        "--native-labels",
        type=int,
        default=0,
        metavar="N",
        help="print at most N serials with the native report and say so (0: all)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="fastest of K runs (3)")
    return check_common_args(parser, parser.parse_args(argv))


def pdf_pages(pdf):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        info = subprocess.run(["pdfinfo", file.name], capture_output=True, text=True, check=True)
    for line in info.stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise BenchError("pdfinfo printed no page count")


def first_page_barcodes(pdf):
    try:
        import zxingcpp  # noqa: PLC0415 - optional: checks the output when installed
        from PIL import Image  # noqa: PLC0415
    except ImportError:
        return None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "labels.pdf"
        path.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", "300", "-gray", "-f", "1", "-l", "1", str(path), f"{folder}/p"],
            check=True,
        )
        (image_path,) = Path(folder).glob("p-*.pgm")
        with Image.open(image_path) as image:
            return {r.symbology_identifier for r in zxingcpp.read_barcodes(image)}


def create_serials(env, size):
    product = env["product.product"].create(
        {
            "name": "Bench Label Drill with a name long enough to be shortened on small labels",
            "default_code": "BLD-18",
            "barcode": GTIN,
            "is_storable": True,
            "tracking": "serial",
        }
    )
    lots = env["stock.lot"].create(
        [{"name": f"BL{index:08d}", "product_id": product.id} for index in range(1, size + 1)]
    )
    env.flush_all()
    env.invalidate_all()
    return lots


def timed(env, function, repeat):
    best = None
    for _attempt in range(repeat):
        env.invalidate_all()
        gc.collect()
        started = time.perf_counter()
        result = function()
        seconds = time.perf_counter() - started
        best = seconds if best is None else min(best, seconds)
    return best, result


def measure_addon(registry, size, events, repeat):
    rows = []
    with registry.cursor() as cr:
        try:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            lots = create_serials(env, size)
            report = env["ir.actions.report"]
            for layout, per_page in LAYOUTS:
                data = {"layout": layout, "symbology": "gs1_datamatrix_code128"}
                seconds, (pdf, _kind) = timed(
                    env, lambda data=data: report._render(LABELS, lots.ids, data=data), repeat
                )
                pages = pdf_pages(pdf)
                check(pages == -(-size // per_page), f"{layout}: {pages} pages for {size}")
                decoded = first_page_barcodes(pdf)
                check(
                    decoded in (None, {"]d2", "]C0"}),
                    f"{layout}: first page decodes as {decoded}, not GS1 DataMatrix + Code 128",
                )
                rows.append(
                    (
                        f"addon: Serial Labels, {layout}, GS1 DataMatrix + Code 128",
                        size,
                        seconds,
                        pages,
                        len(pdf),
                        "decoded ]d2 + ]C0" if decoded else "not decoded (no zxing-cpp)",
                    )
                )
            lot = lots[0]
            insert_events(env, lot, events)
            seconds, (pdf, _kind) = timed(
                env, lambda: report._render(TRACEABILITY, lot.ids), repeat
            )
            rows.append(
                (
                    f"addon: Traceability (PDF), one serial with {events} events",
                    1,
                    seconds,
                    pdf_pages(pdf),
                    len(pdf),
                    "",
                )
            )
        finally:
            cr.rollback()
    return rows


def insert_events(env, lot, count):
    """``count`` ledger rows for ``lot``, back and forth between two locations (the
    ledger is written by SQL in batch by the addon itself; the report only reads it)."""
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    stock, output = warehouse.lot_stock_id, warehouse.wh_output_stock_loc_id
    partner = env["res.partner"].create({"name": "Bench Customer, Loading Dock 3"})
    env.cr.execute(
        """
        INSERT INTO serial_event (lot_id, product_id, date, event_type, lifecycle_state,
                                  location_id, location_dest_id, partner_id, user_id,
                                  company_id, reference, create_uid, create_date,
                                  write_uid, write_date)
        SELECT %(lot)s, %(product)s, NOW() - make_interval(hours => %(count)s - n),
               'internal', 'in_stock',
               CASE WHEN n %% 2 = 0 THEN %(stock)s ELSE %(output)s END,
               CASE WHEN n %% 2 = 0 THEN %(output)s ELSE %(stock)s END,
               %(partner)s, %(uid)s, %(company)s, 'WH/INT/' || lpad(n::text, 5, '0'),
               %(uid)s, NOW(), %(uid)s, NOW()
          FROM generate_series(1, %(count)s) AS n
        """,
        {
            "lot": lot.id,
            "product": lot.product_id.id,
            "count": count,
            "stock": stock.id,
            "output": output.id,
            "partner": partner.id,
            "uid": env.uid,
            "company": env.company.id,
        },
    )


def serve_http():
    """Serve Odoo over HTTP in this process: wkhtmltopdf loads the report's CSS from
    it, as it does from a running Odoo (without it the native labels lose their layout
    and wkhtmltopdf reports a network error). Returns the base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    odoo.tools.config["http_interface"] = "127.0.0.1"
    odoo.tools.config["http_port"] = port
    odoo.service.server.server = odoo.service.server.ThreadedServer(odoo.http.root)
    odoo.service.server.server.http_spawn()
    return f"http://127.0.0.1:{port}"


def measure_native(registry, size, limit, base_url):
    count = min(size, limit) if limit else size
    with registry.cursor() as cr:
        try:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            env["ir.config_parameter"].set_param("report.url", base_url)
            lots = create_serials(env, count)
            # Odoo prints its "GS1" DataMatrix only for this group
            env.user.groups_id |= env.ref("stock.group_stock_lot_print_gs1")
            report = env["ir.actions.report"]
            seconds, (pdf, _kind) = timed(
                env, lambda: report._render_qweb_pdf(NATIVE_LABELS, lots.ids), 1
            )
            check(pdf.startswith(b"%PDF"), "the native report did not make a PDF (wkhtmltopdf?)")
            pages = pdf_pages(pdf)
            return (
                "native: lot labels (QWeb + wkhtmltopdf), A4 4x12, Odoo's DataMatrix",
                count,
                seconds,
                pages,
                len(pdf),
                "" if count == size else f"only {count} of {size} serials",
            )
        finally:
            cr.rollback()


def main(argv=None):
    args = parse_args(argv)
    native, addon, env_lines = open_databases(args)
    rows = []
    base_url = serve_http()
    try:
        measure_addon(addon, 10, 10, 1)  # warm-up
        for size in args.sizes:
            print(f"N={size}: addon...", flush=True)
            rows += measure_addon(addon, size, args.events, args.repeat)
            print(f"N={size}: native lot labels (wkhtmltopdf)...", flush=True)
            rows.append(measure_native(native, size, args.native_labels, base_url))
    except BenchError as error:
        print(f"\nERROR: {error}", file=sys.stderr)
        return 1
    lines = [
        f"## Label and traceability PDFs: native `stock` vs `{ADDON}`",
        "",
        *env_lines,
        f"- Addon runs: fastest of {args.repeat}; native: one run; each transaction rolled back",
        "",
        "| report | serials | s | ms per serial | pages | PDF bytes | check |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for label, count, seconds, pages, size, note in rows:
        lines.append(
            f"| {label} | {count} | {seconds:.2f} | {seconds / count * 1000:.2f} | {pages} "
            f"| {size:,} | {note} |"
        )
    text = "\n".join(lines)
    print("\n" + text, flush=True)
    if args.output:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
