# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The batched reservation of serials gives what Odoo's native one gives.

Each scenario runs twice from the same state, natively (context key
``NATIVE_RESERVATION``) and batched, each time rolled back to a savepoint;
the transfers' lines, states and the quants' reservations must be identical.
"""

import contextlib
from types import SimpleNamespace
from unittest.mock import patch

from odoo import Command
from odoo.tests import tagged

from ..models.stock_move import NATIVE_RESERVATION, StockMove
from ..models.stock_quant import SerialReservationBatch
from .common import SerialCommon


class _Rollback(Exception):
    pass


@tagged("post_install", "-at_install")
class TestBatchedReservation(SerialCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shelf = cls.env["stock.location"].create(
            {"name": "SI Shelf", "location_id": cls.stock.id}
        )

    def both_ways(self, scenario):
        """Run ``scenario(env)`` natively and batched; return the batched snapshot."""
        snapshots = {}
        for native in (True, False):
            env = self.env(context=dict(self.env.context, **{NATIVE_RESERVATION: native}))
            calls, batched = [], []
            # the class's helpers (receive...) use the same environment; leaving the
            # savepoint with _Rollback rolls it back
            with contextlib.suppress(_Rollback):
                with (
                    patch.object(type(self), "env", env),
                    patch.object(
                        StockMove,
                        "_serial_quants_cache",
                        autospec=True,
                        side_effect=self._spy(calls, StockMove._serial_quants_cache),
                    ),
                    patch.object(
                        SerialReservationBatch,
                        "apply",
                        autospec=True,
                        side_effect=self._spy(batched, SerialReservationBatch.apply),
                    ),
                ):
                    with self.env.cr.savepoint():
                        snapshots[native] = scenario(env)
                        raise _Rollback
            self.env.invalidate_all()
            if native:
                self.assertFalse(calls, "the native run must not batch")
            else:
                self.assertTrue(calls, "the batched run must batch")
                self.assertTrue(
                    any(batch.pending for batch in batched), "quants must be reserved in batch"
                )
        self.assertEqual(snapshots[False], snapshots[True])
        return snapshots[False]

    @staticmethod
    def _spy(calls, original):
        def spy(record, *args, **kwargs):
            calls.append(record)
            if isinstance(record, SerialReservationBatch):
                calls[-1] = SimpleNamespace(pending=dict(record.pending))
            return original(record, *args, **kwargs)

        return spy

    def snapshot(self, env, *pickings):
        lines = [
            sorted(
                (
                    line.lot_id.name,
                    line.location_id.complete_name,
                    line.package_id.name or "",
                    line.owner_id.name or "",
                    line.quantity,
                )
                for line in picking.move_line_ids
            )
            for picking in pickings
        ]
        states = [(picking.state, picking.move_ids.mapped("state")) for picking in pickings]
        quants = sorted(
            (q.lot_id.name or "", q.location_id.complete_name, q.quantity, q.reserved_quantity)
            for q in env["stock.quant"].search([("product_id", "=", self.product.id)])
        )
        return lines, states, quants

    def test_reserve_some_of_the_stock(self):
        self.receive([f"RS-{n}" for n in range(6)])

        def scenario(env):
            picking = self.confirmed_delivery(env, 4)
            return self.snapshot(env, picking)

        (lines,), (state,), quants = self.both_ways(scenario)
        self.assertEqual(len(lines), 4)
        self.assertEqual(state, ("assigned", ["assigned"]))
        self.assertEqual(sum(reserved for *_rest, reserved in quants if _rest[1] == "WH/Stock"), 4)

    def test_partial_then_complete(self):
        self.receive(["PA-1", "PA-2"])

        def scenario(env):
            picking = self.confirmed_delivery(env, 3)
            first = self.snapshot(env, picking)
            self.receive(["PA-3"])
            picking.action_assign()
            return first, self.snapshot(env, picking)

        first, second = self.both_ways(scenario)
        self.assertEqual(len(first[0][0]), 2)
        self.assertEqual(first[1][0], ("assigned", ["partially_available"]))
        self.assertEqual(len(second[0][0]), 3)
        self.assertEqual(second[1][0], ("assigned", ["assigned"]))

    def test_serial_reserved_elsewhere_is_not_taken(self):
        self.receive(["EL-1", "EL-2", "EL-3"])

        def scenario(env):
            first = self.confirmed_delivery(env, 2)
            second = self.confirmed_delivery(env, 3)
            return self.snapshot(env, first, second)

        (first, second), _states, quants = self.both_ways(scenario)
        self.assertEqual(len(first), 2)
        self.assertEqual(len(second), 1)
        self.assertFalse({line[0] for line in first} & {line[0] for line in second})
        in_stock = [quant for quant in quants if quant[1] == "WH/Stock"]
        self.assertEqual([reserved for *_rest, reserved in in_stock], [1, 1, 1])

    def test_serials_in_a_sub_location_and_a_package(self):
        Quant = self.env["stock.quant"]
        lots = self.env["stock.lot"].create(
            [{"name": f"SUB-{n}", "product_id": self.product.id} for n in (1, 2, 3)]
        )
        package = self.env["stock.quant.package"].create({"name": "SI-PACK-1"})
        Quant._update_available_quantity(self.product, self.shelf, 1, lot_id=lots[0])
        Quant._update_available_quantity(self.product, self.shelf, 1, lot_id=lots[1])
        Quant._update_available_quantity(
            self.product, self.stock, 1, lot_id=lots[2], package_id=package
        )

        def scenario(env):
            return self.snapshot(env, self.confirmed_delivery(env, 3))

        (lines,), _states, _quants = self.both_ways(scenario)
        self.assertEqual(
            lines,
            [
                ("SUB-1", "WH/Stock/SI Shelf", "", "", 1.0),
                ("SUB-2", "WH/Stock/SI Shelf", "", "", 1.0),
                ("SUB-3", "WH/Stock", "SI-PACK-1", "", 1.0),
            ],
        )

    def test_backorder_and_partial_return(self):
        self.receive([f"BO-{n}" for n in range(4)])

        def scenario(env):
            picking = self.confirmed_delivery(env, 4)
            keep = picking.move_line_ids.sorted("id")[:3]
            keep.picked = True
            (picking.move_line_ids - keep).unlink()
            picking.with_context(cancel_backorder=False)._action_done()
            backorder = env["stock.picking"].search([("backorder_id", "=", picking.id)])
            returned = self.return_picking(picking, keep.lot_id[:1])
            again = self.confirmed_delivery(env, 1)
            return self.snapshot(env, picking, backorder, returned, again)

        (done, backorder, _returned, again), states, _quants = self.both_ways(scenario)
        self.assertEqual(len(done), 3)
        self.assertEqual(len(backorder), 1, "the backorder reserved the fourth serial")
        self.assertEqual(states[1], ("assigned", ["assigned"]))
        self.assertEqual(len(again), 1)
        self.assertEqual(states[2][0], "done")

    def test_other_company(self):
        company = self.env["res.company"].create({"name": "SI Other Co"})
        self.env.user.company_ids |= company
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", company.id)])
        self.receive(["MC-HOME-1"])
        quant = self.env["stock.quant"].search([("lot_id.name", "=", "MC-HOME-1")])
        lot = self.env["stock.lot"].create(
            {"name": "MC-OTHER-1", "product_id": self.product.id, "company_id": company.id}
        )
        self.env["stock.quant"]._update_available_quantity(
            self.product, warehouse.lot_stock_id, 1, lot_id=lot
        )
        self.assertTrue(quant)

        def scenario(env):
            env = env(context=dict(env.context, allowed_company_ids=[company.id]))
            picking = env["stock.picking"].create(
                {
                    "picking_type_id": warehouse.out_type_id.id,
                    "location_id": warehouse.lot_stock_id.id,
                    "location_dest_id": self.customer_loc.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": "out",
                                "product_id": self.product.id,
                                "product_uom_qty": 2,
                                "product_uom": self.product.uom_id.id,
                                "location_id": warehouse.lot_stock_id.id,
                                "location_dest_id": self.customer_loc.id,
                            }
                        )
                    ],
                }
            )
            picking.action_confirm()
            return self.snapshot(env, picking)

        (lines,), _states, _quants = self.both_ways(scenario)
        self.assertEqual([line[0] for line in lines], ["MC-OTHER-1"])
