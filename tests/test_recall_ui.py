# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, new_test_user, tagged

from .common import validated_transfer


@tagged("post_install", "-at_install")
class TestRecallUi(HttpCase):
    def test_recall_tour(self):
        """A recall manager goes from a pasted list to an active campaign with
        its customers' notices queued, in the web client."""
        env = self.env
        warehouse = env.ref("stock.warehouse0")
        supplier = env.ref("stock.stock_location_suppliers")
        customers = env.ref("stock.stock_location_customers")
        product = env["product.product"].create(
            {"name": "SI Tour Heater", "is_storable": True, "tracking": "serial"}
        )
        customer = env["res.partner"].create(
            {"name": "SI Tour Customer", "email": "tour.customer@example.com"}
        )
        receipt = validated_transfer(
            env,
            warehouse.in_type_id,
            supplier,
            warehouse.lot_stock_id,
            product,
            [{"lot_name": "TOUR-RC-1"}, {"lot_name": "TOUR-RC-2"}],
        )
        delivered = receipt.move_line_ids.lot_id.filtered(lambda lot: lot.name == "TOUR-RC-2")
        validated_transfer(
            env,
            warehouse.out_type_id,
            warehouse.lot_stock_id,
            customers,
            product,
            [{"lot_id": delivered.id}],
            customer,
        )
        manager = new_test_user(
            env,
            "si_tour_recall",
            password="si_tour_recall",
            groups="stock.group_stock_manager,serialized_inventory.group_recall_manager",
        )
        self.start_tour(
            "/odoo/action-serialized_inventory.serial_recall_action",
            "serialized_inventory_recall",
            login=manager.login,
        )
        recall = env["serial.recall"].search([("reason", "=", "Tour: cracked housing")])
        self.assertEqual(recall.state, "active")
        self.assertEqual(sorted(recall.line_ids.mapped("lot_id.name")), ["TOUR-RC-1", "TOUR-RC-2"])
        self.assertEqual(recall.unmatched_serials, "TOUR-RC-404")
        self.assertEqual(recall.notice_ids.partner_id, customer)
        self.assertEqual(recall.notice_ids.state, "queued")
