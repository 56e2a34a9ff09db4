# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import SerialCommon


@tagged("post_install", "-at_install")
class TestGenerateSerialsFromRule(SerialCommon):
    """The "Generate Serials from Rule" button of a receipt move."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls.env["serial.format.rule"].create(
            {"name": "Drills", "template": "DR{seq:6}{check:gs1}", "charset": "digits"}
        )
        cls.product.serial_format_rule_id = cls.rule

    def confirmed_receipt(self, quantity, product=None):
        product = product or self.product
        receipt = self.env["stock.picking"].create(
            {
                "picking_type_id": self.picking_type_in.id,
                "location_id": self.supplier_loc.id,
                "location_dest_id": self.stock.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": quantity,
                            "product_uom": product.uom_id.id,
                            "location_id": self.supplier_loc.id,
                            "location_dest_id": self.stock.id,
                        }
                    )
                ],
            }
        )
        receipt.action_confirm()
        return receipt

    def test_fills_the_empty_lines_then_validates(self):
        receipt = self.confirmed_receipt(5)
        move = receipt.move_ids
        self.assertTrue(move.serial_rule_generates)
        lines = move.move_line_ids
        self.assertEqual(len(lines), 5)
        typed = self.rule._generate(self.product, 1)[0]
        lines[0].lot_name = typed
        move.action_generate_serials_from_rule()
        self.assertEqual(move.move_line_ids, lines, "the empty lines are filled in, not replaced")
        names = lines.mapped("lot_name")
        self.assertEqual(names[0], typed)
        self.assertEqual(len(set(names)), 5)
        for name in names:
            self.assertTrue(self.rule._engine().validate(name).valid, name)
        self.assertEqual([name[:8] for name in names[1:]], [f"DR{n:06d}" for n in range(2, 6)])
        receipt.button_validate()
        self.assertEqual(receipt.state, "done")
        lots = receipt.move_line_ids.lot_id
        self.assertEqual(sorted(lots.mapped("name")), sorted(names))
        self.assertEqual(set(lots.mapped("lifecycle_state")), {"in_stock"})

    def test_splits_lines_and_creates_missing_ones(self):
        shelf = self.env["stock.location"].create(
            {"name": "SI Shelf", "location_id": self.stock.id}
        )
        receipt = self.confirmed_receipt(5)
        move = receipt.move_ids
        move.move_line_ids.unlink()
        # the user put 2 units on a shelf, on one line; 3 units have no line
        two = self.env["stock.move.line"].create(
            dict(move._prepare_move_line_vals(quantity=2), location_dest_id=shelf.id)
        )
        move.action_generate_serials_from_rule()
        lines = move.move_line_ids
        self.assertEqual(len(lines), 5)
        self.assertIn(two, lines)
        self.assertEqual(lines.mapped("quantity"), [1] * 5)
        on_shelf = lines.filtered(lambda line: line.location_dest_id == shelf)
        self.assertEqual(len(on_shelf), 2, "the 2-unit line became two one-unit lines")
        self.assertEqual((lines - on_shelf).location_dest_id, self.stock)
        self.assertEqual(
            sorted(name[:8] for name in lines.mapped("lot_name")),
            [f"DR{n:06d}" for n in range(1, 6)],
        )
        # nothing left to number
        with self.assertRaisesRegex(UserError, "already has a serial number"):
            move.action_generate_serials_from_rule()
        receipt.button_validate()
        self.assertEqual(self.product.with_context(location=shelf.id).qty_available, 2)

    def test_refusals_write_nothing(self):
        plain = self.env["product.product"].create(
            {"name": "SI Plain", "is_storable": True, "tracking": "serial"}
        )
        receipt = self.confirmed_receipt(2, product=plain)
        self.assertFalse(receipt.move_ids.serial_rule_generates)
        with self.assertRaisesRegex(UserError, "SI Plain has no format rule"):
            receipt.move_ids.action_generate_serials_from_rule()

        self.rule.mode = "validate"
        receipt = self.confirmed_receipt(2)
        with self.assertRaisesRegex(UserError, "no format rule that generates"):
            receipt.move_ids.action_generate_serials_from_rule()
        self.rule.mode = "generate"

        delivery = self.env["stock.picking"].create(
            {
                "picking_type_id": self.picking_type_out.id,
                "location_id": self.stock.id,
                "location_dest_id": self.customer_loc.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "out",
                            "product_id": self.product.id,
                            "product_uom_qty": 1,
                            "product_uom": self.product.uom_id.id,
                            "location_id": self.stock.id,
                            "location_dest_id": self.customer_loc.id,
                        }
                    )
                ],
            }
        )
        with self.assertRaisesRegex(UserError, "move to do"):
            delivery.move_ids.action_generate_serials_from_rule()
        delivery.action_confirm()
        with self.assertRaisesRegex(UserError, "does not create new serial numbers"):
            delivery.move_ids.action_generate_serials_from_rule()

        # GTIN product: a rule making serials longer than GS1 AI (21) allows
        self.product.barcode = "4006381333931"
        self.rule.template = "DRILL-{seq:14}{check:gs1}"
        receipt = self.confirmed_receipt(2)
        # (Odoo's assertRaises rolls back to a savepoint, as a failed RPC would)
        with self.assertRaises(ValidationError) as caught:
            receipt.move_ids.action_generate_serials_from_rule()
        self.assertRegex(str(caught.exception), "GS1.*1 to 20 characters, got 21")
        self.assertFalse(any(receipt.move_line_ids.mapped("lot_name")))
        # the numbers taken were given back with the rollback
        self.assertEqual(self.rule._generate(self.product, 1)[0][:20], "DRILL-00000000000001")

    def test_button_in_the_detailed_operations(self):
        receipt = self.confirmed_receipt(2)
        view = self.env.ref("stock.view_stock_move_operations")
        with Form(receipt.move_ids, view=view) as form:
            self.assertTrue(form.serial_rule_generates)
        arch = self.env["stock.move"].get_view(view.id)["arch"]
        self.assertIn('name="action_generate_serials_from_rule"', arch)
