# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import tagged

from .common import SerialCommon


@tagged("post_install", "-at_install")
class TestLifecycle(SerialCommon):
    def assertSerial(self, lot, state, location, holder=None):
        self.assertRecordValues(
            lot,
            [
                {
                    "lifecycle_state": state,
                    "current_location_id": location.id,
                    "current_holder_id": holder.id if holder else False,
                }
            ],
        )

    def last_event(self, lot):
        return self.env["serial.event"].search([("lot_id", "=", lot.id)], order="id desc", limit=1)

    def test_new_serial_is_not_received(self):
        lot = self.env["stock.lot"].create({"name": "LC-NEW", "product_id": self.product.id})
        self.assertEqual(lot.lifecycle_state, "new")
        self.assertFalse(lot.serial_event_ids)

    def test_receipt(self):
        picking, lots = self.receive(["LC-R1", "LC-R2"])
        self.assertEqual(len(lots), 2)
        for lot in lots:
            self.assertSerial(lot, "in_stock", self.stock)
            self.assertEqual(lot.first_receipt_date, picking.move_line_ids[0].date)
            self.assertFalse(lot.last_delivery_date)

    def test_delivery_sets_holder_and_date(self):
        _picking, lots = self.receive(["LC-D1"])
        delivery = self.deliver(lots)
        self.assertSerial(lots, "delivered", self.customer_loc, self.customer_contact)
        self.assertEqual(lots.last_delivery_date, delivery.move_line_ids.date)

    def test_two_step_delivery_through_transit(self):
        _picking, lots = self.receive(["LC-T1"])
        self._picking(
            self.picking_type_internal,
            self.stock,
            self.transit_loc,
            lots=lots,
        )
        self.assertSerial(lots, "in_transit", self.transit_loc)
        self.deliver(lots, src=self.transit_loc)
        self.assertSerial(lots, "delivered", self.customer_loc, self.customer_contact)
        self.assertEqual(
            lots.serial_event_ids.sorted("id").mapped("event_type"),
            ["receipt", "transit", "delivery"],
        )

    def test_return_then_redelivery(self):
        _picking, lots = self.receive(["LC-RET1", "LC-RET2"])
        delivery = self.deliver(lots)
        returned_lot = lots[0]
        self.return_picking(delivery, returned_lot)
        self.assertSerial(returned_lot, "returned", self.stock)
        self.assertSerial(lots[1], "delivered", self.customer_loc, self.customer_contact)
        # moving a returned unit inside the warehouse keeps it "returned"
        shelf = self.env["stock.location"].create(
            {"name": "SI Shelf", "usage": "internal", "location_id": self.stock.id}
        )
        self._picking(self.picking_type_internal, self.stock, shelf, lots=returned_lot)
        self.assertSerial(returned_lot, "returned", shelf)
        self.deliver(returned_lot, partner=self.other_customer, src=shelf)
        self.assertSerial(returned_lot, "delivered", self.customer_loc, self.other_customer)

    def test_vendor_return(self):
        _picking, lots = self.receive(["LC-V1"])
        self._picking(
            self.warehouse.out_type_id,
            self.stock,
            self.supplier_loc,
            lots=lots,
            partner=self.vendor,
        )
        self.assertSerial(lots, "vendor_returned", self.supplier_loc, self.vendor)

    def test_scrap(self):
        _picking, lots = self.receive(["LC-S1"])
        scrap = self.env["stock.scrap"].create(
            {
                "product_id": self.product.id,
                "lot_id": lots.id,
                "scrap_qty": 1,
                "location_id": self.stock.id,
            }
        )
        scrap.action_validate()
        self.assertSerial(lots, "scrapped", scrap.scrap_location_id)
        self.assertEqual(self.last_event(lots).event_type, "scrap")

    def test_inventory_adjustment_loss_and_gain(self):
        _picking, lots = self.receive(["LC-I1"])
        quant = self.env["stock.quant"].search(
            [("lot_id", "=", lots.id), ("location_id", "=", self.stock.id)]
        )
        quant.with_context(inventory_mode=True).inventory_quantity = 0
        quant.action_apply_inventory()
        self.assertEqual(lots.lifecycle_state, "lost")
        self.assertEqual(lots.current_location_id.usage, "inventory")
        self.assertEqual(self.last_event(lots).event_type, "adjustment_out")
        # found again at the next count
        self.env["stock.quant"].with_context(inventory_mode=True).create(
            {
                "product_id": self.product.id,
                "location_id": self.stock.id,
                "lot_id": lots.id,
                "inventory_quantity": 1,
            }
        ).action_apply_inventory()
        self.assertSerial(lots, "in_stock", self.stock)
        self.assertEqual(self.last_event(lots).event_type, "adjustment_in")

    def test_inventory_gain_of_unknown_serial_sets_first_receipt(self):
        lot = self.env["stock.lot"].create({"name": "LC-I2", "product_id": self.product.id})
        self.env["stock.quant"].with_context(inventory_mode=True).create(
            {
                "product_id": self.product.id,
                "location_id": self.stock.id,
                "lot_id": lot.id,
                "inventory_quantity": 1,
            }
        ).action_apply_inventory()
        self.assertSerial(lot, "in_stock", self.stock)
        self.assertTrue(lot.first_receipt_date)

    def test_lot_tracked_products_are_not_in_the_ledger(self):
        lot_product = self.env["product.product"].create(
            {"name": "SI Screws", "is_storable": True, "tracking": "lot"}
        )
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.picking_type_in.id,
                "location_id": self.supplier_loc.id,
                "location_dest_id": self.stock.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "screws",
                            "product_id": lot_product.id,
                            "product_uom_qty": 10,
                            "product_uom": lot_product.uom_id.id,
                            "location_id": self.supplier_loc.id,
                            "location_dest_id": self.stock.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.move_ids.move_line_ids.write({"lot_name": "BATCH-1", "quantity": 10})
        picking.move_ids.picked = True
        picking.button_validate()
        lot = picking.move_line_ids.lot_id
        self.assertTrue(lot)
        self.assertFalse(lot.serial_event_ids)
        self.assertEqual(lot.lifecycle_state, "new")
