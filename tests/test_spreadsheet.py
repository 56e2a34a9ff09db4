# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import csv
import datetime
import io

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.tests import BaseCase, tagged

from ..lib import spreadsheet
from ..lib import warranty_report as layout

# (cell, what the CSV holds): formulas and DDE payloads neutralised, numbers
# and ordinary text (serials with inner dashes) left alone.
CSV_CELLS = [
    ("=1+1", "'=1+1"),
    ("+1+1", "'+1+1"),
    ("-1+1", "'-1+1"),
    ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
    ('=HYPERLINK("http://x.example","y")', '\'=HYPERLINK("http://x.example","y")'),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("\n=1+1", "'\n=1+1"),
    ("   =1+1", "'   =1+1"),
    ("\uff1d1+1", "'\uff1d1+1"),
    ("-ABC-001", "'-ABC-001"),
    ("+33 1 23 45 67 89", "'+33 1 23 45 67 89"),
    ("-", "'-"),
    ("-5", "-5"),
    ("+3.25", "+3.25"),
    ("-1e3", "-1e3"),
    ("ABC-001", "ABC-001"),
    ("a=1", "a=1"),
    ("", ""),
    ("   ", "   "),
    (None, ""),
    (False, ""),
    (42, 42),
    (-4.5, -4.5),
]


@tagged("post_install", "-at_install")
class TestSpreadsheet(BaseCase):
    def test_safe_cell(self):
        for value, expected in CSV_CELLS:
            with self.subTest(value=value):
                self.assertEqual(spreadsheet.safe_cell(value), expected)

    def test_csv_quotes_every_cell(self):
        data = spreadsheet.to_csv([["a;=1+1", "=2", 3], ["x", None, "-7"]])
        self.assertTrue(data.startswith(b"\xef\xbb\xbf"))
        text = data.decode("utf-8-sig")
        self.assertEqual(text.splitlines(), ['"a;=1+1","\'=2","3"', '"x","","-7"'])
        # read with ";" as the separator (a spreadsheet set up for it): the
        # quoted cell stays whole, so "=1+1" never starts a cell
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        self.assertEqual(rows[0], ['a;=1+1,"\'=2","3"'])

    @settings(max_examples=300, deadline=None)
    @given(st.text())
    def test_safe_cell_never_a_formula(self, text):
        cell = spreadsheet.safe_cell(text)
        self.assertFalse(spreadsheet.is_dangerous(cell))
        # the text is kept: at most one quote in front
        self.assertIn(cell, (text, "'" + text))
        if cell != text:
            self.assertTrue(spreadsheet.is_dangerous(text))

    @settings(max_examples=200, deadline=None)
    @given(st.sampled_from(sorted(spreadsheet.FORMULA_STARTS)), st.text(), st.text(" \t"))
    def test_formula_starts_neutralised(self, start, rest, blank):
        cell = spreadsheet.safe_cell(blank + start + rest)
        self.assertTrue(cell.startswith("'") or spreadsheet._NUMBER.fullmatch(cell.strip()))

    @settings(max_examples=100, deadline=None)
    @given(st.one_of(st.integers(), st.floats(allow_nan=False, allow_infinity=False)))
    def test_numbers_untouched(self, number):
        self.assertEqual(spreadsheet.safe_cell(number), number)
        self.assertEqual(spreadsheet.safe_cell(str(number)), str(number))

    def _xlsx_cells(self, report):
        book = openpyxl.load_workbook(io.BytesIO(layout.to_xlsx(report)))
        return [cell for sheet in book for row in sheet.iter_rows() for cell in row]

    def test_xlsx_text_exact_never_formula(self):
        texts = [value for value, _csv in CSV_CELLS if isinstance(value, str) and value.strip()]
        report = layout.Report(
            title="=TITLE()",
            parameters=[("=PARAM()", "-2+3"), ("@label", 5)],
            tables=[
                layout.ReportTable(
                    "+TABLE",
                    [layout.Column("=COL()"), layout.Column("N", layout.INT)],
                    [[text, index] for index, text in enumerate(texts)],
                    sheet="Data",
                )
            ],
            notes=["=NOTE()"],
        )
        cells = self._xlsx_cells(report)
        self.assertFalse([cell.coordinate for cell in cells if cell.data_type == "f"])
        values = [cell.value for cell in cells if cell.value is not None]
        for text in ["=TITLE()", "=PARAM()", "-2+3", "@label", "+TABLE", "=COL()", "=NOTE()"]:
            self.assertIn(text, values)
        # openpyxl reads back "\r" as "\n" (XML end-of-line handling)
        for text in texts:
            self.assertIn(text.replace("\r", "\n"), values)
        self.assertIn(5, values)

    @settings(max_examples=30, deadline=None)
    @given(st.lists(st.text(st.characters(blacklist_categories=("Cs", "Cc"))), max_size=5))
    def test_xlsx_round_trip(self, texts):
        report = layout.Report(
            title="T",
            parameters=[("Date", datetime.date(2026, 1, 2))],
            tables=[layout.ReportTable("Rows", [layout.Column("Text")], [[t] for t in texts])],
        )
        cells = self._xlsx_cells(report)
        self.assertFalse([cell.coordinate for cell in cells if cell.data_type == "f"])
        values = [cell.value for cell in cells]
        for text in texts:
            self.assertIn(text or None, values)
