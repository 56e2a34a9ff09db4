# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from psycopg2 import errors as pg_errors

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL, mute_logger

from .common import SerialCommon, validated_transfer

# what an event says happened, which deleting a record must not rewrite
EVENT_FIELDS = ["location_id", "location_dest_id", "picking_id", "partner_id", "user_id"]


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


@tagged("post_install", "-at_install")
class TestLedgerReferences(SerialCommon):
    """The records an event names (partner, user, locations, transfer) cannot
    be deleted while it names them: the history would be rewritten."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mover = new_test_user(cls.env, "si_ledger_mover", groups="stock.group_stock_manager")
        cls.shelf = cls.env["stock.location"].create(
            {"name": "SI Ledger Shelf", "location_id": cls.stock.id}
        )
        cls.partner = cls.env["res.partner"].create({"name": "SI Ledger Customer"})
        cls.receive(["LR-1"])
        lot = cls.env["stock.lot"].search([("name", "=", "LR-1")])
        cls._picking(cls.picking_type_internal, cls.stock, cls.shelf, lots=lot)
        cls.delivery = validated_transfer(
            cls.env(user=cls.mover),
            cls.picking_type_out,
            cls.shelf,
            cls.customer_loc,
            cls.product,
            [{"lot_id": lot.id}],
            partner=cls.partner,
        )
        cls.event = lot.serial_event_ids.filtered(lambda e: e.event_type == "delivery")

    def test_deleting_what_an_event_names_is_refused(self):
        self.assertRecordValues(
            self.event,
            [
                {
                    "location_id": self.shelf.id,
                    "partner_id": self.partner.id,
                    "user_id": self.mover.id,
                    "picking_id": self.delivery.id,
                }
            ],
        )
        before = self.event.read(EVENT_FIELDS)
        for record, name in (
            (self.partner, "SI Ledger Customer"),
            (self.mover, "si_ledger_mover"),
            (self.shelf, "SI Ledger Shelf"),
        ):
            with self.subTest(model=record._name):
                with self.assertRaisesRegex(UserError, f"{name}.*serial history.*LR-1: Delivery"):
                    record.unlink()
        # a done transfer: Odoo already refuses to delete its moves
        with self.assertRaises(UserError):
            self.delivery.unlink()
        self.env.invalidate_all()
        self.assertEqual(self.event.read(EVENT_FIELDS), before)

    def test_the_database_refuses_too(self):
        """Code that deletes without the ORM gets the foreign key's refusal
        instead of events rewritten to 'nobody', 'nowhere'."""
        for record, column in (
            (self.partner, "partner_id"),
            (self.mover, "user_id"),
            (self.delivery, "picking_id"),
        ):
            with self.subTest(column=column):
                with (
                    self.assertRaises(pg_errors.ForeignKeyViolation) as caught,
                    mute_logger("odoo.sql_db"),
                    self.env.cr.savepoint(),
                ):
                    self.env.cr.execute(
                        SQL(
                            "DELETE FROM %s WHERE id = %s",
                            SQL.identifier(record._table),
                            record.id,
                        )
                    )
                self.assertEqual(
                    caught.exception.diag.constraint_name, f"serial_event_{column}_fkey"
                )

    def test_records_outside_the_ledger_can_still_be_deleted(self):
        partner = self.env["res.partner"].create({"name": "SI Never Delivered"})
        shelf = self.env["stock.location"].create(
            {"name": "SI Empty Shelf", "location_id": self.stock.id}
        )
        partner.unlink()
        shelf.unlink()
        self.assertFalse(partner.exists() or shelf.exists())
