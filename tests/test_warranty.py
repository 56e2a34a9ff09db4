# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from ..hooks import backfill_serial_history
from .common import WarrantyCommon
from .pdf_tools import pdf_text


@tagged("post_install", "-at_install")
class TestWarrantyLifecycle(WarrantyCommon):
    def test_delivery_creates_one_warranty_per_serial(self):
        with freeze_time("2025-03-15 10:00:00"):
            _receipt, lots = self.receive(["W-1", "W-2", "W-3"])
            self.deliver(lots[:2])
        warranties = self.warranties(lots)
        self.assertEqual(warranties.lot_id, lots[:2])
        for warranty in warranties:
            self.assertRecordValues(
                warranty,
                [
                    {
                        # the delivery contact's company is the customer
                        "partner_id": self.customer.id,
                        "policy_id": self.policy.id,
                        "state": "active",
                        "delivery_date": date(2025, 3, 15),
                        "start_date": date(2025, 3, 15),
                        "end_date": date(2026, 3, 14),
                        "start_source": "delivery",
                    }
                ],
            )
            self.assertEqual(warranty.delivery_event_id.event_type, "delivery")

    def test_product_policy_wins_over_category(self):
        other = self.env["product.product"].create(
            {
                "name": "SI Category Only",
                "is_storable": True,
                "tracking": "serial",
                "categ_id": self.category.id,
            }
        )
        with freeze_time("2025-03-15 10:00:00"):
            _receipt, own = self.receive(["PW-1"])
            _receipt, by_category = self.receive(["PC-1"], product=other)
            self.deliver(own)
            self.deliver(by_category)
        self.assertEqual(self.warranties(own).policy_id, self.policy)
        self.assertEqual(self.warranties(by_category).policy_id, self.category_policy)
        self.assertEqual(self.warranties(by_category).end_date, date(2025, 4, 13))

    def test_no_policy_no_warranty(self):
        plain = self.env["product.product"].create(
            {"name": "SI No Warranty", "is_storable": True, "tracking": "serial"}
        )
        _receipt, lots = self.receive(["NW-1"], product=plain)
        self.deliver(lots)
        self.assertFalse(self.warranties(lots))

    def test_warranties_of_a_delivery_take_constant_queries(self):
        self.product.write(
            {
                "warranty_policy_id": False,
                "categ_id": self.env.ref("product.product_category_all").id,
            }
        )
        _receipt, lots = self.receive([f"B-{i}" for i in range(65)])
        self.deliver(lots)
        self.assertFalse(self.warranties(lots))
        self.product.warranty_policy_id = self.policy
        counts = []
        # the first group warms the caches that do not depend on the serials
        for group in (lots[:5], lots[5:15], lots[15:]):
            events = self.env["serial.event"].search(
                [("lot_id", "in", group.ids), ("event_type", "=", "delivery")]
            )
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            self.env["serial.warranty"]._sync_from_serial_events(events)
            self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - start)
        self.assertEqual(counts[1], counts[2], "queries must not grow with the serials")
        self.assertEqual(len(self.warranties(lots)), 65)

    def test_return_voids_and_redelivery_starts_a_new_warranty(self):
        with freeze_time("2025-03-15 10:00:00"):
            _receipt, lots = self.receive(["R-1"])
            delivery = self.deliver(lots)
        with freeze_time("2025-05-01 10:00:00"):
            self.return_picking(delivery, lots)
        first = self.warranties(lots)
        self.assertRecordValues(first, [{"state": "void", "closed_date": date(2025, 5, 1)}])
        with freeze_time("2025-06-10 10:00:00"):
            self.deliver(lots, partner=self.other_customer)
        second = self.warranties(lots) - first
        self.assertRecordValues(
            second,
            [
                {
                    "partner_id": self.other_customer.id,
                    "state": "active",
                    "start_date": date(2025, 6, 10),
                    "end_date": date(2026, 6, 9),
                }
            ],
        )
        self.assertEqual(first.state, "void")

    def test_return_suspends_and_redelivery_resumes_what_was_left(self):
        self.policy.on_return = "suspend"
        with freeze_time("2025-03-15 10:00:00"):
            _receipt, lots = self.receive(["S-1"])
            delivery = self.deliver(lots)
        with freeze_time("2025-04-14 10:00:00"):
            self.return_picking(delivery, lots)
        first = self.warranties(lots)
        self.assertRecordValues(first, [{"state": "suspended", "closed_date": date(2025, 4, 14)}])
        # 15 March 2025 - 14 March 2026 with 30 days used: 335 days are left
        with freeze_time("2025-07-01 10:00:00"):
            self.deliver(lots)
        second = self.warranties(lots) - first
        self.assertRecordValues(
            second,
            [
                {
                    "state": "active",
                    "start_source": "resumed",
                    "start_date": date(2025, 7, 1),
                    "end_date": date(2026, 5, 31),
                    "predecessor_id": first.id,
                }
            ],
        )
        self.assertEqual(first.state, "transferred")

    def test_suspended_warranty_is_void_when_delivered_to_another_customer(self):
        self.policy.on_return = "suspend"
        _receipt, lots = self.receive(["S-2"])
        delivery = self.deliver(lots)
        self.return_picking(delivery, lots)
        self.deliver(lots, partner=self.other_customer)
        first, second = self.warranties(lots)
        self.assertEqual(first.state, "void")
        self.assertEqual(second.start_source, "delivery")
        self.assertEqual(second.partner_id, self.other_customer)

    def test_registration_trigger_waits_for_the_registration(self):
        self.policy.start_trigger = "registration"
        with freeze_time("2025-03-15 10:00:00"):
            _receipt, lots = self.receive(["REG-1"])
            self.deliver(lots)
        warranty = self.warranties(lots)
        self.assertRecordValues(
            warranty, [{"state": "pending", "start_date": False, "end_date": False}]
        )
        with self.assertRaises(ValidationError):
            warranty.registration_date = date(2025, 3, 1)
        user = new_test_user(self.env, "si_registering_user", groups="stock.group_stock_user")
        with freeze_time("2025-04-02"):
            with Form(warranty.with_user(user)) as form:
                form.registration_date = date(2025, 4, 1)
        self.assertRecordValues(
            warranty,
            [
                {
                    "state": "active",
                    "start_date": date(2025, 4, 1),
                    "end_date": date(2026, 3, 31),
                    "start_source": "registration",
                }
            ],
        )

    def test_invoice_trigger_falls_back_to_the_delivery_date(self):
        """Without sale_stock the moves know no sale line: the delivery date is
        used and the warranty says so."""
        self.assertNotIn("sale_line_id", self.env["stock.move"]._fields)
        self.policy.start_trigger = "invoice"
        with freeze_time("2025-03-15 10:00:00"):
            _receipt, lots = self.receive(["INV-1"])
            self.deliver(lots)
        self.assertRecordValues(
            self.warranties(lots),
            [{"start_date": date(2025, 3, 15), "start_source": "invoice_fallback"}],
        )
        # the daily job has no invoice to look for either
        with freeze_time("2025-03-16"):
            self.assertFalse(self.env["serial.warranty"]._start_on_invoice_dates())
        self.assertEqual(self.warranties(lots).start_source, "invoice_fallback")

    def test_cron_expires_warranties(self):
        with freeze_time("2025-03-15 10:00:00"):
            _receipt, lots = self.receive(["EXP-1", "EXP-2"])
            self.deliver(lots[0])
        with freeze_time("2025-06-01 10:00:00"):
            self.deliver(lots[1])
        first, second = self.warranties(lots)
        with freeze_time("2026-03-14"):
            self.env["serial.warranty"]._cron_expire()
        self.assertEqual((first.state, second.state), ("active", "active"))
        with freeze_time("2026-03-15"):
            self.env["serial.warranty"]._cron_expire()
        self.assertEqual((first.state, second.state), ("expired", "active"))
        self.assertEqual(lots[0].warranty_state, "expired")

    def test_cron_schedules_reminders_once(self):
        self.policy.write({"reminder_days": 30, "reminder_user_id": self.env.user.id})
        with freeze_time("2025-03-15 10:00:00"):
            _receipt, lots = self.receive(["REM-1"])
            self.deliver(lots)
        warranty = self.warranties(lots)
        with freeze_time("2026-02-11"):
            self.env["serial.warranty"]._cron_expire()
        self.assertFalse(warranty.activity_ids)
        with freeze_time("2026-02-12"):
            self.env["serial.warranty"]._cron_expire()
            self.env["serial.warranty"]._cron_expire()
        self.assertRecordValues(
            warranty.activity_ids,
            [{"date_deadline": date(2026, 3, 14), "user_id": self.env.user.id}],
        )
        self.assertTrue(warranty.reminder_sent)
        # a policy without reminders sends none
        self.category_policy.reminder_days = 0
        with self.assertRaises(ValidationError):
            self.category_policy.reminder_days = 5

    def test_serial_form_shows_the_warranty(self):
        with freeze_time("2025-03-15 10:00:00"):
            _receipt, lots = self.receive(["FORM-1"])
            self.deliver(lots)
            self.env["serial.warranty"].create(
                {"lot_id": lots.id, "policy_id": self.extended_policy.id}
            )
            form = Form(lots)
            self.assertEqual(form.warranty_state, "active")
            # the extended warranty follows the standard one
            self.assertEqual(form.warranty_end_date, "2027-03-14")
        extended = self.warranties(lots)[1]
        self.assertRecordValues(
            extended,
            [
                {
                    "partner_id": self.customer.id,
                    "start_date": date(2026, 3, 15),
                    "end_date": date(2027, 3, 14),
                    "start_source": "manual",
                    "policy_type": "extended",
                }
            ],
        )

    def test_extended_warranty_needs_a_standard_one(self):
        _receipt, lots = self.receive(["EXT-1"])
        with self.assertRaises(UserError):
            self.env["serial.warranty"].create(
                {"lot_id": lots.id, "policy_id": self.extended_policy.id}
            )

    def test_manual_warranty_for_a_serial_sold_before_the_addon(self):
        _receipt, lots = self.receive(["OLD-1"])
        with freeze_time("2025-01-10"):
            with Form(self.env["serial.warranty"]) as form:
                form.lot_id = lots
                form.partner_id = self.customer_contact
                form.policy_id = self.policy
                form.delivery_date = date(2024, 11, 2)
            warranty = form.record
        self.assertRecordValues(
            warranty,
            [
                {
                    "partner_id": self.customer.id,
                    "start_date": date(2024, 11, 2),
                    "end_date": date(2025, 11, 1),
                    "state": "active",
                    "start_source": "manual",
                    "company_id": lots.company_id.id or self.env.company.id,
                }
            ],
        )
        with freeze_time("2025-01-10"):
            old = self.env["serial.warranty"].create(
                {
                    "lot_id": self.receive(["OLD-2"])[1].id,
                    "partner_id": self.customer.id,
                    "policy_id": self.policy.id,
                    "delivery_date": "2023-06-01",
                }
            )
        self.assertEqual(old.state, "expired")

    def test_backfill_creates_warranties_from_past_deliveries(self):
        """Deliveries made before a policy existed get their warranty from the
        ledger: from the policy's button, and from the install backfill."""
        self.product.warranty_policy_id = False
        self.product.categ_id = self.env.ref("product.product_category_all")
        with freeze_time("2025-03-15 10:00:00"):
            _receipt, lots = self.receive(["BF-W1", "BF-W2"])
            delivery = self.deliver(lots)
        with freeze_time("2025-04-01 10:00:00"):
            self.return_picking(delivery, lots[1])
        self.assertFalse(self.warranties(lots))
        self.product.warranty_policy_id = self.policy
        with freeze_time("2025-05-01"):
            self.policy.action_create_past_warranties()
        first, second = self.warranties(lots)
        self.assertEqual(first.end_date, date(2026, 3, 14))
        self.assertRecordValues(
            first + second,
            [
                {"lot_id": lots[0].id, "state": "active", "closed_date": False},
                {"lot_id": lots[1].id, "state": "void", "closed_date": date(2025, 4, 1)},
            ],
        )
        # again: nothing new
        self.policy.action_create_past_warranties()
        self.assertEqual(len(self.warranties(lots)), 2)
        # the install backfill replays the ledger through the same hook
        (first + second).unlink()
        self.env["serial.event"].sudo().search([("lot_id", "in", lots.ids)]).unlink()
        with freeze_time("2025-05-01"):
            backfill_serial_history(self.env)
        self.assertEqual(
            self.warranties(lots).mapped("state"), ["active", "void"], "rebuilt from the moves"
        )

    def test_traceability_pdf_shows_the_warranties(self):
        with freeze_time("2025-03-15 10:00:00"):
            _receipt, lots = self.receive(["TR-1"])
            delivery = self.deliver(lots)
        with freeze_time("2025-05-01 10:00:00"):
            self.return_picking(delivery, lots)
        pdf, _kind = self.env["ir.actions.report"]._render(
            "serialized_inventory.action_report_serial_traceability", lots.ids
        )
        text = " ".join(pdf_text(pdf).split())
        self.assertIn("Warranty: SI 12 months", text)
        self.assertIn("Customer SI Customer Status Void Cover 2025-03-15 to 2026-03-14", text)
        self.assertIn("Stopped On 2025-05-01", text)

    def test_suspended_extended_warranty_still_follows_the_standard_one(self):
        self.policy.on_return = "suspend"
        self.extended_policy.on_return = "suspend"
        with freeze_time("2025-03-15 10:00:00"):
            _receipt, lots = self.receive(["SX-1"])
            delivery = self.deliver(lots)
            self.env["serial.warranty"].create(
                {"lot_id": lots.id, "policy_id": self.extended_policy.id}
            )
        with freeze_time("2025-04-14 10:00:00"):
            self.return_picking(delivery, lots)
        with freeze_time("2025-07-01 10:00:00"):
            self.deliver(lots)
        old_standard, old_extended = self.warranties(lots)[:2]
        self.assertEqual((old_standard.state, old_extended.state), ("transferred", "transferred"))
        self.assertRecordValues(
            self.warranties(lots)[2:].sorted("start_date"),
            [
                {
                    "start_date": date(2025, 7, 1),
                    "end_date": date(2026, 5, 31),
                    "predecessor_id": old_standard.id,
                },
                {
                    "start_date": date(2026, 6, 1),
                    "end_date": date(2027, 5, 31),
                    "predecessor_id": old_extended.id,
                },
            ],
        )
