# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common import WarrantyCommon, validated_transfer


@tagged("post_install", "-at_install")
class TestWarrantyHandEntry(WarrantyCommon):
    """A warranty entered by hand is a manager's, says by whom, and claims
    resting on it show it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(cls.env, "si_hand_user", groups="stock.group_stock_user")
        cls.manager = new_test_user(cls.env, "si_hand_manager", groups="stock.group_stock_manager")
        _receipt, cls.lots = cls.receive(["HE-1", "HE-2"])

    def enter(self, user, lot, **vals):
        return (
            self.env["serial.warranty"]
            .with_user(user)
            .create(
                dict(
                    {
                        "lot_id": lot.id,
                        "partner_id": self.customer.id,
                        "policy_id": self.policy.id,
                        "delivery_date": "2025-01-02",
                    },
                    **vals,
                )
            )
        )

    def test_user_cannot_enter_a_warranty(self):
        with self.assertRaisesRegex(AccessError, "Only serial inventory managers can enter"):
            self.enter(self.user, self.lots[0])
        self.assertFalse(
            self.env["serial.warranty"].with_user(self.user).has_access("create"),
            "the list offers users no New button",
        )
        self.assertFalse(self.warranties(self.lots))

    def test_hand_entry_is_recorded(self):
        with freeze_time("2025-02-01 09:00:00"):
            with Form(self.env["serial.warranty"].with_user(self.manager)) as form:
                form.lot_id = self.lots[0]
                form.partner_id = self.customer_contact
                form.policy_id = self.policy
                form.delivery_date = date(2025, 1, 2)
            warranty = form.record
        self.assertRecordValues(
            warranty,
            [
                {
                    "start_source": "manual",
                    "manual_entry_user_id": self.manager.id,
                    "end_date": date(2026, 1, 1),
                }
            ],
        )
        self.assertIn("Entered by hand by si_hand_manager", warranty.message_ids[0].body)
        # a delivery's warranty corrected by hand says so too
        self.deliver(self.lots[1])
        delivered = self.warranties(self.lots[1])
        self.assertFalse(delivered.manual_entry_user_id)
        with self.assertRaises(AccessError):
            delivered.with_user(self.user).end_date = "2030-01-01"
        self.assertFalse(delivered.manual_entry_user_id)
        delivered.with_user(self.manager).end_date = "2030-01-01"
        self.assertEqual(delivered.manual_entry_user_id, self.manager)
        self.assertIn("End Date", delivered.message_ids[0].body)

    def test_claim_on_a_hand_entered_warranty_shows_it(self):
        warranty = self.enter(self.manager, self.lots[0])
        claim = (
            self.env["serial.warranty.claim"]
            .with_user(self.user)
            .create(
                {
                    "serial_name": "HE-1",
                    "partner_id": self.customer.id,
                    "claim_date": "2025-06-01",
                    "description": "Broken",
                }
            )
        )
        claim.action_submit()
        self.assertTrue(all(claim.check_ids.mapped("passed")))
        hand = claim.check_ids.filtered("hand_entry_warranty_id")
        self.assertEqual(hand.mapped("code"), ["never_delivered", "expired"])
        self.assertEqual(hand.hand_entry_warranty_id, warranty)
        for check in hand:
            self.assertIn("entered by hand by si_hand_manager", check.reason)


@tagged("post_install", "-at_install")
class TestPastWarranties(WarrantyCommon):
    """*Create from Past Deliveries* is a manager's, in their companies."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "SI Warranty Company B"})
        env_b = cls.env(context=dict(cls.env.context, allowed_company_ids=cls.company_b.ids))
        warehouse_b = env_b["stock.warehouse"].search(
            [("company_id", "=", cls.company_b.id)], limit=1
        )
        cls.product.warranty_policy_id = False
        cls.product.categ_id = cls.env.ref("product.product_category_all")
        with freeze_time("2025-03-15 10:00:00"):
            _receipt, cls.lot_a = cls.receive(["PW-A"])
            cls.deliver(cls.lot_a)
            receipt_b = validated_transfer(
                env_b,
                warehouse_b.in_type_id,
                cls.supplier_loc,
                warehouse_b.lot_stock_id,
                cls.product,
                [{"lot_name": "PW-B"}],
            )
            cls.lot_b = receipt_b.move_line_ids.lot_id
            validated_transfer(
                env_b,
                warehouse_b.out_type_id,
                warehouse_b.lot_stock_id,
                cls.customer_loc,
                cls.product,
                [{"lot_id": cls.lot_b.id}],
                partner=cls.customer,
            )
        cls.product.warranty_policy_id = cls.policy  # shared: no company
        cls.user = new_test_user(cls.env, "si_past_user", groups="stock.group_stock_user")
        cls.manager_a = new_test_user(
            cls.env,
            "si_past_manager_a",
            groups="stock.group_stock_manager",
            company_id=cls.env.company.id,
            company_ids=cls.env.company.ids,
        )

    def test_only_managers(self):
        with self.assertRaisesRegex(AccessError, "Only serial inventory managers can create"):
            self.policy.with_user(self.user).action_create_past_warranties()
        self.assertFalse(self.warranties(self.lot_a | self.lot_b))

    def test_only_the_user_companies(self):
        with freeze_time("2025-05-01"):
            self.policy.with_user(self.manager_a).action_create_past_warranties()
        self.assertEqual(self.warranties(self.lot_a | self.lot_b).lot_id, self.lot_a)
        policy_b = self.policy.copy({"company_id": self.company_b.id})
        with self.assertRaisesRegex(AccessError, "SI Warranty Company B"):
            policy_b.with_user(self.manager_a).action_create_past_warranties()
