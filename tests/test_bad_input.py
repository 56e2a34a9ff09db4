# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Bad input at every entry point: each is refused with a clear message
naming the value or the record, and nothing is written."""

import base64
import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import BaseCase, Form, tagged

from ..lib import label_layouts, serial_format
from ..lib import recall as rules
from .test_recall import RecallCommon

LABELS = "serialized_inventory.action_report_serial_label"
SSCC_LABELS = "serialized_inventory.action_report_sscc_label"


@tagged("post_install", "-at_install")
class TestBadUploads(RecallCommon):
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
class TestLabelBounds(RecallCommon):
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
        # SSCC labels share the bounds
        self.env.company.write({"gs1_company_prefix": "0614141", "sscc_extension_digit": "1"})
        case_type = self.env["stock.package.type"].create({"name": "SI Case", "sscc_level": "case"})
        case = self.env["stock.quant.package"].create({"package_type_id": case_type.id})
        self.assertTrue(case.valid_sscc)
        with self.refused(UserError, "at most 1000 are printed"):
            report._render(SSCC_LABELS, case.ids, data={"copies": 10**9})
        pdf, _kind = report._render(SSCC_LABELS, case.ids, data={"copies": 2})
        self.assertTrue(pdf.startswith(b"%PDF"))


# (value, reason): serial names every entry point refuses, naming the value
BAD_NAMES = [
    ("", "cannot be empty"),
    ("   ", "cannot be empty"),
    ("A" * 10_000, "at most 128 characters, got 10000"),
    ("SN\x00001", r"U\+0000 at position 3"),
    ("SN\x1b[31m", r"U\+001B at position 3"),
    ("SN\r\n01", r"U\+000D at position 3"),
    ("SN\u200b01", r"U\+200B at position 3"),
    ("\u0410BC-1", "mixes Latin and Cyrillic letters"),
    ("\u0391BC-1", "mixes Latin and Greek letters"),
]
# Names that stay accepted (with surrounding spaces dropped).
GOOD_NAMES = [
    ("  SN-7  ", "SN-7"),
    ("-SN-8", "-SN-8"),
    ("\u0410\u0411-9", "\u0410\u0411-9"),  # all Cyrillic
    ("\u756a\u53f7-10", "\u756a\u53f7-10"),
    ("A" * 128, "A" * 128),
]


@tagged("post_install", "-at_install")
class TestBadSerialNames(RecallCommon):
    """Serial creation by the form, RPC and CSV import, renaming, transfer
    lines, the generate/import dialog, recall lists and warranty claims."""

    def lot_count(self):
        return self.env["stock.lot"].with_context(active_test=False).search_count([])

    def shown(self, value):
        return re.escape(serial_format.shown_value(value))

    def each_bad(self, names=None):
        for value, reason in names or BAD_NAMES:
            with self.subTest(value=value[:20]):
                yield value, reason

    def test_create_rpc_and_form(self):
        count = self.lot_count()
        for value, reason in self.each_bad():
            with self.refused(ValidationError, f"Serial number {self.shown(value)}.*{reason}"):
                self.env["stock.lot"].create({"name": value, "product_id": self.product.id})
            with self.refused(ValidationError, reason):
                with Form(self.env["stock.lot"]) as form:
                    form.name = value
                    form.product_id = self.product
        with self.refused(ValidationError, "Serial number '' .*cannot be empty"):
            self.env["stock.lot"].create({"name": False, "product_id": self.product.id})
        self.assertEqual(self.lot_count(), count)
        for value, stored in GOOD_NAMES:
            lot = self.env["stock.lot"].create({"name": value, "product_id": self.product.id})
            self.assertEqual(lot.name, stored)

    def test_rename(self):
        lot = self.lot["RC-01"]
        for value, reason in self.each_bad():
            with self.refused(ValidationError, reason):
                lot.write({"name": value})
        self.assertEqual(lot.name, "RC-01")
        lot.write({"name": " RC-01B "})
        self.assertEqual(lot.name, "RC-01B")

    def test_csv_import(self):
        """Odoo's import (``load``) reports the reason and creates nothing."""
        count = self.lot_count()
        for value, reason in self.each_bad([n for n in BAD_NAMES if n[0].strip()]):
            result = self.env["stock.lot"].load(
                ["name", "product_id"], [["OK-1", self.product.name], [value, self.product.name]]
            )
            self.assertFalse(result["ids"])
            self.assertRegex(" ".join(m["message"] for m in result["messages"]), reason)
        self.assertEqual(self.lot_count(), count)

    def test_transfer_lines(self):
        picking = self.confirmed_delivery(self.env, 1)
        picking.action_assign()
        line = picking.move_ids.move_line_ids
        self.assertEqual(len(line), 1)
        for value, reason in self.each_bad([n for n in BAD_NAMES if n[0].strip()]):
            with self.refused(ValidationError, f"{self.shown(value)}.*{reason}"):
                line.write({"lot_name": value})
        self.assertFalse(line.lot_name)

    def generate(self, mode, count=0, text="", first=""):
        context = {
            "default_product_id": self.product.id,
            "default_tracking": "serial",
            "default_location_dest_id": self.stock.id,
        }
        return self.env["stock.move"].action_generate_lot_line_vals(
            context, mode, first, count, text
        )

    def test_generate_dialog(self):
        for value, reason in self.each_bad([n for n in BAD_NAMES if "\n" not in n[0]]):
            if not value.strip():
                continue
            with self.refused(ValidationError, f"{self.shown(value)}.*{reason}"):
                self.generate("import", text=f"OK-1\n{value}")
        with self.refused(UserError, "1000000000 serial or lot numbers were asked; at most 100000"):
            self.generate("generate", count=10**9, first="G-1")
        self.assertEqual(len(self.generate("generate", count=3, first="G-1")), 3)
        # lots: the count is the quantity per lot, a large one makes few lots
        lots = self.env["product.product"].create(
            {"name": "SI Screws", "is_storable": True, "tracking": "lot"}
        )
        context = {
            "default_product_id": lots.id,
            "default_tracking": "lot",
            "default_quantity": 10**6,
            "default_location_dest_id": self.stock.id,
        }
        Move = self.env["stock.move"]
        self.assertEqual(
            len(Move.action_generate_lot_line_vals(context, "generate", "L-1", 500_000, "")), 2
        )
        with self.refused(UserError, "1000000 serial or lot numbers were asked"):
            Move.action_generate_lot_line_vals(context, "generate", "L-1", 1, "")

    def test_recall_list_and_csv(self):
        # a NUL byte used to reach PostgreSQL, which refuses it
        names = [n for n in BAD_NAMES if n[0].strip() and not set("\r\n") & set(n[0])]
        for value, reason in self.each_bad(names):
            listed = f"RC-01\n{value}"
            if "\x00" in value:  # refused as the list is stored
                expected = f"Serial List holds a NUL character.*{self.shown(listed)}"
            else:
                expected = f"cannot be serial numbers.*{self.shown(value)}.*{reason}"
            with self.refused(UserError, expected):
                self.wizard(serial_list=listed).action_confirm()
        data = b"serial\nRC-01\n" + b"Z" * 10_000 + b"\n"
        wizard = self.wizard(serial_file=base64.b64encode(data), serial_filename="s.csv")
        with self.refused(UserError, "at most 128 characters, got 10000"):
            wizard.action_preview()

    def test_warranty_claims(self):
        Claim = self.env["serial.warranty.claim"]
        count = Claim.search_count([])
        for value, reason in self.each_bad([n for n in BAD_NAMES if n[0].strip()]):
            with self.refused(ValidationError, reason):
                with Form(Claim) as form:
                    form.serial_name = value
                    form.partner_id = self.customer
                    form.description = "Broken"
        self.assertEqual(Claim.search_count([]), count)


@tagged("post_install", "-at_install")
class TestBadRecords(RecallCommon):
    """Records of another company and wrong check digits."""

    def test_other_company_serials_in_recall(self):
        other = self.env["res.company"].create({"name": "SI Other Co"})
        lot = self.env["stock.lot"].create(
            {"name": "OC-1", "product_id": self.product.id, "company_id": other.id}
        )
        with self.refused(UserError, "OC-1"):
            self.wizard(lot_ids=[Command.set(lot.ids)])

    def test_report_wizard_dates(self):
        with self.refused(UserError, "The claim period ends before it starts"):
            self.env["serial.warranty.report.wizard"].create(
                {"date_from": "2026-02-01", "date_to": "2026-01-01"}
            )


@tagged("post_install", "-at_install")
class TestBadRuledAndPackaged(RecallCommon):
    """Serials with a wrong check character (a format rule's), at every
    entry point; SSCC package names; archived products."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls.env["serial.format.rule"].create(
            {"name": "SI Checked", "template": "CK-{seq:5}{check:luhn}", "charset": "digits"}
        )
        cls.ruled = cls.env["product.product"].create(
            {
                "name": "SI Checked Scanner",
                "is_storable": True,
                "tracking": "serial",
                "serial_format_rule_id": cls.rule.id,
            }
        )
        good = cls.rule._generate(cls.ruled, 1)[0]
        cls.bad = good[:-1] + str((int(good[-1]) + 1) % 10)

    def test_wrong_check_digit(self):
        Lot = self.env["stock.lot"]
        count = Lot.search_count([])
        with self.refused(ValidationError, f"{self.bad}.*check"):
            Lot.create({"name": self.bad, "product_id": self.ruled.id})
        result = Lot.load(["name", "product_id"], [[self.bad, self.ruled.name]])
        self.assertFalse(result["ids"])
        self.assertIn(self.bad, result["messages"][0]["message"])
        context = {
            "default_product_id": self.ruled.id,
            "default_tracking": "serial",
            "default_location_dest_id": self.stock.id,
        }
        with self.refused(ValidationError, f"{self.bad}.*check"):
            self.env["stock.move"].action_generate_lot_line_vals(context, "import", "", 0, self.bad)
        self.assertEqual(Lot.search_count([]), count)

    def test_sscc_names(self):
        self.env.company.write({"gs1_company_prefix": "0614141", "sscc_extension_digit": "1"})
        case_type = self.env["stock.package.type"].create({"name": "SI Case", "sscc_level": "case"})
        Package = self.env["stock.quant.package"]
        count = Package.search_count([])
        cases = [
            ("106141411234567890", "check digit should be 7"),
            ("1" * 10_000, "not a valid SSCC"),
            ("   ", "not a valid SSCC"),
            ("10614141123456789\x00", "not a valid SSCC"),
            ("(00)10614141123456789\u0661", "not a valid SSCC"),
        ]
        for value, message in cases:
            with self.subTest(value=value[:20]), self.refused(ValidationError, message):
                Package.create({"name": value, "package_type_id": case_type.id})
        self.assertEqual(Package.search_count([]), count)

    def test_archived_product(self):
        self.other_product.action_archive()
        with self.refused(ValidationError, "Archived product SI Printer.*'NEW-1'"):
            self.env["stock.lot"].create({"name": "NEW-1", "product_id": self.other_product.id})
        # its serials already made stay usable
        self.product.action_archive()
        self.lot["RC-01"].write({"note": "kept"})
        scope = self.wizard(lot_ids=[Command.set(self.pick("RC-01").ids)])._resolve_scope()
        self.assertIn(self.lot["RC-01"].id, scope["lot_ids"])


@tagged("post_install", "-at_install")
class TestSerialNameProperties(BaseCase):
    @settings(max_examples=500, deadline=None)
    @given(st.text(max_size=200))
    def test_accepted_names_are_storable(self, text):
        error = serial_format.serial_name_error(text)
        name = serial_format.clean_serial_name(text)
        if error is None:
            self.assertTrue(name)
            self.assertLessEqual(len(name), serial_format.MAX_SERIAL_LENGTH)
            self.assertFalse(
                [c for c in name if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co")]
            )
        if "\x00" in name:
            self.assertIsNotNone(error)
        self.assertEqual(serial_format.clean_serial_name(name), name)

    @settings(max_examples=200, deadline=None)
    @given(st.from_regex(r"[A-Z0-9][A-Z0-9\-/.]{0,40}", fullmatch=True))
    def test_plain_serials_accepted(self, text):
        self.assertIsNone(serial_format.serial_name_error(text))
