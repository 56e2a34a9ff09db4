# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .common import WarrantyCommon

ALL_CHECKS = [
    "unknown_serial",
    "never_delivered",
    "other_customer",
    "expired",
    "scrapped",
    "recalled",
    "open_claim",
]


@tagged("post_install", "-at_install")
class TestWarrantyClaim(WarrantyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(cls.env, "si_claim_user", groups="stock.group_stock_user")
        cls.manager = new_test_user(cls.env, "si_claim_manager", groups="stock.group_stock_manager")
        cls.accountant = new_test_user(
            cls.env,
            "si_claim_accountant",
            groups="stock.group_stock_user,serialized_inventory.group_warranty_accountant",
        )
        with freeze_time("2025-03-15 10:00:00"):
            _receipt, cls.lots = cls.receive(["C-1", "C-2", "C-3", "C-4"])
            cls.delivery = cls.deliver(cls.lots[:3])
        cls.spare = cls.lots[3]

    def claim(self, serial="C-1", partner=None, day="2025-06-01", user=None):
        with Form(self.env["serial.warranty.claim"].with_user(user or self.user)) as form:
            form.serial_name = f"  {serial} "
            form.partner_id = partner or self.customer_contact
            form.claim_date = day
            form.description = "Does not power on"
        return form.record

    def failed(self, claim):
        return claim.check_ids.filtered(lambda c: not c.passed)

    def test_claim_that_passes_every_check(self):
        claim = self.claim()
        self.assertEqual(claim.lot_id, self.lots[0], "the typed serial is found")
        self.assertEqual(claim.product_id, self.product)
        self.assertTrue(claim.name.startswith("WCL/"))
        claim.action_submit()
        self.assertEqual(claim.state, "submitted")
        self.assertEqual(claim.check_ids.mapped("code"), ALL_CHECKS)
        self.assertTrue(all(claim.check_ids.mapped("passed")))
        self.assertEqual(claim.warranty_id, self.warranties(self.lots[0]))
        self.assertEqual(claim.delivery_date, date(2025, 3, 15))
        self.assertIn("all checks passed", claim.message_ids[0].body)
        with self.assertRaisesRegex(AccessError, f"can approve warranty claims \\({claim.name}\\)"):
            claim.action_approve()  # the user is no manager
        claim = claim.with_user(self.manager)
        claim.action_approve()
        with self.assertRaises(UserError):
            claim.action_resolve()  # no resolution yet
        claim.resolution = "repair"
        claim.action_resolve()
        self.assertEqual(claim.state, "resolved")
        with self.assertRaises(UserError):
            claim.serial_name = "C-2"

    def assert_fails(self, claim, code, reason):
        claim.action_submit()
        failed = self.failed(claim)
        self.assertEqual(failed.mapped("code"), [code])
        self.assertEqual(failed.reason, reason)
        self.assertTrue(claim.check_blocking)
        with self.assertRaises(UserError):
            claim.with_user(self.manager).action_approve()
        self.assertIn(reason, claim.message_ids[0].body)

    def test_unknown_serial(self):
        claim = self.claim("NOPE-9")
        self.assertFalse(claim.lot_id)
        claim.action_submit()
        self.assertRecordValues(
            claim.check_ids,
            [
                {
                    "code": "unknown_serial",
                    "passed": False,
                    "reason": "Unknown serial: no serial number NOPE-9 is known (or several "
                    "products use it: pick the serial).",
                }
            ],
        )

    def test_serial_never_delivered(self):
        claim = self.claim("C-4")
        claim.action_submit()
        # neither delivered nor under warranty
        self.assertEqual(self.failed(claim).mapped("code"), ["never_delivered", "expired"])
        self.assertEqual(
            self.failed(claim)[0].reason,
            "Serial C-4 was never delivered to a customer on or before 2025-06-01.",
        )

    def test_claimed_by_another_customer(self):
        self.assert_fails(
            self.claim(partner=self.other_customer),
            "other_customer",
            "Serial C-1 was delivered to SI Customer, not to the claimant SI Other Customer.",
        )

    def test_claimed_by_a_contact_of_the_customer(self):
        contact = self.env["res.partner"].create(
            {"name": "SI Customer Buyer", "parent_id": self.customer.id}
        )
        claim = self.claim(partner=contact)
        claim.action_submit()
        self.assertFalse(self.failed(claim))

    def test_warranty_expired_at_the_claim_date(self):
        self.assert_fails(
            self.claim(day="2026-03-15"),
            "expired",
            "Warranty C-1 — SI 12 months (2026-03-14) of serial C-1 ended on 2026-03-14, "
            "before the claim date 2026-03-15.",
        )

    def test_warranty_voided_by_a_return_before_the_claim(self):
        with freeze_time("2025-05-01 10:00:00"):
            self.return_picking(self.delivery, self.lots[1])
        self.assert_fails(
            self.claim("C-2", day="2025-05-20"),
            "expired",
            "Warranty C-2 — SI 12 months (2026-03-14) of serial C-2 stopped on 2025-05-01 "
            "(the unit was returned, re-delivered or replaced), before the claim date "
            "2025-05-20.",
        )

    def test_scrapped_serial(self):
        self.return_picking(self.delivery, self.lots[1])
        scrap = self.env["stock.scrap"].create(
            {
                "product_id": self.product.id,
                "lot_id": self.lots[1].id,
                "scrap_qty": 1,
                "location_id": self.stock.id,
            }
        )
        scrap.action_validate()
        self.assertEqual(self.lots[1].lifecycle_state, "scrapped")
        self.assert_fails(self.claim("C-2"), "scrapped", "Serial C-2 was scrapped.")

    def test_recalled_serial(self):
        """The recall feature overrides ``stock.lot._warranty_recall_blocking``."""
        lot_class = type(self.env["stock.lot"])
        lot_id = self.lots[0].id
        with patch.object(
            lot_class,
            "_warranty_recall_blocking",
            lambda lots: {lot_id: "battery recall RC-7"} if lot_id in lots.ids else {},
        ):
            self.assert_fails(
                self.claim(), "recalled", "Serial C-1 is recalled: battery recall RC-7"
            )

    def test_serial_of_an_active_recall(self):
        wizard = self.env["serial.recall.wizard"].create(
            {"lot_ids": [(6, 0, self.lots[0].ids)], "reason": "Battery may overheat"}
        )
        recall = self.env["serial.recall"].browse(wizard.action_confirm()["res_id"])
        claim = self.claim()
        claim.action_submit()
        self.assertFalse(self.failed(claim), "a draft recall blocks nothing")
        claim.action_cancel()
        recall.action_activate()
        self.assert_fails(
            self.claim(),
            "recalled",
            f"Serial C-1 is recalled: {recall.name}, Battery may overheat",
        )

    def test_another_open_claim_on_the_serial(self):
        first = self.claim()
        first.action_submit()
        duplicate = self.claim()
        self.assert_fails(
            duplicate, "open_claim", f"Serial C-1 already has an open claim: {first.name}."
        )
        # closed claims do not count
        first.with_user(self.manager).action_reject()
        duplicate.action_cancel()
        second = self.claim()
        second.action_submit()
        self.assertFalse(self.failed(second))

    def test_manager_overrides_a_failed_check_with_a_justification(self):
        claim = self.claim(partner=self.other_customer)
        claim.action_submit()
        with self.assertRaises(AccessError):
            claim.action_override_checks()
        action = claim.with_user(self.manager).action_override_checks()
        wizard_model = self.env[action["res_model"]].with_user(self.manager)
        with self.assertRaises(AssertionError):  # the justification is required
            with Form(wizard_model.with_context(**action["context"])) as form:
                form.justification = False
        with Form(wizard_model.with_context(**action["context"])) as form:
            self.assertEqual(form.check_ids[:], self.failed(claim))
            form.justification = "Resold by the customer to its subsidiary, invoice seen."
        form.record.action_override()
        check = self.failed(claim)
        self.assertRecordValues(check, [{"overridden": True, "override_user_id": self.manager.id}])
        self.assertIn("invoice seen", check.justification)
        self.assertFalse(claim.check_blocking)
        message = claim.message_ids[0]
        self.assertIn("Resold by the customer to its subsidiary, invoice seen.", message.body)
        self.assertIn("not to the claimant SI Other Customer", message.body)
        self.assertEqual(message.author_id, self.manager.partner_id)
        claim.with_user(self.manager).action_approve()
        self.assertEqual(claim.state, "approved")
        # nothing left to override
        with self.assertRaises(UserError):
            wizard_model.create(
                {"claim_id": claim.id, "justification": "again", "check_ids": check.ids}
            ).action_override()

    def test_user_cannot_override_through_the_wizard(self):
        claim = self.claim(partner=self.other_customer)
        claim.action_submit()
        with self.assertRaises(AccessError):
            self.env["serial.warranty.claim.override"].with_user(self.user).create(
                {"claim_id": claim.id, "justification": "trust me"}
            )

    def test_override_only_checks_of_its_claim(self):
        claim = self.claim(partner=self.other_customer)
        claim.action_submit()
        other = self.claim("C-2", partner=self.other_customer)
        other.action_submit()
        wizard = (
            self.env["serial.warranty.claim.override"]
            .with_user(self.manager)
            .create(
                {
                    "claim_id": claim.id,
                    "justification": "seen",
                    "check_ids": (self.failed(claim) | self.failed(other)).ids,
                }
            )
        )
        with self.assertRaisesRegex(UserError, f"other claims \\({other.name}\\)"):
            wizard.action_override()
        self.assertFalse(any((claim | other).check_ids.mapped("overridden")))

    def test_replacement_transfers_the_remaining_warranty(self):
        extended = self.env["serial.warranty"].create(
            {"lot_id": self.lots[0].id, "policy_id": self.extended_policy.id}
        )
        claim = self.claim()
        claim.action_submit()
        claim = claim.with_user(self.manager)
        claim.action_approve()
        claim.write({"resolution": "replace"})
        with self.assertRaises(UserError):
            claim.action_resolve()  # which unit replaces it?
        claim.replacement_lot_id = self.spare
        with freeze_time("2025-06-10"):
            claim.action_resolve()
        standard = self.warranties(self.lots[0]) - extended
        new_standard, new_extended = self.warranties(self.spare)
        self.assertRecordValues(
            new_standard + new_extended,
            [
                {
                    "partner_id": self.customer.id,
                    "policy_id": self.policy.id,
                    "start_date": date(2025, 6, 10),
                    "end_date": date(2026, 3, 14),
                    "start_source": "transfer",
                    "state": "active",
                    "predecessor_id": standard.id,
                },
                {
                    "partner_id": self.customer.id,
                    "policy_id": self.extended_policy.id,
                    "start_date": date(2026, 3, 15),
                    "end_date": date(2027, 3, 14),
                    "start_source": "transfer",
                    "state": "active",
                    "predecessor_id": extended.id,
                },
            ],
        )
        self.assertEqual((standard + extended).mapped("state"), ["transferred"] * 2)
        self.assertEqual(standard.closed_date, date(2025, 6, 10))
        self.assertEqual(claim.replacement_warranty_id, new_standard)
        self.assertIn("Replaced by C-4", claim.message_ids[0].body)
        # shipping the replacement unit keeps its transferred warranty
        self.deliver(self.spare)
        self.assertEqual(len(self.warranties(self.spare)), 2)
        # the defective unit coming back changes nothing
        self.return_picking(self.delivery, self.lots[0])
        self.assertEqual(standard.state, "transferred")

    def test_replacement_unit_under_warranty_elsewhere_is_refused(self):
        claim = self.claim()
        claim.action_submit()
        claim = claim.with_user(self.manager)
        claim.action_approve()
        claim.write({"resolution": "replace", "replacement_lot_id": self.lots[1].id})
        with self.assertRaises(UserError):
            self.lots[1].warranty_ids.partner_id = self.other_customer
            claim.action_resolve()

    def test_cost_is_hidden_from_users_outside_the_cost_group(self):
        claim = self.claim()
        claim.with_user(self.accountant).write({"cost": 42.5})
        self.assertEqual(claim.with_user(self.accountant).read(["cost"])[0]["cost"], 42.5)
        self.assertEqual(claim.with_user(self.accountant).cost_company, 42.5)
        with self.assertRaises(AccessError):
            claim.with_user(self.user).read(["cost"])
        with self.assertRaises(AccessError):
            claim.with_user(self.user).read(["cost_company"])
        with self.assertRaises(AccessError):
            claim.with_user(self.user).write({"cost": 1})
        self.assertNotIn("cost", claim.with_user(self.user).fields_get())
        # the form and list do not carry the cost for them
        arch = (
            self.env["serial.warranty.claim"]
            .with_user(self.user)
            .get_views([(False, "form"), (False, "list")])["views"]
        )
        self.assertNotIn('name="cost"', arch["form"]["arch"])
        self.assertNotIn('name="cost_company"', arch["list"]["arch"])
        self.assertIn(
            'name="cost"',
            self.env["serial.warranty.claim"]
            .with_user(self.accountant)
            .get_views([(False, "form")])["views"]["form"]["arch"],
        )

    def test_states_follow_the_actions(self):
        claim = self.claim()
        with self.assertRaises(UserError):
            claim.with_user(self.manager).write({"state": "approved"})
        with self.assertRaises(UserError):
            self.env["serial.warranty.claim"].with_user(self.user).create(
                {
                    "serial_name": "C-1",
                    "partner_id": self.customer.id,
                    "description": "x",
                    "state": "resolved",
                }
            )
        warranty = self.warranties(self.lots[0]).with_user(self.user)
        with self.assertRaises(UserError):
            warranty.write({"state": "void"})
        with self.assertRaises(UserError):
            warranty.end_date = "2030-01-01"
        with self.assertRaises(AccessError):
            warranty.action_void()
        warranty.note = "Customer asked for the coverage text."
        warranty.with_user(self.manager).action_void()
        self.assertEqual(warranty.state, "void")
        # only a manager enters a warranty by hand; it takes its state from its policy
        vals = {
            "lot_id": self.spare.id,
            "partner_id": self.customer.id,
            "policy_id": self.policy.id,
            "delivery_date": "2020-01-01",
            "state": "active",
            "start_source": "transfer",
        }
        with self.assertRaisesRegex(AccessError, "Only serial inventory managers can enter"):
            self.env["serial.warranty"].with_user(self.user).create(vals)
        entered = self.env["serial.warranty"].with_user(self.manager).create(vals)
        self.assertRecordValues(
            entered,
            [
                {
                    "state": "expired",
                    "start_source": "manual",
                    "manual_entry_user_id": self.manager.id,
                }
            ],
        )

    def test_scanned_gs1_label_picks_the_serial(self):
        """Two products share the serial DUP-1: a typed number is ambiguous, the
        GTIN of a scanned GS1 label is not."""
        gtin_product = self.env["product.product"].create(
            {
                "name": "SI GTIN Scanner",
                "is_storable": True,
                "tracking": "serial",
                "barcode": "4006381333931",
            }
        )
        _receipt, mine = self.receive(["DUP-1"], product=gtin_product)
        _receipt, other = self.receive(["DUP-1"])
        typed = self.claim("DUP-1")
        self.assertFalse(typed.lot_id)
        with Form(typed) as form:
            form.lot_id = other
        self.assertEqual(typed.lot_id, other)
        for scan in (
            "]d20104006381333931\x1d21DUP-1",
            "https://id.gs1.org/01/04006381333931/21/DUP-1",
        ):
            claim = self.claim(scan)
            self.assertEqual((claim.serial_name, claim.lot_id), ("DUP-1", mine), scan)
        created = self.env["serial.warranty.claim"].create(
            {
                "serial_name": "(01) 04006381333931 (21) DUP-1",
                "partner_id": self.customer.id,
                "description": "Scanned from the label text",
            }
        )
        self.assertEqual((created.serial_name, created.lot_id), ("DUP-1", mine))


@tagged("post_install", "-at_install")
class TestWarrantyClaimUi(HttpCase):
    def test_claim_tour(self):
        """A warranty user scans a serial sold before the addon (its warranty
        entered by hand) and submits the claim."""
        product = self.env["product.product"].create(
            {"name": "SI Claim Scanner", "is_storable": True, "tracking": "serial"}
        )
        lot = self.env["stock.lot"].create({"name": "SICLAIM-1", "product_id": product.id})
        customer = self.env["res.partner"].create({"name": "SI Claim Customer"})
        policy = self.env["serial.warranty.policy"].create({"name": "SI Tour 12 months"})
        warranty = self.env["serial.warranty"].create(
            {
                "lot_id": lot.id,
                "partner_id": customer.id,
                "policy_id": policy.id,
                "delivery_date": fields.Date.context_today(self.env.user),
            }
        )
        user = new_test_user(self.env, "si_claim_tour_user", groups="stock.group_stock_user")
        self.start_tour(
            "/odoo/action-serialized_inventory.serial_warranty_claim_action",
            "serialized_inventory_warranty_claim",
            login=user.login,
        )
        claim = self.env["serial.warranty.claim"].search([("lot_id", "=", lot.id)])
        self.assertRecordValues(
            claim,
            [{"state": "submitted", "warranty_id": warranty.id, "partner_id": customer.id}],
        )
        self.assertTrue(all(claim.check_ids.mapped("passed")))
