# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
from contextlib import contextmanager

from odoo import Command
from odoo.tests import TransactionCase
from odoo.tools import mute_logger


def validated_transfer(env, picking_type, src, dest, product, line_vals, partner=None):
    """A transfer of ``product`` with one line of one unit per ``line_vals``
    (``lot_id`` or ``lot_name``), confirmed, filled and validated the way a
    user does it."""
    picking = env["stock.picking"].create(
        {
            "picking_type_id": picking_type.id,
            "location_id": src.id,
            "location_dest_id": dest.id,
            "partner_id": partner.id if partner else False,
            "move_ids": [
                Command.create(
                    {
                        "name": product.name,
                        "product_id": product.id,
                        "product_uom_qty": len(line_vals),
                        "product_uom": product.uom_id.id,
                        "location_id": src.id,
                        "location_dest_id": dest.id,
                    }
                )
            ],
        }
    )
    picking.action_confirm()
    move = picking.move_ids
    move.move_line_ids.unlink()
    move.write(
        {
            "move_line_ids": [
                Command.create(
                    dict(
                        vals,
                        product_id=product.id,
                        quantity=1,
                        location_id=src.id,
                        location_dest_id=dest.id,
                        picking_id=picking.id,
                    )
                )
                for vals in line_vals
            ],
            "picked": True,
        }
    )
    picking.button_validate()
    return picking


class SerialCommon(TransactionCase):
    """A serial-tracked product, a vendor, two customers and helpers that run
    pickings the way a user validates them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.stock = cls.warehouse.lot_stock_id
        cls.supplier_loc = cls.env.ref("stock.stock_location_suppliers")
        cls.customer_loc = cls.env.ref("stock.stock_location_customers")
        cls.transit_loc = cls.env["stock.location"].create(
            {"name": "SI Transit", "usage": "transit", "company_id": cls.env.company.id}
        )
        cls.vendor = cls.env["res.partner"].create({"name": "SI Vendor"})
        cls.customer = cls.env["res.partner"].create({"name": "SI Customer", "is_company": True})
        cls.customer_contact = cls.env["res.partner"].create(
            {"name": "SI Customer Dock", "parent_id": cls.customer.id, "type": "delivery"}
        )
        cls.other_customer = cls.env["res.partner"].create({"name": "SI Other Customer"})
        cls.product = cls.env["product.product"].create(
            {"name": "SI Scanner", "is_storable": True, "tracking": "serial"}
        )
        cls.picking_type_in = cls.warehouse.in_type_id
        cls.picking_type_out = cls.warehouse.out_type_id
        cls.picking_type_internal = cls.warehouse.int_type_id

    @contextmanager
    def refused(self, exception, pattern):
        """assertRaises (which rolls back what the block wrote and clears the
        cache, as a failed request would; unlike assertRaisesRegex) with the
        message checked (``.`` matches line breaks too); the query a refusal
        by the database fails is not logged as an error."""
        with self.assertRaises(exception) as caught, mute_logger("odoo.sql_db"):
            yield
        self.assertRegex(str(caught.exception.args[0]), re.compile(pattern, re.DOTALL))

    @classmethod
    def _picking(cls, picking_type, src, dest, lots=None, names=None, partner=None, product=None):
        """Create, fill and validate a transfer of the given serials.

        ``lots`` are existing serials, ``names`` new serial numbers to create.
        """
        line_vals = [{"lot_id": lot.id} for lot in lots or []]
        line_vals += [{"lot_name": name} for name in names or []]
        return validated_transfer(
            cls.env, picking_type, src, dest, product or cls.product, line_vals, partner
        )

    @classmethod
    def confirmed_delivery(cls, env, quantity, location=None, picking_type=None):
        """A confirmed delivery of ``quantity`` units of the product from
        ``location`` (stock) to the customer, made in ``env``."""
        source = location or cls.stock
        picking = env["stock.picking"].create(
            {
                "picking_type_id": (picking_type or cls.picking_type_out).id,
                "location_id": source.id,
                "location_dest_id": cls.customer_loc.id,
                "partner_id": cls.customer.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "out",
                            "product_id": cls.product.id,
                            "product_uom_qty": quantity,
                            "product_uom": cls.product.uom_id.id,
                            "location_id": source.id,
                            "location_dest_id": cls.customer_loc.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        return picking

    @classmethod
    def receive(cls, names, product=None):
        picking = cls._picking(
            cls.picking_type_in,
            cls.supplier_loc,
            cls.stock,
            names=names,
            partner=cls.vendor,
            product=product,
        )
        return picking, picking.move_line_ids.lot_id

    @classmethod
    def deliver(cls, lots, partner=None, src=None):
        return cls._picking(
            cls.picking_type_out,
            src or cls.stock,
            cls.customer_loc,
            lots=lots,
            partner=partner or cls.customer_contact,
            product=lots.product_id,
        )

    @classmethod
    def return_picking(cls, picking, lots):
        wizard = (
            cls.env["stock.return.picking"]
            .with_context(
                active_id=picking.id, active_ids=picking.ids, active_model="stock.picking"
            )
            .create({"picking_id": picking.id})
        )
        for line in wizard.product_return_moves:
            line.quantity = len(lots)
        returned = wizard._create_return()
        returned.move_line_ids.unlink()
        returned.move_ids.write(
            {
                "move_line_ids": [
                    Command.create(
                        {
                            "product_id": lot.product_id.id,
                            "lot_id": lot.id,
                            "quantity": 1,
                            "location_id": returned.location_id.id,
                            "location_dest_id": returned.location_dest_id.id,
                            "picking_id": returned.id,
                        }
                    )
                    for lot in lots
                ],
                "picked": True,
            }
        )
        returned.button_validate()
        return returned


class WarrantyCommon(SerialCommon):
    """Warranty policies on top of the serial flows: a 12-month standard one on
    the product, a 30-day one on a category, a 12-month extended one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Policy = cls.env["serial.warranty.policy"]
        cls.policy = Policy.create({"name": "SI 12 months", "duration": 12})
        cls.category_policy = Policy.create(
            {"name": "SI 30 days", "duration": 30, "duration_unit": "days"}
        )
        cls.extended_policy = Policy.create(
            {"name": "SI extended 12 months", "duration": 12, "policy_type": "extended"}
        )
        cls.category = cls.env["product.category"].create(
            {"name": "SI Warranty Category", "warranty_policy_id": cls.category_policy.id}
        )
        cls.product.write({"warranty_policy_id": cls.policy.id, "categ_id": cls.category.id})

    @classmethod
    def warranties(cls, lots):
        return cls.env["serial.warranty"].search([("lot_id", "in", lots.ids)], order="id")
