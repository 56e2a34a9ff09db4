# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Bad input at every entry point: each is refused with a clear message
naming the value or the record, and nothing is written."""

import base64
from contextlib import contextmanager

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from ..lib import label_layouts
from ..lib import recall as rules
from .test_recall import RecallCommon

LABELS = "serialized_inventory.action_report_serial_label"
SSCC_LABELS = "serialized_inventory.action_report_sscc_label"


class BadInputCase(RecallCommon):
    @contextmanager
    def refused(self, exception, pattern):
        """Expect ``exception`` with a message matching ``pattern``; what the
        block wrote is rolled back (a savepoint), as a request would be."""
        with self.assertRaises(exception) as caught:
            yield
        self.assertRegex(str(caught.exception.args[0]), pattern)


@tagged("post_install", "-at_install")
class TestBadUploads(BadInputCase):
    """The recall wizard's CSV of serials."""

    def upload(self, data, name="serials.csv"):
        return self.wizard(serial_file=base64.b64encode(data), serial_filename=name)

    def test_refused_files(self):
        # (file, message): each names the file
        cases = [
            (b"x" * (rules.MAX_CSV_BYTES + 1), r"big\.csv is larger than 10 MB"),
            (b"\x89PNG\x00\x00", r"big\.csv is not a CSV file"),
            (b'serial\n"' + b"x" * 200_000 + b'"\n', r"big\.csv cannot be read as CSV at line 2"),
        ]
        for data, message in cases:
            with self.subTest(message=message), self.refused(UserError, message):
                self.upload(data, "big.csv").action_confirm()

    def test_odoo_export_read(self):
        """A CSV exported from Odoo's list of serials, headed by the fields'
        labels (here the Product column comes first)."""
        Lot = self.env["stock.lot"]
        lots = self.pick("RC-02", "RC-05")
        header = [Lot._fields["product_id"].string, Lot._fields["name"].string]
        self.assertEqual(header, ["Product", "Lot/Serial Number"])
        rows = lots.export_data(["product_id", "name"])["datas"]
        data = "\n".join(",".join(f'"{cell}"' for cell in row) for row in [header, *rows])
        scope = self.upload(data.encode())._resolve_scope()
        self.assertEqual(self.names(scope), ["RC-02", "RC-05"])
        self.assertEqual(scope["unknown"], [])


@tagged("post_install", "-at_install")
class TestLabelBounds(BadInputCase):
    """Copies and positions of the label wizard and of the reports called
    directly (RPC), refused before anything is drawn."""

    def test_print_problem(self):
        a4 = label_layouts.LAYOUTS["a4_3x8"]
        cases = [
            ((1, 1, 1), None),
            ((100, 1000, 24), None),
            ((1, 0, 1), "copies_low"),
            ((1, -5, 1), "copies_low"),
            ((1, 1001, 1), "copies_high"),
            ((1, 10**9, 1), "copies_high"),
            ((101, 1000, 1), "too_many"),
            ((1, 1, 0), "position"),
            ((1, 1, 25), "position"),
        ]
        for args, problem in cases:
            with self.subTest(args=args):
                self.assertEqual(label_layouts.print_problem(*args, a4), problem)

    def test_wizard_refuses(self):
        Wizard = self.env["serial.label.wizard"]
        one = [Command.set(self.lots[:1].ids)]
        cases = [
            ({"copies": 10**9}, "1000000000 copies of each label were asked; at most 1000"),
            ({"copies": 0}, "at least one copy"),
            ({"start_position": 25}, "between 1 and 24 on A4, 3 x 8 labels of 70 x 37 mm, not 25"),
            ({"start_position": -1}, "between 1 and 24"),
        ]
        for vals, message in cases:
            with self.subTest(vals=vals), self.refused(ValidationError, message):
                Wizard.create({"lot_ids": one, **vals})
        wizard = Wizard.create({"lot_ids": one, "copies": 1000, "start_position": 24})
        with self.refused(ValidationError, "at most 1000"):
            wizard.write({"copies": 5000})
        # the total: 10 serials x 1000 copies over a limit of 9,999 labels
        self.patch(label_layouts, "MAX_LABELS", 9999)
        with self.refused(ValidationError, r"10000 labels were asked \(10 x 1000"):
            Wizard.create({"lot_ids": [Command.set(self.lots.ids)], "copies": 1000})
        with self.refused(ValidationError, "10000 labels were asked"):
            wizard.write({"lot_ids": [Command.set(self.lots.ids)]})

    def test_reports_refuse_direct_calls(self):
        report = self.env["ir.actions.report"]
        cases = [
            ({"copies": 10**9}, "at most 1000 are printed"),
            ({"copies": "many"}, "whole numbers, not 'many'"),
            ({"start_position": 10**6}, "between 1 and 24"),
        ]
        for data, message in cases:
            with self.subTest(data=data), self.refused(UserError, message):
                report._render(LABELS, self.lots[:1].ids, data={"layout": "a4_3x8", **data})
