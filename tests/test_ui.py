# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestSerialUi(HttpCase):
    def test_serial_history_tour(self):
        """A stock user finds a delivered serial by its state and opens its
        history from the serial form."""
        env = self.env
        stock = env.ref("stock.warehouse0").lot_stock_id
        product = env["product.product"].create(
            {"name": "SI Tour Drill", "is_storable": True, "tracking": "serial"}
        )
        picking = env["stock.picking"].create(
            {
                "picking_type_id": env.ref("stock.picking_type_in").id,
                "location_id": env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": stock.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": 1,
                            "location_id": env.ref("stock.stock_location_suppliers").id,
                            "location_dest_id": stock.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.move_ids.move_line_ids.write({"lot_name": "SITOUR-0001", "quantity": 1})
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.move_line_ids.lot_id.lifecycle_state, "in_stock")
        user = self.env["res.users"].create(
            {
                "name": "SI Tour User",
                "login": "si_tour_user",
                "password": "si_tour_user",
                "groups_id": [Command.set([env.ref("stock.group_stock_user").id])],
            }
        )
        self.start_tour(
            "/odoo/action-serialized_inventory.stock_lot_action_serial",
            "serialized_inventory_serial_history",
            login=user.login,
        )
