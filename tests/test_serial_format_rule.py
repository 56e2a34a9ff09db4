# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import threading
from datetime import date

import odoo
from odoo.exceptions import ValidationError
from odoo.service.model import retrying
from odoo.tests import BaseCase, Form, tagged
from odoo.tools import mute_logger

from .common import SerialCommon


@tagged("post_install", "-at_install")
class TestSerialFormatRule(SerialCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls.env["serial.format.rule"].create(
            {
                "name": "Scanners",
                "template": "SC-{yy}-{seq:5}{check:luhn}",
                "charset": "digits",
            }
        )
        cls.product.serial_format_rule_id = cls.rule
        cls.product.default_code = "SCN"

    def dialog(self, mode, count=0, text=""):
        context = {
            "default_product_id": self.product.id,
            "default_location_dest_id": self.stock.id,
            "default_location_id": self.supplier_loc.id,
            "default_tracking": "serial",
            "default_quantity": count,
            "default_company_id": self.env.company.id,
            "default_picking_type_id": self.picking_type_in.id,
        }
        return self.env["stock.move"].action_generate_lot_line_vals(
            context, mode, "IGNORED-1", count, text
        )

    def test_assignment_order(self):
        category_rule = self.rule.copy({"name": "Category"})
        company_rule = self.rule.copy({"name": "Company"})
        parent = self.env["product.category"].create({"name": "SI Tools"})
        child = self.env["product.category"].create({"name": "SI Drills", "parent_id": parent.id})
        product = self.env["product.product"].create(
            {"name": "SI Drill", "is_storable": True, "tracking": "serial", "categ_id": child.id}
        )
        self.assertFalse(product._get_serial_format_rule())
        self.env.company.serial_format_rule_id = company_rule
        self.assertEqual(product._get_serial_format_rule(), company_rule)
        parent.serial_format_rule_id = category_rule
        self.assertEqual(product._get_serial_format_rule(), category_rule)
        product.serial_format_rule_id = self.rule
        self.assertEqual(product._get_serial_format_rule(), self.rule)
        product.tracking = "lot"
        self.assertFalse(product._get_serial_format_rule())

    def test_new_serial_form_proposes_the_rule_serial(self):
        with Form(self.env["stock.lot"]) as form:
            native_default = form.name
            form.product_id = self.product
            proposal = form.name
            self.assertNotEqual(proposal, native_default)
            self.assertTrue(self.rule._engine().validate(proposal).valid)
        self.assertEqual(form.record.name, proposal)
        # its number was taken: the next serial follows it
        self.assertEqual(self.rule._generate(self.product, 1)[0][6:11], "00002")

        # somebody takes the proposed serial's number before the form is saved
        with Form(self.env["stock.lot"]) as form:
            form.product_id = self.product
            proposal = form.name
            self.assertEqual(self.rule._generate(self.product, 1)[0], proposal)
        self.assertEqual(form.record.name[6:11], "00004")

        # a name the user typed is never replaced
        typed = self.rule._generate(self.product, 1)[0]
        plain = self.env["product.product"].create(
            {"name": "SI Plain", "is_storable": True, "tracking": "serial"}
        )
        with Form(self.env["stock.lot"]) as form:
            form.product_id = plain
            form.name = typed
            form.product_id = self.product
            self.assertEqual(form.name, typed)
        self.assertEqual(form.record.name, typed)

    def test_product_without_rule_keeps_native_behaviour(self):
        other = self.env["product.product"].create(
            {"name": "SI Plain", "is_storable": True, "tracking": "serial"}
        )
        self.env["stock.lot"].create({"name": "anything goes", "product_id": other.id})
        lines = self.env["stock.move"].action_generate_lot_line_vals(
            {
                "default_product_id": other.id,
                "default_location_dest_id": self.stock.id,
                "default_location_id": self.supplier_loc.id,
                "default_tracking": "serial",
                "default_quantity": 3,
            },
            "generate",
            "AB-007",
            3,
            "",
        )
        self.assertEqual([line["lot_name"] for line in lines], ["AB-007", "AB-008", "AB-009"])

    def test_generate_dialog_uses_the_rule(self):
        lines = self.dialog("generate", 3)
        names = [line["lot_name"] for line in lines]
        year = f"{date.today():%y}"
        self.assertEqual([name[:11] for name in names], [f"SC-{year}-0000{i}" for i in (1, 2, 3)])
        for name in names:
            self.assertTrue(self.rule._engine().validate(name))
        # the next generation continues the sequence
        again = [line["lot_name"] for line in self.dialog("generate", 1)]
        self.assertEqual(again[0][:11], f"SC-{year}-00004")

    def test_sequence_per_product_and_per_rule(self):
        other = self.env["product.product"].create(
            {
                "name": "SI Scanner 2",
                "is_storable": True,
                "tracking": "serial",
                "serial_format_rule_id": self.rule.id,
            }
        )
        self.assertEqual(self.rule._generate(self.product, 1)[0][6:11], "00001")
        self.assertEqual(self.rule._generate(other, 1)[0][6:11], "00001")
        self.rule.sequence_scope = "rule"
        self.assertEqual(self.rule._generate(self.product, 1)[0][6:11], "00001")
        self.assertEqual(self.rule._generate(other, 1)[0][6:11], "00002")

    def test_yearly_reset(self):
        self.rule.reset_period = "yearly"
        first = self.rule._generate(self.product, 2, date=date(2025, 12, 31))
        self.assertEqual([n[:11] for n in first], ["SC-25-00001", "SC-25-00002"])
        self.assertEqual(
            self.rule._generate(self.product, 1, date=date(2026, 1, 1))[0][:11], "SC-26-00001"
        )
        self.assertEqual(
            self.rule._generate(self.product, 1, date=date(2025, 6, 1))[0][:11], "SC-25-00003"
        )

    def test_bad_serial_is_refused_with_every_detail(self):
        good = self.rule._generate(self.product, 1)[0]
        bad = good[:-1] + str((int(good[-1]) + 1) % 10)
        with self.assertRaises(ValidationError) as caught:
            self.env["stock.lot"].create({"name": bad, "product_id": self.product.id})
        message = str(caught.exception)
        for expected in (bad, "SI Scanner", "Scanners", "check", good[-1]):
            self.assertIn(expected, message)
        self.assertFalse(self.env["stock.lot"].search([("name", "=", bad)]))
        with self.assertRaisesRegex(ValidationError, "expected 12 characters, got 11"):
            self.env["stock.lot"].create({"name": good[:-1], "product_id": self.product.id})

    def test_pasted_list_reports_every_bad_line(self):
        names = self.rule._generate(self.product, 500)
        names[10] = names[10][:-1] + str((int(names[10][-1]) + 3) % 10)
        names[250] = "SC-XX-00251" + names[250][-1]
        names[499] = names[499] + "9"
        with self.assertRaises(ValidationError) as caught:
            self.dialog("import", text="\n".join(names))
        message = str(caught.exception)
        self.assertIn("3 serial number(s)", message)
        for line in (11, 251, 500):
            self.assertIn(f"line {line},", message)
        # the good ones import
        lines = self.dialog("import", text="\n".join(names[:10]))
        self.assertEqual(len(lines), 10)

    def test_entry_points(self):
        bad = "SC-26-000011"
        # RPC / UI create and rename
        with self.assertRaises(ValidationError):
            self.env["stock.lot"].create({"name": bad, "product_id": self.product.id})
        lot = self.env["stock.lot"].create(
            {"name": self.rule._generate(self.product, 1)[0], "product_id": self.product.id}
        )
        with self.assertRaises(ValidationError):
            lot.name = bad
        # CSV import: nothing is written, the message says why
        result = self.env["stock.lot"].load(
            ["name", "product_id/.id"], [[bad, str(self.product.id)]]
        )
        self.assertFalse(result["ids"])
        self.assertIn(bad, result["messages"][0]["message"])
        # serial typed on a receipt line
        picking, _lots = self.receive(self.rule._generate(self.product, 1))
        with self.assertRaises(ValidationError):
            self.env["stock.move.line"].create(
                {
                    "move_id": picking.move_ids.id,
                    "picking_id": picking.id,
                    "product_id": self.product.id,
                    "lot_name": bad,
                    "quantity": 1,
                    "location_id": self.supplier_loc.id,
                    "location_dest_id": self.stock.id,
                }
            )

    def test_case_is_normalised(self):
        rule = self.env["serial.format.rule"].create(
            {"name": "Letters", "template": "{model}-{seq:3}{check:mod37_36}"}
        )
        self.product.serial_format_rule_id = rule
        name = rule._generate(self.product, 1)[0]
        lot = self.env["stock.lot"].create({"name": name.lower(), "product_id": self.product.id})
        self.assertEqual(lot.name, name)
        other = rule._generate(self.product, 1)[0]
        lot.name = other.lower()
        self.assertEqual(lot.name, other)

    def test_uniqueness_scope(self):
        other = self.env["product.product"].create(
            {
                "name": "SI Scanner 3",
                "is_storable": True,
                "tracking": "serial",
                "serial_format_rule_id": self.rule.id,
            }
        )
        name = self.rule._generate(self.product, 1)[0]
        self.env["stock.lot"].create({"name": name, "product_id": self.product.id})
        self.env["stock.lot"].create({"name": name, "product_id": other.id}).unlink()
        self.rule.uniqueness_scope = "company"
        with self.assertRaisesRegex(
            ValidationError, r"already used by \[SCN\] SI Scanner: format rule Scanners"
        ):
            self.env["stock.lot"].create({"name": name, "product_id": other.id})

    def test_scope_change_over_serials_already_shared_is_refused(self):
        other, third = self.env["product.product"].create(
            [
                {"name": name, "is_storable": True, "tracking": "serial"}
                for name in ("SI Scanner 4", "SI Scanner 5")
            ]
        )
        company_b = self.env["res.company"].create({"name": "SI Rule Company B"})
        name = self.rule._generate(self.product, 1)[0]
        main = self.env.company.id
        self.env["stock.lot"].create(
            [
                {"name": name, "product_id": self.product.id, "company_id": main},
                {"name": name, "product_id": other.id, "company_id": company_b.id},
            ]
        )
        # in another company: no matter to a company-wide rule, but to a global one
        self.rule.uniqueness_scope = "company"
        with (
            self.assertRaisesRegex(
                ValidationError,
                r"Scanners cannot want serials unique across all products: 1 serial number\(s\)"
                rf".*\n - Serial: {name}, Products: SI Scanner 4, \[SCN\] SI Scanner$",
            ),
            self.env.cr.savepoint(),
        ):
            self.rule.uniqueness_scope = "global"
        self.assertEqual(self.rule.uniqueness_scope, "company")
        self.rule.uniqueness_scope = "product"
        self.env["stock.lot"].create({"name": name, "product_id": third.id, "company_id": main})
        with self.assertRaisesRegex(
            ValidationError,
            rf"across the company's products.*\n - Serial: {name}, Products: SI Scanner 5, "
            r"\[SCN\] SI Scanner$",
        ):
            self.rule.uniqueness_scope = "company"

    def test_validate_only_rule(self):
        self.rule.mode = "validate"
        with self.assertRaisesRegex(ValidationError, "come from the supplier"):
            self.dialog("generate", 2)

    def test_bad_template_and_tester(self):
        with self.assertRaises(ValidationError):
            self.env["serial.format.rule"].create({"name": "Bad", "template": "X-{seq:5"})
        self.rule.test_serial = self.rule._generate(self.product, 1)[0]
        self.assertEqual(self.rule.test_result, "Valid")
        self.rule.test_serial = "SC-26-1"
        self.assertIn("Invalid", self.rule.test_result)
        self.assertEqual(len(self.rule.preview.splitlines()), 5)


@tagged("post_install", "-at_install")
class TestGs1Serials(SerialCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product.barcode = "4006381333931"

    def test_gs1_serial_constraint(self):
        too_long = "S" * 21
        with self.assertRaisesRegex(ValidationError, "GS1.*1 to 20 characters, got 21"):
            self.env["stock.lot"].create({"name": too_long, "product_id": self.product.id})
        with self.assertRaisesRegex(ValidationError, "character ' ' at position 3"):
            self.env["stock.lot"].create({"name": "SN 1", "product_id": self.product.id})
        # without a GTIN the same serial is fine
        self.product.barcode = "NOT-A-GTIN"
        self.env["stock.lot"].create({"name": "SN 1", "product_id": self.product.id})

    def test_element_string_and_digital_link(self):
        lot = self.env["stock.lot"].create({"name": "SN/7", "product_id": self.product.id})
        self.assertEqual(lot.gs1_element_string, "(01)04006381333931(21)SN/7")
        self.assertEqual(lot.gs1_digital_link, "https://id.gs1.org/01/04006381333931/21/SN%2F7")
        self.env.company.gs1_digital_link_base_url = "https://example.com/dl/"
        lot.invalidate_recordset()
        self.assertEqual(lot.gs1_digital_link, "https://example.com/dl/01/04006381333931/21/SN%2F7")


@tagged("post_install", "-at_install")
class TestSerialSequenceConcurrency(BaseCase):
    """Two users generating at the same time get disjoint numbers."""

    def setUp(self):
        super().setUp()
        self.db = odoo.tests.get_db_name()
        with odoo.sql_db.db_connect(self.db).cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            self.rule_id = (
                env["serial.format.rule"]
                .create({"name": "SI Race Rule", "template": "R{seq:6}", "sequence_scope": "rule"})
                .id
            )
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with odoo.sql_db.db_connect(self.db).cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            env["serial.format.rule"].browse(self.rule_id).unlink()

    def test_concurrent_generation(self):
        results = {}
        barrier = threading.Barrier(2)

        def generate(key):
            with odoo.sql_db.db_connect(self.db).cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                env.cr.execute("SELECT 1")  # both snapshots taken before either commits
                barrier.wait(10)
                # as an RPC call would: the loser of the race is rolled back and retried
                results[key] = retrying(
                    lambda: (
                        env["serial.format.rule"]
                        .browse(self.rule_id)
                        ._generate(env["product.product"], 50)
                    ),
                    env,
                )

        threads = [threading.Thread(target=generate, args=(key,)) for key in "ab"]
        # muted here, around both threads: a logger muted in each thread is
        # unmuted by the first to finish while the other still logs its
        # serialization failure
        with mute_logger("odoo.sql_db"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(30)
        names = results["a"] + results["b"]
        self.assertEqual(len(names), 100)
        self.assertEqual(len(set(names)), 100)
        self.assertEqual(sorted(names), [f"R{i:06d}" for i in range(1, 101)])
