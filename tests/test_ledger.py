# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import SerialCommon


@tagged("post_install", "-at_install")
class TestLedger(SerialCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.receipt, cls.lots = cls.receive(["LG-1", "LG-2", "LG-3"])
        cls.delivery = cls.deliver(cls.lots[:2])

    def test_one_row_per_serial_per_done_move(self):
        events = self.env["serial.event"].search([("lot_id", "in", self.lots.ids)])
        self.assertEqual(len(events), 5)
        delivered = events.filtered(lambda e: e.event_type == "delivery")
        self.assertEqual(delivered.lot_id, self.lots[:2])
        self.assertRecordValues(
            delivered[:1],
            [
                {
                    "picking_id": self.delivery.id,
                    "partner_id": self.customer_contact.id,
                    "location_id": self.stock.id,
                    "location_dest_id": self.customer_loc.id,
                    "reference": self.delivery.name,
                    "user_id": self.env.uid,
                    "company_id": self.env.company.id,
                    "lifecycle_state": "delivered",
                    "product_id": self.product.id,
                }
            ],
        )
        self.assertEqual(self.lots[0].serial_event_count, 2)

    def test_queries_do_not_grow_with_the_number_of_serials(self):
        """The ledger costs the same number of queries for 5 or 50 serials."""
        ledger = self.env["serial.event"]

        def cost(count, prefix):
            picking, lots = self.receive([f"{prefix}-{i}" for i in range(count)])
            self.env["serial.event"].sudo().search([("lot_id", "in", lots.ids)]).unlink()
            lots.sudo().write({"lifecycle_state": "new", "first_receipt_date": False})
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            events = ledger._record_move_lines(picking.move_line_ids.ids)
            self.env.flush_all()
            self.assertEqual(len(events), count)
            return self.env.cr.sql_log_count - before

        self.assertEqual(cost(5, "Q5"), cost(50, "Q50"))

    def test_recording_twice_writes_nothing(self):
        again = self.env["serial.event"]._record_move_lines(self.receipt.move_line_ids.ids)
        self.assertFalse(again)

    def test_events_cannot_be_modified_or_deleted(self):
        event = self.lots[0].serial_event_ids[:1]
        manager = new_test_user(self.env, "si_ledger_manager", groups="stock.group_stock_manager")
        # no group has write or unlink access to the ledger...
        self.assertFalse(event.with_user(manager).has_access("write"))
        self.assertFalse(event.with_user(manager).has_access("unlink"))
        with self.assertRaises(UserError):
            event.with_user(manager).write({"event_type": "scrap"})
        # ...and even where a customisation grants it, the model refuses
        self.env["ir.model.access"].create(
            {
                "name": "too generous",
                "model_id": self.env["ir.model"]._get_id("serial.event"),
                "group_id": self.env.ref("serialized_inventory.group_serial_manager").id,
                "perm_read": True,
                "perm_write": True,
                "perm_create": True,
                "perm_unlink": True,
            }
        )
        with self.assertRaisesRegex(UserError, "immutable ledger"):
            event.with_user(manager).write({"event_type": "scrap"})
        with self.assertRaisesRegex(UserError, "immutable ledger"):
            event.with_user(manager).unlink()
        with self.assertRaisesRegex(UserError, "immutable ledger"):
            event.with_user(manager).copy()
        # the superuser (migrations, data fixes) still can
        event.sudo().write({"reference": "fixed"})
        self.assertEqual(event.reference, "fixed")

    def test_serial_with_history_cannot_be_deleted_but_archived(self):
        lot = self.lots[2]
        with self.assertRaisesRegex(UserError, "archive them instead"):
            lot.unlink()
        lot.action_archive()
        self.assertFalse(lot.active)
        self.assertTrue(lot.serial_event_ids)
        fresh = self.env["stock.lot"].create({"name": "LG-FRESH", "product_id": self.product.id})
        fresh.unlink()
        self.assertFalse(fresh.exists())

    def test_lifecycle_fields_cannot_be_written_by_hand(self):
        user = self.env.ref("base.user_admin")
        with self.assertRaisesRegex(UserError, "cannot be edited by hand"):
            self.lots[0].with_user(user).write({"lifecycle_state": "scrapped"})
        self.assertEqual(self.lots[0].lifecycle_state, "delivered")

    def test_smart_button_action(self):
        action = self.lots[0].action_view_serial_events()
        self.assertEqual(action["res_model"], "serial.event")
        self.assertEqual(
            self.env["serial.event"].search(action["domain"]), self.lots[0].serial_event_ids
        )
