# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from ..hooks import backfill_serial_history
from .common import SerialCommon

FIELDS = [
    "lifecycle_state",
    "current_location_id",
    "current_holder_id",
    "first_receipt_date",
    "last_delivery_date",
]
EVENT_FIELDS = [
    "lot_id",
    "event_type",
    "lifecycle_state",
    "location_id",
    "location_dest_id",
    "picking_id",
    "move_line_id",
    "partner_id",
    "date",
]


@tagged("post_install", "-at_install")
class TestBackfill(SerialCommon):
    def test_backfill_rebuilds_history_of_existing_moves(self):
        """Wipe what the hook recorded, as if the moves predated the addon,
        then the install backfill must rebuild exactly the same history."""
        _receipt, lots = self.receive(["BF-1", "BF-2", "BF-3"])
        delivery = self.deliver(lots[:2])
        self.return_picking(delivery, lots[0])
        events = self.env["serial.event"].search([("lot_id", "in", lots.ids)], order="id")
        expected_events = events.read(EVENT_FIELDS, load=None)
        expected_lots = lots.read(FIELDS, load=None)
        self.assertEqual(len(events), 6)

        events.sudo().unlink()
        lots.sudo().write(
            {
                "lifecycle_state": "new",
                "current_location_id": False,
                "current_holder_id": False,
                "first_receipt_date": False,
                "last_delivery_date": False,
            }
        )
        self.env.flush_all()
        backfill_serial_history(self.env)
        self.env.invalidate_all()

        rebuilt = self.env["serial.event"].search([("lot_id", "in", lots.ids)], order="id")
        strip = [{k: v for k, v in row.items() if k != "id"} for row in expected_events]
        self.assertEqual(
            [
                {k: v for k, v in row.items() if k != "id"}
                for row in rebuilt.read(EVENT_FIELDS, load=None)
            ],
            strip,
        )
        self.assertEqual(lots.read(FIELDS, load=None), expected_lots)

    def test_backfill_is_idempotent(self):
        self.receive(["BF-IDEM"])
        before = self.env["serial.event"].search_count([])
        backfill_serial_history(self.env)
        self.assertEqual(self.env["serial.event"].search_count([]), before)
