# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import csv
import io

import openpyxl

from odoo.tests import tagged

from .test_recall import RecallCommon

# User text a campaign's export carries, each a formula when written raw.
HOSTILE = {
    "customer": '=HYPERLINK("http://evil.example","Click")',
    "phone": "+33 1 23 45 67 89",
    "email": "@evil.example",
    "product": "-2+3+cmd|' /C calc'!A0",
    "code": "=1+1",
    "reason": "@SUM(1,2)",
    "write_off": "\t=cmd|' /C notepad'!A1",
}


@tagged("post_install", "-at_install")
class TestExportsNeutralised(RecallCommon):
    """Recall CSV and XLSX exports of customer, product and campaign text
    that a spreadsheet would otherwise run as formulas."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_customer.write(
            {"name": HOSTILE["customer"], "phone": HOSTILE["phone"], "email": HOSTILE["email"]}
        )
        cls.product.write({"name": HOSTILE["product"], "default_code": HOSTILE["code"]})

    def _campaign(self):
        recall = self.campaign(self.pick("RC-05", "RC-06"))
        recall.reason = HOSTILE["reason"]
        recall.line_ids.sudo().write({"write_off_reason": HOSTILE["write_off"]})
        return recall

    def _raw(self, action):
        attachment_id = int(action["url"].split("/")[3].split("?")[0])
        return self.env["ir.attachment"].browse(attachment_id).raw

    def test_csv_neutralised(self):
        recall = self._campaign()
        text = self._raw(recall.action_export_csv()).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        by_serial = {row[6]: row for row in rows[1:]}
        row = by_serial["RC-05"]
        self.assertEqual(
            [row[1], row[2], row[3], row[4], row[5], row[13]],
            ["'" + HOSTILE[key] for key in ("customer", "email", "phone", "product", "code")]
            + ["'" + HOSTILE["write_off"]],
        )
        # no cell of the file starts a formula
        for cells in rows:
            for cell in filter(None, cells):
                self.assertNotIn(cell[0], "=+-@\t\r", cell)

    def test_xlsx_cells_are_text(self):
        recall = self._campaign()
        book = openpyxl.load_workbook(io.BytesIO(self._raw(recall.action_export_xlsx())))
        cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
        self.assertFalse([cell.coordinate for cell in cells if cell.data_type == "f"])
        values = {cell.value for cell in cells}
        # kept exactly, no quote added
        product = f"[{HOSTILE['code']}] {HOSTILE['product']}"
        for text in (HOSTILE["reason"], product, HOSTILE["write_off"], "RC-05"):
            self.assertIn(text, values)
        self.assertIn(f"{HOSTILE['customer']} ({HOSTILE['email']} · {HOSTILE['phone']})", values)
