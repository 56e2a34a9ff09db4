# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


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
        for src, dest, picking_type, partner, lines in (
            (
                supplier,
                warehouse.lot_stock_id,
                warehouse.in_type_id,
                False,
                [{"lot_name": "TOUR-RC-1"}, {"lot_name": "TOUR-RC-2"}],
            ),
            (warehouse.lot_stock_id, customers, warehouse.out_type_id, customer, None),
        ):
            if lines is None:
                lines = [{"lot_id": env["stock.lot"].search([("name", "=", "TOUR-RC-2")]).id}]
            picking = env["stock.picking"].create(
                {
                    "picking_type_id": picking_type.id,
                    "location_id": src.id,
                    "location_dest_id": dest.id,
                    "partner_id": partner and partner.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": product.name,
                                "product_id": product.id,
                                "product_uom_qty": len(lines),
                                "location_id": src.id,
                                "location_dest_id": dest.id,
                            }
                        )
                    ],
                }
            )
            picking.action_confirm()
            picking.move_ids.move_line_ids.unlink()
            picking.move_ids.write(
                {
                    "move_line_ids": [
                        Command.create(
                            dict(
                                line,
                                product_id=product.id,
                                quantity=1,
                                location_id=src.id,
                                location_dest_id=dest.id,
                                picking_id=picking.id,
                            )
                        )
                        for line in lines
                    ],
                    "picked": True,
                }
            )
            picking.button_validate()
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
