# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Serial quants moved in batch when lines are done end as Odoo moves them.

Each scenario runs twice from the same state, natively (context key
``NATIVE_DONE``) and batched, each time rolled back to a savepoint; the
transfers, their lines and every quant of the product (quantity, reserved
quantity, incoming date, package, owner, company) must be identical, and
the batched run must really have moved quants in batch.
"""

import contextlib
from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from ..models.stock_quant import NATIVE_DONE, SerialDoneBatch, StockQuant
from .common import SerialCommon


class _Rollback(Exception):
    pass


@tagged("post_install", "-at_install")
class TestDoneBatch(SerialCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shelf = cls.env["stock.location"].create(
            {"name": "SI Done Shelf", "location_id": cls.stock.id}
        )

    def age_stock(self):
        """Date the product's quants two days back, so that the incoming
        dates a scenario keeps are told from the ones it sets."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE stock_quant SET in_date = in_date - INTERVAL '2 days' WHERE product_id = %s",
            [self.product.id],
        )
        self.env.invalidate_all()

    def both_ways(self, scenario):
        """Run ``scenario(env)`` natively and batched; return the batched result."""
        results = {}
        for native in (True, False):
            env = self.env(context=dict(self.env.context, **{NATIVE_DONE: native}))
            played = []

            with contextlib.suppress(_Rollback):
                with (
                    patch.object(type(self), "env", env),
                    patch.object(
                        SerialDoneBatch,
                        "update",
                        autospec=True,
                        side_effect=self._spy(played, SerialDoneBatch.update),
                    ),
                ):
                    with self.env.cr.savepoint():
                        results[native] = scenario(env)
                        env.flush_all()
                        results[native] = (results[native], self.quants(env))
                        raise _Rollback
            self.env.invalidate_all()
            if native:
                self.assertFalse(played, "the native run must not batch")
            else:
                self.assertTrue(any(played), "quants must be moved in batch")
                self.batched_calls = played
        self.assertEqual(results[False], results[True])
        return results[False]

    @staticmethod
    def _spy(played, original):
        """Record whether each call was played in batch (True) or went native."""

        def spy(batch, *args):
            result = original(batch, *args)
            played.append(result is not None)
            return result

        return spy

    def quants(self, env):
        recent = fields.Datetime.now() - timedelta(hours=1)
        return sorted(
            (
                quant.lot_id.name or "",
                quant.location_id.complete_name,
                quant.quantity,
                quant.reserved_quantity,
                quant.package_id.name or "",
                quant.owner_id.name or "",
                quant.company_id.name or "",
                # a date set before the scenario, or "now" (set during it)
                "now" if quant.in_date > recent else str(quant.in_date),
            )
            for quant in env["stock.quant"].search([("product_id", "=", self.product.id)])
        )

    @staticmethod
    def lines(*pickings):
        return [
            (
                picking.state,
                sorted(
                    (
                        line.lot_id.name,
                        line.location_id.complete_name,
                        line.location_dest_id.complete_name,
                        line.result_package_id.name or "",
                        line.quantity,
                        line.state,
                    )
                    for line in picking.move_line_ids
                ),
            )
            for picking in pickings
        ]

    def delivery(self, env, quantity):
        picking = self.confirmed_delivery(env, quantity)
        picking.action_assign()
        return picking

    def test_receive_then_deliver(self):
        def scenario(env):
            receipt, _lots = self.receive([f"DB-{n}" for n in range(5)])
            picking = self.delivery(env, 5)
            picking.move_ids.picked = True
            picking.button_validate()
            return self.lines(receipt, picking)

        (receipt, delivery), quants = self.both_ways(scenario)
        self.assertEqual(receipt[0], "done")
        self.assertEqual(delivery[0], "done")
        by_place = {}
        for quant in quants:
            by_place[quant[1]] = by_place.get(quant[1], 0) + quant[2]
        self.assertEqual(
            by_place, {"Partners/Vendors": -5.0, "WH/Stock": 0.0, "Partners/Customers": 5.0}
        )

    def test_backorder_and_partial_return(self):
        self.receive([f"DBO-{n}" for n in range(4)])
        self.age_stock()

        def scenario(env):
            picking = self.delivery(env, 4)
            picking.move_line_ids.sorted("id")[:3].picked = True
            picking.with_context(cancel_backorder=False)._action_done()
            backorder = env["stock.picking"].search([("backorder_id", "=", picking.id)])
            returned = self.return_picking(picking, picking.move_line_ids.lot_id[:2])
            return self.lines(picking, backorder, returned)

        (done, backorder, returned), quants = self.both_ways(scenario)
        self.assertEqual(len(done[1]), 3)
        self.assertEqual(backorder[0], "assigned")
        self.assertEqual(returned[0], "done")
        self.assertEqual(sum(quant[2] for quant in quants if quant[1] == "WH/Stock"), 3)

    def test_serial_reserved_elsewhere_is_freed(self):
        _receipt, lots = self.receive(["DRE-1", "DRE-2"])
        self.age_stock()

        def scenario(env):
            first = self.delivery(env, 2)
            # the second delivery takes a serial the first one reserved
            second = self.deliver(lots[:1], src=self.stock)
            return self.lines(first, second)

        (first, second), quants = self.both_ways(scenario)
        self.assertEqual(second[0], "done")
        self.assertEqual([line[0] for line in first[1]], ["DRE-2"])
        self.assertEqual(sum(quant[3] for quant in quants), 1)

    def test_sub_location_package_and_owner(self):
        lots = self.env["stock.lot"].create(
            [{"name": f"DSP-{n}", "product_id": self.product.id} for n in (1, 2, 3)]
        )
        package = self.env["stock.quant.package"].create({"name": "SI-DONE-PACK"})
        Quant = self.env["stock.quant"]
        Quant._update_available_quantity(self.product, self.shelf, 1, lot_id=lots[0])
        Quant._update_available_quantity(
            self.product, self.stock, 1, lot_id=lots[1], package_id=package
        )
        Quant._update_available_quantity(
            self.product, self.stock, 1, lot_id=lots[2], owner_id=self.vendor
        )
        self.age_stock()

        def scenario(env):
            picking = self.delivery(env, 3)
            out_package = env["stock.quant.package"].create({"name": "SI-DONE-OUT"})
            picking.move_line_ids.filtered(lambda line: not line.package_id).write(
                {"result_package_id": out_package.id}
            )
            picking.move_ids.picked = True
            picking.button_validate()
            return self.lines(picking)

        ((state, lines),), quants = self.both_ways(scenario)
        self.assertEqual(state, "done")
        self.assertEqual(len(lines), 3)
        at_customer = [quant for quant in quants if quant[1] == "Partners/Customers"]
        self.assertIn("SI-DONE-PACK", {quant[4] for quant in at_customer})
        self.assertIn("SI Vendor", {quant[5] for quant in at_customer})

    def test_serial_not_in_stock_goes_negative(self):
        lot = self.env["stock.lot"].create({"name": "DNEG-1", "product_id": self.product.id})

        def scenario(env):
            return self.lines(self.deliver(lot, src=self.stock))

        ((state, _lines),), quants = self.both_ways(scenario)
        self.assertEqual(state, "done")
        self.assertIn(("DNEG-1", "WH/Stock", -1.0), {quant[:3] for quant in quants})

    def test_other_company(self):
        company = self.env["res.company"].create({"name": "SI Done Other Co"})
        self.env.user.company_ids |= company
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", company.id)])

        def scenario(env):
            env = env(context=dict(env.context, allowed_company_ids=[company.id]))
            picking = env["stock.picking"].create(
                {
                    "picking_type_id": warehouse.in_type_id.id,
                    "location_id": self.supplier_loc.id,
                    "location_dest_id": warehouse.lot_stock_id.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": "in",
                                "product_id": self.product.id,
                                "product_uom_qty": 2,
                                "product_uom": self.product.uom_id.id,
                                "location_id": self.supplier_loc.id,
                                "location_dest_id": warehouse.lot_stock_id.id,
                            }
                        )
                    ],
                }
            )
            picking.action_confirm()
            for line, name in zip(picking.move_line_ids, ("DMC-1", "DMC-2"), strict=True):
                line.lot_name = name
            picking.move_ids.picked = True
            picking.button_validate()
            return self.lines(picking)

        ((state, _lines),), quants = self.both_ways(scenario)
        self.assertEqual(state, "done")
        in_stock = [quant for quant in quants if quant[2] == 1.0]
        self.assertEqual({quant[6] for quant in in_stock}, {"SI Done Other Co"})

    def test_serial_received_twice_is_refused(self):
        self.receive(["DUP-1"])
        self.age_stock()
        errors = {}

        def scenario(env):
            picking = env["stock.picking"].create(
                {
                    "picking_type_id": self.picking_type_internal.id,
                    "location_id": self.supplier_loc.id,
                    "location_dest_id": self.stock.id,
                }
            )
            lot = env["stock.lot"].search([("name", "=", "DUP-1")])
            move = env["stock.move"].create(
                {
                    "name": "in again",
                    "picking_id": picking.id,
                    "product_id": self.product.id,
                    "product_uom_qty": 1,
                    "product_uom": self.product.uom_id.id,
                    "location_id": self.supplier_loc.id,
                    "location_dest_id": self.stock.id,
                }
            )
            picking.action_confirm()
            move.move_line_ids.lot_id = lot
            move.picked = True
            with self.assertRaises(ValidationError) as caught:
                picking.button_validate()
            errors[env.context[NATIVE_DONE]] = str(caught.exception)
            return None

        self.both_ways(scenario)
        self.assertEqual(errors[False], errors[True])
        self.assertIn("DUP-1", errors[False])

    def test_company_check_of_many_lines_is_odoos(self):
        """Lines are checked once per linked record; a wrong one still gets
        Odoo's own error, naming the same records."""
        company = self.env["res.company"].create({"name": "SI Check Other Co"})
        own = self.env["stock.lot"].create({"name": "DCC-1", "product_id": self.product.id})
        foreign = self.env["stock.lot"].create(
            {"name": "DCC-2", "product_id": self.product.id, "company_id": company.id}
        )
        picking = self.delivery(self.env, 2)
        picking.move_line_ids.unlink()
        lines = self.env["stock.move.line"].create(
            [
                {
                    "move_id": picking.move_ids.id,
                    "picking_id": picking.id,
                    "product_id": self.product.id,
                    "lot_id": lot.id,
                    "quantity": 1,
                    "location_id": self.stock.id,
                    "location_dest_id": self.customer_loc.id,
                }
                for lot in (own, own)
            ]
        )
        self.assertIsNone(lines._check_company())
        # the lot of the second line belongs to another company
        self.env.cr.execute(
            "UPDATE stock_move_line SET lot_id = %s WHERE id = %s", [foreign.id, lines[1].id]
        )
        lines.invalidate_recordset(["lot_id"])
        with self.assertRaises(UserError) as ours:
            lines._check_company()
        with self.assertRaises(UserError) as odoo:
            models.BaseModel._check_company(lines)
        self.assertEqual(str(ours.exception), str(odoo.exception))
        self.assertIn("DCC-2", str(ours.exception))

    def test_quant_without_serial_beside_goes_native(self):
        """A key with a quant without serial beside the serial's takes Odoo's
        path (its dates and compensations are Odoo's business)."""
        _receipt, lots = self.receive(["DUN-1", "DUN-2"])
        self.env["stock.quant"]._update_available_quantity(self.product, self.stock, 2)
        self.age_stock()

        def scenario(env):
            picking = self.delivery(env, 2)
            picking.move_ids.picked = True
            picking.button_validate()
            return self.lines(picking)

        ((state, _lines),), quants = self.both_ways(scenario)
        self.assertEqual(state, "done")
        self.assertIn(False, self.batched_calls, "the stock side must go native")
        self.assertIn(True, self.batched_calls, "the customer side is still batched")
        self.assertTrue(lots)
        self.assertIn(("", "WH/Stock"), {quant[:2] for quant in quants})

    def test_orm_writes_when_another_module_overrides_quants(self):
        """With quants' create/write overridden elsewhere the batch writes
        through the ORM, grouped, and ends as Odoo does."""
        self.receive([f"DORM-{n}" for n in range(3)])
        self.age_stock()

        def scenario(env):
            picking = self.delivery(env, 3)
            picking.move_ids.picked = True
            picking.button_validate()
            return self.lines(picking)

        with patch.object(StockQuant, "_serial_bulk_sql", autospec=True, return_value=False):
            ((state, _lines),), quants = self.both_ways(scenario)
        self.assertEqual(state, "done")
        self.assertEqual(sum(quant[2] for quant in quants if quant[1] == "Partners/Customers"), 3)
