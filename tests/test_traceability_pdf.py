# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The traceability PDF layout alone, read back with pdftotext."""

import re
import unittest

from ..lib import traceability_pdf as tp
from .pdf_tools import pdf_text

COLUMNS = ["Date", "Event", "From", "To", "Reference"]


def _document(events, **kwargs):
    return tp.TraceDocument(
        title="Drill X200 — SN-1",
        identity=[("Product", "Drill X200"), ("Serial Number", "SN-1")],
        columns=COLUMNS,
        events=events,
        **kwargs,
    )


class TestTraceabilityPdf(unittest.TestCase):
    def test_long_history_repeats_the_header_and_numbers_pages(self):
        events = [
            [f"2026-01-{n % 28 + 1:02d}", "Internal", f"WH/Stock/Bin {n}", "WH/Out", f"REF{n:04d}"]
            for n in range(300)
        ]
        pdf = tp.render([_document(events)], tp.PageHeader("ACME Tools", "Traceability"))
        pages = pdf_text(pdf, "-layout").split("\f")[:-1]
        self.assertGreater(len(pages), 3)
        for number, page in enumerate(pages, start=1):
            self.assertIn("ACME Tools", page)
            self.assertIn(f"Page {number} of {len(pages)}", page)
            self.assertRegex(page, r"Date\s+Event\s+From\s+To\s+Reference")
        text = "".join(pages)
        found = re.findall(r"REF(\d{4})", text)
        self.assertEqual(found, [f"{n:04d}" for n in range(300)], "every event, in order")

    def test_long_cells_wrap_instead_of_overflowing(self):
        location = "WH/Stock/Aisle 12/Rack 4/Shelf 3/Bin with a very long name indeed"
        pdf = tp.render(
            [_document([["2026-01-01", "Receipt", location, "WH/Stock", "R1"]])],
            tp.PageHeader("ACME"),
        )
        words = pdf_text(pdf, "-bbox")
        # every word of the location sits inside the "From" column
        boxes = [
            float(match.group(1))
            for match in re.finditer(r'<word xMin="([\d.]+)"[^>]*>(?:with|very|indeed)<', words)
        ]
        self.assertEqual(len(boxes), 3)
        head = re.search(r'<word xMin="([\d.]+)"[^>]*>From<', words)
        to = re.search(r'<word xMin="([\d.]+)"[^>]*>To<', words)
        for x_min in boxes:
            self.assertGreaterEqual(x_min, float(head.group(1)) - 1)
            self.assertLess(x_min, float(to.group(1)))

    def test_sections_and_empty_history(self):
        pdf = tp.render(
            [
                _document([], sections=[tp.Section("Warranty", [("Policy", "2 years")])]),
                _document([], no_events="Nothing moved."),
            ],
            tp.PageHeader("ACME", page_label="Seite %(page)s von %(pages)s"),
        )
        pages = pdf_text(pdf).split("\f")[:-1]
        self.assertEqual(len(pages), 2, "each document starts a page")
        self.assertIn("Warranty", pages[0])
        self.assertIn("2 years", pages[0])
        self.assertIn("Nothing moved.", pages[1])
        self.assertIn("Seite 2 von 2", pages[1])

    def test_rows_must_match_the_columns(self):
        with self.assertRaises(ValueError):
            tp.render([_document([["2026-01-01", "Receipt"]])], tp.PageHeader("ACME"))
