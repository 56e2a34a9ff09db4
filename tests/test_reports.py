# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The ReportLab report type, the label wizard and the traceability PDF, read
back with poppler and zxing-cpp."""

from odoo import Command, http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import SerialCommon
from .pdf_tools import decode, pdf_text, rasterise

LABELS = "serialized_inventory.action_report_serial_label"
TRACEABILITY = "serialized_inventory.action_report_serial_traceability"
GTIN14 = "04006381333931"


@tagged("post_install", "-at_install")
class TestSerialReports(SerialCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product.write({"barcode": "4006381333931", "default_code": "SCN"})
        cls.receipt, cls.lots = cls.receive(["SN-0001", "SN-0002"])
        cls.delivery = cls.deliver(cls.lots[0])
        cls.report = cls.env["ir.actions.report"]

    def barcodes(self, pdf):
        return sorted(
            (identifier, text) for page in rasterise(pdf) for identifier, text, _p in decode(page)
        )

    def test_labels_decode_as_gs1(self):
        pdf, kind = self.report._render(
            LABELS,
            self.lots.ids,
            data={"layout": "thermal_4x6", "symbology": "gs1_datamatrix_code128", "copies": 1},
        )
        self.assertEqual(kind, "pdf")
        self.assertEqual(
            self.barcodes(pdf),
            [
                ("]C0", "SN-0001"),
                ("]C0", "SN-0002"),
                ("]d2", f"01{GTIN14}21SN-0001"),
                ("]d2", f"01{GTIN14}21SN-0002"),
            ],
        )
        text = pdf_text(pdf)
        self.assertIn(f"(01) {GTIN14} (21) SN-0001", text)
        self.assertIn("SI Scanner", text)
        self.assertEqual(text.count("\f"), 2, "one 4x6 label a page")

    def test_print_menu_picks_the_symbology(self):
        # the Print menu sends no options: GS1 DataMatrix + Code 128 with a GTIN
        pdf, _kind = self.report._render(LABELS, self.lots[:1].ids)
        self.assertEqual(self.barcodes(pdf), [("]C0", "SN-0001"), ("]d2", f"01{GTIN14}21SN-0001")])
        # ... Code 128 alone without one
        plain = self.env["product.product"].create(
            {"name": "SI Plain", "is_storable": True, "tracking": "serial"}
        )
        lot = self.env["stock.lot"].create({"name": "P-1", "product_id": plain.id})
        pdf, _kind = self.report._render(LABELS, lot.ids)
        self.assertEqual(self.barcodes(pdf), [("]C0", "P-1")])

    def test_wizard_from_a_transfer_and_a_product(self):
        Wizard = self.env["serial.label.wizard"]
        wizard = Wizard.with_context(
            active_model="stock.picking", active_ids=self.receipt.ids
        ).create({"layout": "thermal_4x6", "copies": 2})
        self.assertEqual(wizard.lot_ids, self.lots)
        self.assertEqual(wizard.symbology, "gs1_datamatrix_code128")
        self.assertEqual(wizard.label_count, 4)
        action = wizard.action_print()
        self.assertEqual(action["report_type"], "reportlab-pdf")
        self.assertEqual(action["data"]["ids"], self.lots.ids)
        # the web client sends the options without ids in the URL
        pdf, _kind = self.report._render(LABELS, None, data=action["data"])
        self.assertEqual(pdf_text(pdf).count("\f"), 4)
        self.assertEqual([text for _identifier, text in self.barcodes(pdf)].count("SN-0002"), 2)

        # a product's serials: those in stock
        wizard = Wizard.with_context(
            active_model="product.template", active_ids=self.product.product_tmpl_id.ids
        ).create({})
        self.assertEqual(wizard.lot_ids, self.lots[1])

    def test_sheet_start_position(self):
        wizard = self.env["serial.label.wizard"].create(
            {"lot_ids": [Command.set(self.lots.ids)], "symbology": "code128", "start_position": 24}
        )
        pdf, _kind = self.report._render(LABELS, None, data=wizard.action_print()["data"])
        self.assertEqual(pdf_text(pdf).count("\f"), 2, "position 24 is the last of the sheet")

    def test_wizard_refusals(self):
        Wizard = self.env["serial.label.wizard"]
        with self.assertRaisesRegex(ValidationError, "between 1 and 24"):
            Wizard.create({"lot_ids": [Command.set(self.lots.ids)], "start_position": 25})
        with self.assertRaisesRegex(ValidationError, "at least one copy"):
            Wizard.create({"lot_ids": [Command.set(self.lots.ids)], "copies": 0})
        plain = self.env["product.product"].create(
            {"name": "SI Plain", "is_storable": True, "tracking": "serial"}
        )
        lot = self.env["stock.lot"].create({"name": "P-9", "product_id": plain.id})
        wizard = Wizard.create({"lot_ids": [Command.set(lot.ids)], "symbology": "gs1_128"})
        with self.assertRaisesRegex(UserError, "GTIN.*P-9"):
            wizard.action_print()

    def test_traceability_pdf(self):
        pdf, kind = self.report._render(TRACEABILITY, self.lots.ids)
        self.assertEqual(kind, "pdf")
        text = pdf_text(pdf, "-layout")
        first, second = text.split("\f")[:2]
        for expected in (
            "SN-0001",
            "[SCN] SI Scanner",
            f"(01){GTIN14}(21)SN-0001",
            "Delivered",
            "SI Customer",
            "Receipt",
            "Delivery",
            self.receipt.name,
            self.delivery.name,
            "Page 1 of 2",
        ):
            self.assertIn(expected, first)
        self.assertIn("In Stock", second)
        self.assertNotIn(self.delivery.name, second)
        self.assertIn("Page 2 of 2", second)
        # history in order: the receipt before the delivery
        self.assertLess(first.index(self.receipt.name), first.index(self.delivery.name))

    def test_traceability_of_a_lot(self):
        product = self.env["product.product"].create(
            {"name": "SI Glue", "is_storable": True, "tracking": "lot"}
        )
        lot = self.env["stock.lot"].create({"name": "GLUE-7", "product_id": product.id})
        self.env["stock.quant"]._update_available_quantity(product, self.stock, 5, lot_id=lot)
        pdf, _kind = self.report._render(TRACEABILITY, lot.ids)
        text = pdf_text(pdf)
        self.assertIn("Lot Number", text)
        self.assertIn("No movement done yet.", text)

    def test_access_is_checked_as_the_printing_user(self):
        outsider = new_test_user(self.env, login="si_outsider", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.report.with_user(outsider)._render(LABELS, self.lots.ids)


@tagged("post_install", "-at_install")
class TestReportDownload(HttpCase):
    """Downloads through the web client's route, as Odoo's own PDF reports."""

    def test_download_route(self):
        product = self.env["product.product"].create(
            {"name": "SI Route Drill", "is_storable": True, "tracking": "serial"}
        )
        lot = self.env["stock.lot"].create({"name": "RT-1", "product_id": product.id})
        new_test_user(self.env, login="si_route_user", groups="stock.group_stock_user")
        new_test_user(self.env, login="si_route_outsider", groups="base.group_user")
        url = f"/report/pdf/serialized_inventory.report_serial_label/{lot.id}"

        self.authenticate("si_route_user", "si_route_user")
        # over RPC, the action the web client then downloads
        report = self.env.ref(LABELS)
        action = self.make_jsonrpc_request(
            "/web/dataset/call_kw/ir.actions.report/report_action",
            {
                "model": "ir.actions.report",
                "method": "report_action",
                "args": [report.ids, lot.ids],
                "kwargs": {"config": False},
            },
        )
        self.assertEqual(action["report_type"], "reportlab-pdf")
        self.assertEqual(action["context"]["active_ids"], lot.ids)
        response = self.url_open(
            "/report/download",
            data={
                "data": f'["{url}", "qweb-pdf"]',
                "context": "{}",
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertIn("Labels%20-%20RT-1.pdf", response.headers["Content-Disposition"])
        self.assertTrue(response.content.startswith(b"%PDF"))
        self.assertIn("RT-1", pdf_text(response.content))

        self.authenticate("si_route_outsider", "si_route_outsider")
        response = self.url_open(url)
        self.assertEqual(response.status_code, 403)
        self.assertFalse(response.content.startswith(b"%PDF"))
