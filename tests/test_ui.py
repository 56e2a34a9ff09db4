# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date
from unittest.mock import patch

from odoo import Command
from odoo.tests import HttpCase, tagged

from ..lib import serial_format
from ..reports.report_serial_label import ReportSerialLabel


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

    def test_format_rule_tour(self):
        """A stock manager writes a rule, reads its preview and tries serials."""
        rule = serial_format.FormatRule("TS-{seq:5}{check:luhn}")
        # the serials and messages the tour expects
        self.assertEqual(rule.generate(1, 2, date=date.today()), ["TS-000018", "TS-000026"])
        self.assertEqual(rule.validate("TS-000010").message, "check digit should be 8")
        self.assertEqual(rule.validate("TS-00001").message, "expected 9 characters, got 8")
        with self.assertRaises(serial_format.FormatError) as caught:
            serial_format.FormatRule("TS-{seq:5")
        self.assertIn("is not closed by", caught.exception.message)
        manager = self.env["res.users"].create(
            {
                "name": "SI Tour Manager",
                "login": "si_tour_manager",
                "password": "si_tour_manager",
                "groups_id": [Command.set([self.env.ref("stock.group_stock_manager").id])],
            }
        )
        self.start_tour(
            "/odoo/action-serialized_inventory.serial_format_rule_action",
            "serialized_inventory_format_rule",
            login=manager.login,
        )
        saved = self.env["serial.format.rule"].search([("name", "=", "Tour Scanners")])
        self.assertEqual(saved.template, "TS-{seq:5}{check:luhn}")
        self.assertEqual(saved.create_uid, manager)

    def test_generate_serials_tour(self):
        """A stock user fills a receipt with the format rule's serials from the
        move's detailed operations and validates it."""
        env = self.env
        rule = env["serial.format.rule"].create(
            {"name": "Tour Meters", "template": "TM-{seq:5}{check:luhn}"}
        )
        product = env["product.product"].create(
            {
                "name": "SI Tour Meter",
                "is_storable": True,
                "tracking": "serial",
                "serial_format_rule_id": rule.id,
            }
        )
        supplier = env.ref("stock.stock_location_suppliers")
        stock = env.ref("stock.warehouse0").lot_stock_id
        receipt = env["stock.picking"].create(
            {
                "picking_type_id": env.ref("stock.picking_type_in").id,
                "location_id": supplier.id,
                "location_dest_id": stock.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": 3,
                            "location_id": supplier.id,
                            "location_dest_id": stock.id,
                        }
                    )
                ],
            }
        )
        receipt.action_confirm()
        user = self.env["res.users"].create(
            {
                "name": "SI Tour Receiver",
                "login": "si_tour_receiver",
                "password": "si_tour_receiver",
                "groups_id": [
                    Command.set(
                        [
                            env.ref("stock.group_stock_user").id,
                            env.ref("stock.group_production_lot").id,
                        ]
                    )
                ],
            }
        )
        self.start_tour(
            f"/odoo/action-stock.action_picking_tree_all/{receipt.id}",
            "serialized_inventory_generate_serials",
            login=user.login,
        )
        self.assertEqual(receipt.state, "done")
        lots = receipt.move_line_ids.lot_id
        self.assertEqual(
            sorted(lots.mapped("name")), rule._engine().generate(1, 3, date=date.today())
        )
        self.assertEqual(set(lots.mapped("lifecycle_state")), {"in_stock"})

    def test_label_printing_tour(self):
        """Labels print from the Print menu and from the wizard, downloaded by the
        web client's handler of ReportLab reports."""
        product = self.env["product.product"].create(
            {"name": "SI Tour Label", "is_storable": True, "tracking": "serial"}
        )
        lot = self.env["stock.lot"].create({"name": "SITOUR-LBL-1", "product_id": product.id})
        user = self.env["res.users"].create(
            {
                "name": "SI Tour Printer",
                "login": "si_tour_printer",
                "password": "si_tour_printer",
                "groups_id": [
                    Command.set(
                        [
                            self.env.ref("stock.group_stock_user").id,
                            self.env.ref("stock.group_production_lot").id,
                        ]
                    )
                ],
            }
        )
        rendered = []
        original = ReportSerialLabel._render_reportlab

        def render(report, lots, data):
            pdf = original(report, lots, data)
            rendered.append((lots.ids, data.get("layout"), data.get("copies"), pdf[:5]))
            return pdf

        with patch.object(ReportSerialLabel, "_render_reportlab", render):
            self.start_tour(
                "/odoo/action-serialized_inventory.stock_lot_action_serial",
                "serialized_inventory_labels",
                login=user.login,
            )
        self.assertEqual(
            rendered,
            [(lot.ids, None, None, b"%PDF-"), (lot.ids, "thermal_4x6", 2, b"%PDF-")],
        )

    def test_sscc_pallet_tour(self):
        """A stock user scans a pallet's SSCC, reads its contents and creates a
        case, named by a generated SSCC."""
        env = self.env
        env.company.write({"gs1_company_prefix": "0614141", "sscc_extension_digit": "1"})
        stock = env.ref("stock.warehouse0").lot_stock_id
        case_type, pallet_type = env["stock.package.type"].create(
            [
                {"name": "SI Tour Case", "sscc_level": "case"},
                {"name": "SI Tour Pallet", "sscc_level": "pallet"},
            ]
        )
        product = env["product.product"].create(
            {"name": "SI Tour Drill", "is_storable": True, "tracking": "serial"}
        )
        lot = env["stock.lot"].create({"name": "SITOUR-SSCC-1", "product_id": product.id})
        pallet = env["stock.quant.package"].create(
            {"name": "106141411234567897", "package_type_id": pallet_type.id}
        )
        case = env["stock.quant.package"].create({"package_type_id": case_type.id})
        env["stock.quant"]._update_available_quantity(
            product, stock, 1, lot_id=lot, package_id=case
        )
        case.parent_id = pallet
        self.assertEqual(lot.sscc_pallet_id, pallet)
        user = self.env["res.users"].create(
            {
                "name": "SI Tour Packer",
                "login": "si_tour_packer",
                "password": "si_tour_packer",
                "groups_id": [
                    Command.set(
                        [
                            env.ref("stock.group_stock_user").id,
                            env.ref("stock.group_tracking_lot").id,
                            env.ref("stock.group_production_lot").id,
                        ]
                    )
                ],
            }
        )
        self.start_tour(
            "/odoo/action-stock.action_package_view",
            "serialized_inventory_sscc_pallet",
            login=user.login,
        )
        new_case = env["stock.quant.package"].search(
            [("create_uid", "=", user.id), ("package_type_id", "=", case_type.id)]
        )
        self.assertEqual(len(new_case), 1)
        self.assertTrue(new_case.valid_sscc)
        self.assertTrue(new_case.name.startswith("10614141"))
