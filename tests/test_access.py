# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import SerialCommon


@tagged("post_install", "-at_install")
class TestAccess(SerialCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.receipt, cls.lots = cls.receive(["AC-1"])
        cls.employee = new_test_user(cls.env, "si_employee", groups="base.group_user")
        cls.stock_user = new_test_user(cls.env, "si_stock_user", groups="stock.group_stock_user")
        cls.stock_manager = new_test_user(
            cls.env, "si_stock_manager", groups="stock.group_stock_manager"
        )

    def test_stock_groups_imply_serial_groups(self):
        self.assertTrue(self.stock_user.has_group("serialized_inventory.group_serial_user"))
        self.assertFalse(self.stock_user.has_group("serialized_inventory.group_serial_manager"))
        self.assertTrue(self.stock_manager.has_group("serialized_inventory.group_serial_manager"))
        self.assertFalse(self.employee.has_group("serialized_inventory.group_serial_user"))

    def test_user_without_group_cannot_read_ledger(self):
        with self.assertRaises(AccessError):
            self.env["serial.event"].with_user(self.employee).search([])

    def test_stock_user_reads_but_cannot_change_ledger(self):
        events = (
            self.env["serial.event"]
            .with_user(self.stock_user)
            .search([("lot_id", "=", self.lots.id)])
        )
        self.assertEqual(len(events), 1)
        self.assertEqual(events.event_type, "receipt")
        with self.assertRaises(UserError):
            events.write({"event_type": "scrap"})
        with self.assertRaises(UserError):
            events.unlink()
        with self.assertRaises(UserError):
            self.env["serial.event"].with_user(self.stock_user).create(
                {
                    "lot_id": self.lots.id,
                    "product_id": self.product.id,
                    "date": "2024-01-01",
                    "event_type": "receipt",
                    "lifecycle_state": "in_stock",
                    "company_id": self.env.company.id,
                }
            )

    def test_manager_cannot_change_ledger_either(self):
        events = (
            self.env["serial.event"]
            .with_user(self.stock_manager)
            .search([("lot_id", "=", self.lots.id)])
        )
        with self.assertRaises(UserError):
            events.write({"event_type": "scrap"})
        with self.assertRaises(UserError):
            events.unlink()

    def test_stock_user_cannot_fake_lifecycle(self):
        with self.assertRaises(UserError):
            self.lots.with_user(self.stock_user).write({"lifecycle_state": "scrapped"})

    def test_multi_company_rule(self):
        company_b = self.env["res.company"].create({"name": "SI Company B"})
        user_b = new_test_user(
            self.env,
            "si_user_b",
            groups="stock.group_stock_user",
            company_id=company_b.id,
            company_ids=[company_b.id],
        )
        self.assertFalse(
            self.env["serial.event"].with_user(user_b).search([("lot_id", "=", self.lots.id)])
        )
        both = new_test_user(
            self.env,
            "si_user_ab",
            groups="stock.group_stock_user",
            company_id=company_b.id,
            company_ids=[company_b.id, self.env.company.id],
        )
        self.assertTrue(
            self.env["serial.event"]
            .with_user(both)
            .with_context(allowed_company_ids=[company_b.id, self.env.company.id])
            .search([("lot_id", "=", self.lots.id)])
        )

    def test_new_serial_cannot_fake_lifecycle(self):
        Lot = self.env["stock.lot"].with_user(self.stock_user)
        for vals in (
            {"lifecycle_state": "delivered"},
            {"current_holder_id": self.customer.id},
            {"current_location_id": self.customer_loc.id},
            {"first_receipt_date": "2024-01-01 00:00:00"},
        ):
            with self.assertRaisesRegex(UserError, "AC-FAKE"):
                Lot.create(dict({"name": "AC-FAKE", "product_id": self.product.id}, **vals))
        self.assertFalse(self.env["stock.lot"].search([("name", "=", "AC-FAKE")]))
        lot = Lot.create(
            {"name": "AC-NEW", "product_id": self.product.id, "lifecycle_state": "new"}
        )
        self.assertEqual(lot.lifecycle_state, "new")

    def test_format_rule_multi_company_rule(self):
        company_b = self.env["res.company"].create({"name": "SI Rule Company B"})
        Rule = self.env["serial.format.rule"]
        own, shared, other = Rule.create(
            [
                {"name": "SI Rule A", "template": "A{seq:4}", "company_id": self.env.company.id},
                {"name": "SI Rule Shared", "template": "S{seq:4}", "company_id": False},
                {"name": "SI Rule B", "template": "B{seq:4}", "company_id": company_b.id},
            ]
        )
        seen = Rule.with_user(self.stock_user).search([("id", "in", (own | shared | other).ids)])
        self.assertEqual(seen, own | shared)
        with self.assertRaises(AccessError):
            other.with_user(self.stock_user).read(["name"])
