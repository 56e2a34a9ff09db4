#!/usr/bin/env python3
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=print-used
"""Time the label renderer of lib/ against ReportLab's own barcode widgets.

No Odoo and no database: lib/ is imported from this checkout.  For each layout and
symbology (``a+b`` puts both on each label) the script renders N labels to a PDF in
memory and prints seconds, milliseconds a label and PDF size, with and without page
compression.  The baseline draws the same barcodes with ReportLab's widgets
(``createBarcodeDrawing``; its ECC200DataMatrix is not GS1, see lib/datamatrix.py) and
the same three text lines, on fewer labels, and extrapolates to N.

See bench/README.md for usage.
"""

import argparse
import io
import platform
import sys
import time
from datetime import date
from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode import createBarcodeDrawing
from reportlab.pdfgen.canvas import Canvas

REPO_ROOT = Path(__file__).resolve().parent.parent
# lib/ is free of Odoo: import it from this checkout as a top-level package, without the
# addon's __init__ (which needs Odoo).
sys.path.insert(0, str(REPO_ROOT))
from lib import gs1, label_layouts, label_render  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labels", type=int, default=10_000, help="labels a run (10000)")
    parser.add_argument(
        "--layouts",
        default="thermal_4x6,a4_3x8",
        help=f"comma-separated, among {', '.join(label_layouts.LAYOUTS)}",
    )
    parser.add_argument(
        "--symbologies",
        default="gs1_datamatrix+code128",
        help=f"comma-separated; a+b for both on each label ({', '.join(label_render.SYMBOLOGIES)})",
    )
    parser.add_argument(
        "--widget-labels",
        type=int,
        default=200,
        help="labels drawn with ReportLab widgets, extrapolated to --labels (200; 0: skip)",
    )
    parser.add_argument("--repeat", type=int, default=1, help="keep the fastest of N runs")
    return parser.parse_args(argv)


def make_labels(count):
    """Labels like a receipt's: one product, serials of one format, half with lot and
    expiry date."""
    return [
        label_render.Label(
            serial=f"SN-2025-{number:06d}",
            product_name="Cordless drill 18 V with two batteries and case",
            default_code="DRL-18V",
            gtin="4006381333931",
            lot="L2507" if number % 2 else None,
            expiry=date(2027, 6, 30) if number % 2 else None,
            digital_link=f"https://id.example.com/01/04006381333931/21/SN-2025-{number:06d}",
        )
        for number in range(count)
    ]


def timed(function, repeat):
    best, result = None, None
    for _run in range(repeat):
        started = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def render_with_widgets(labels, layout, names):
    """The same labels with ReportLab's barcode widgets (Code 128 of the serial, the
    GS1 element string in its non-GS1 ECC 200) and three lines of text."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=layout.page_size, pageCompression=0)
    slots = layout.slots()
    width, height = layout.label_size
    pad = layout.padding
    for index, label in enumerate(labels):
        if index and not index % len(slots):
            canvas.showPage()
        x, y = slots[index % len(slots)]
        canvas.setFont("Helvetica-Bold", layout.name_size)
        canvas.drawString(x + pad, y + height - pad - layout.name_size, label.product_name)
        canvas.setFont("Helvetica", layout.text_size)
        canvas.drawString(x + pad, y + height - pad - 2 * layout.name_size, label.default_code)
        canvas.drawString(x + pad, y + height - pad - 3 * layout.name_size, label.serial)
        if "code128" in names:
            drawing = createBarcodeDrawing(
                "Code128", value=label.serial, barWidth=0.8, barHeight=20, humanReadable=False
            )
            renderPDF.draw(drawing, canvas, x + pad, y + pad)
        if "gs1_datamatrix" in names:
            payload = gs1.label_payload(label.gtin, label.serial, label.expiry, label.lot)
            drawing = createBarcodeDrawing("ECC200DataMatrix", value=payload.data, barWidth=2)
            renderPDF.draw(drawing, canvas, x + width / 2, y + height / 3)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def main(argv=None):
    args = parse_args(argv)
    labels = make_labels(args.labels)
    rows = []
    for layout_name in args.layouts.split(","):
        layout = label_layouts.LAYOUTS[layout_name]
        for symbology in args.symbologies.split(","):
            names = tuple(symbology.split("+"))
            for compress in (False, True):
                engine = "lib, zlib" if compress else "lib"
                try:
                    seconds, pdf = timed(
                        lambda layout=layout, names=names, compress=compress: (
                            label_render.render_labels(labels, layout, names, compress=compress)
                        ),
                        args.repeat,
                    )
                except ValueError as error:  # a barcode too long for the label
                    rows.append((layout_name, symbology, engine, len(labels), None, 0, error))
                    break
                rows.append((layout_name, symbology, engine, len(labels), seconds, len(pdf), ""))
            supported = set(names) <= {"code128", "gs1_datamatrix"}
            if args.widget_labels and supported:
                sample = labels[: args.widget_labels]
                seconds, pdf = timed(
                    lambda layout=layout, names=names, sample=sample: render_with_widgets(
                        sample, layout, names
                    ),
                    args.repeat,
                )
                factor = len(labels) / len(sample)
                rows.append(
                    (
                        layout_name,
                        symbology,
                        "ReportLab widgets",
                        len(labels),
                        seconds * factor,
                        len(pdf) * factor,
                        f"extrapolated from {len(sample)}",
                    )
                )
    print(
        f"Python {platform.python_version()}, {platform.machine()}, "
        f"{platform.processor() or 'cpu ?'}\n"
    )
    print("| layout | symbology | renderer | labels | seconds | ms/label | PDF size | note |")
    print("|---|---|---|---:|---:|---:|---:|---|")
    for layout_name, symbology, engine, count, seconds, size, note in rows:
        if seconds is None:
            print(f"| {layout_name} | {symbology} | {engine} | {count} | - | - | - | {note} |")
            continue
        print(
            f"| {layout_name} | {symbology} | {engine} | {count} | {seconds:.2f} | "
            f"{seconds / count * 1000:.3f} | {size / 1e6:.1f} MB | {note} |"
        )


if __name__ == "__main__":
    main()
