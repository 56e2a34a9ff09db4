# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Every ``create`` the addon overrides keeps the ORM's contract: one record
per set of values, in their order (Odoo's RPC layer and one2many commands rely
on it)."""

from odoo import fields, models
from odoo.api import call_kw
from odoo.tests import HttpCase, tagged

from .common import WarrantyCommon


@tagged("post_install", "-at_install")
class TestCreateContract(WarrantyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write({"gs1_company_prefix": "0614141", "sscc_extension_digit": "1"})
        cls.case_type, cls.pallet_type = cls.env["stock.package.type"].create(
            [
                {"name": "SI Contract Case", "sscc_level": "case"},
                {"name": "SI Contract Pallet", "sscc_level": "pallet"},
            ]
        )
        cls.lots = cls.receive(["CC-1", "CC-2", "CC-3"])[1].sorted("name")

    def assertCreatesInOrder(self, model, vals_list, field):
        """``create`` returns as many records as ``vals_list``, the n-th made of
        the n-th values (its ``field`` is theirs)."""
        records = model.create(vals_list)
        self.assertEqual(len(records), len(vals_list), model._name)

        def value(value):
            return value.id if isinstance(value, models.BaseModel) else value

        self.assertEqual(
            [value(record[field]) for record in records],
            [vals.get(field, False) for vals in vals_list],
            model._name,
        )
        return records

    def test_create_returns_one_record_per_vals(self):
        lots = self.lots
        self.assertCreatesInOrder(
            self.env["stock.lot"],
            [{"name": f"CC-NEW-{index}", "product_id": self.product.id} for index in range(3)],
            "name",
        )
        cases_and_pallet = self.assertCreatesInOrder(
            self.env["stock.quant.package"],
            [
                {"package_type_id": self.case_type.id},
                {"name": "SI-PLAIN-PACK"},
                {"package_type_id": self.pallet_type.id},
            ],
            "package_type_id",
        )
        now = fields.Datetime.now()
        self.assertCreatesInOrder(
            self.env["serial.event"].sudo(),
            [
                {
                    "lot_id": lot.id,
                    "product_id": self.product.id,
                    "date": now,
                    "event_type": "other",
                    "lifecycle_state": "in_stock",
                    "company_id": self.env.company.id,
                }
                for lot in lots
            ],
            "lot_id",
        )
        self.assertCreatesInOrder(
            self.env["serial.recall"],
            [{"reason": f"SI contract reason {index}"} for index in range(3)],
            "reason",
        )
        self.assertCreatesInOrder(
            self.env["serial.warranty"],
            [
                {
                    "lot_id": lot.id,
                    "partner_id": self.customer.id,
                    "policy_id": self.policy.id,
                    "delivery_date": fields.Date.today(),
                }
                for lot in lots
            ],
            "lot_id",
        )
        self.assertCreatesInOrder(
            self.env["serial.warranty.claim"],
            [
                {
                    "serial_name": lot.name,
                    "partner_id": self.customer.id,
                    "description": "Does not start",
                }
                for lot in lots
            ],
            "serial_name",
        )
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.picking_type_out.id,
                "location_id": self.stock.id,
                "location_dest_id": self.customer_loc.id,
            }
        )
        case, plain, pallet = cases_and_pallet
        case.parent_id = pallet
        self.assertCreatesInOrder(
            self.env["stock.package_level"],
            [
                {
                    "package_id": package.id,
                    "picking_id": picking.id,
                    "company_id": picking.company_id.id,
                }
                for package in (pallet, plain, case)
            ],
            "package_id",
        )

    def test_rpc_create_of_a_pallet_level(self):
        """What the web client's and an integrator's JSON-RPC ``create`` runs
        (``call_kw`` answers the new record's id, ``.id`` of the result)."""
        pallet = self.env["stock.quant.package"].create({"package_type_id": self.pallet_type.id})
        self.env["stock.quant.package"].create(
            [{"package_type_id": self.case_type.id, "parent_id": pallet.id}] * 2
        )
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.picking_type_out.id,
                "location_id": self.stock.id,
                "location_dest_id": self.customer_loc.id,
            }
        )
        level_id = call_kw(
            self.env["stock.package_level"],
            "create",
            [
                {
                    "package_id": pallet.id,
                    "picking_id": picking.id,
                    "location_id": self.stock.id,
                    "location_dest_id": self.customer_loc.id,
                    "company_id": self.env.company.id,
                }
            ],
            {},
        )
        self.assertIsInstance(level_id, int)
        self.assertEqual(picking.package_level_ids.ids, [level_id])
        self.assertEqual(picking.package_level_ids.package_id, pallet)


@tagged("post_install", "-at_install")
class TestCreateOverJsonRpc(HttpCase):
    def test_json_rpc_create_of_a_pallet_level(self):
        """The issue's call, through /web/dataset/call_kw: the level of a
        pallet of two cases is created and its id answered."""
        env = self.env
        env.company.write({"gs1_company_prefix": "0614141", "sscc_extension_digit": "1"})
        case_type, pallet_type = env["stock.package.type"].create(
            [
                {"name": "SI RPC Case", "sscc_level": "case"},
                {"name": "SI RPC Pallet", "sscc_level": "pallet"},
            ]
        )
        Package = env["stock.quant.package"]
        pallet = Package.create({"package_type_id": pallet_type.id})
        Package.create([{"package_type_id": case_type.id, "parent_id": pallet.id}] * 2)
        warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
        customers = env.ref("stock.stock_location_customers")
        picking = env["stock.picking"].create(
            {
                "picking_type_id": warehouse.out_type_id.id,
                "location_id": warehouse.lot_stock_id.id,
                "location_dest_id": customers.id,
            }
        )
        self.authenticate("admin", "admin")
        level_id = self.make_jsonrpc_request(
            "/web/dataset/call_kw/stock.package_level/create",
            {
                "model": "stock.package_level",
                "method": "create",
                "args": [
                    {
                        "package_id": pallet.id,
                        "picking_id": picking.id,
                        "location_id": warehouse.lot_stock_id.id,
                        "location_dest_id": customers.id,
                        "company_id": env.company.id,
                    }
                ],
                "kwargs": {},
            },
        )
        self.assertIsInstance(level_id, int)
        self.assertEqual(picking.package_level_ids.ids, [level_id])
