# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""serial.scan: one scan resolved to the record it stands for, with a flow's checks."""

import json
import re
from datetime import date
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.sql_db import Cursor
from odoo.tests import HttpCase, new_test_user, tagged

from .common import SerialCommon

GTIN = "04006381333931"
SSCC = "106141411234567897"
WRITE_RE = re.compile(r"\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


@tagged("post_install", "-at_install")
class TestScan(SerialCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gtin_product = cls.env["product.product"].create(
            {
                "name": "SI GTIN Scanner",
                "is_storable": True,
                "tracking": "serial",
                "barcode": "4006381333931",
                "default_code": "SI-GTIN",
            }
        )
        _picking, cls.lot = cls.receive(["SC-1"], product=cls.gtin_product)
        _picking, cls.twin = cls.receive(["SC-DUP"])
        _picking, cls.twin_gtin = cls.receive(["SC-DUP"], product=cls.gtin_product)
        cls.package = cls.env["stock.quant.package"].create({"name": SSCC})
        cls.shelf = cls.env["stock.location"].create(
            {"name": "SI Scan Shelf", "location_id": cls.stock.id, "barcode": "SI-SHELF-1"}
        )
        cls.user = new_test_user(cls.env, "si_scan_user", groups="stock.group_stock_user")
        cls.Scan = cls.env["serial.scan"].with_user(cls.user)

    def test_serial_card(self):
        result = self.Scan.scan("SC-1")
        self.assertEqual(
            {key: result[key] for key in ("kind", "lot_id", "product_id", "level", "serial")},
            {
                "kind": "serial",
                "lot_id": self.lot.id,
                "product_id": self.gtin_product.id,
                "level": "ok",
                "serial": "SC-1",
            },
        )
        self.assertEqual(result["lifecycle_state"], "in_stock")
        self.assertEqual(result["lifecycle_label"], "In Stock")
        self.assertEqual(result["location_id"], self.stock.id)
        # the card's one query mirrors these display names (stock.location and
        # product.product _compute_display_name, 18.0)
        self.assertEqual(result["location"], self.stock.display_name)
        self.assertEqual(result["product"], self.gtin_product.display_name)
        self.assertEqual(result["product"], "[SI-GTIN] SI GTIN Scanner")
        self.assertFalse(result["recall_blocked"])
        self.assertIn("SC-1", result["message"])
        json.dumps(result)  # JSON-RPC safe

    def test_gs1_label_of_the_issue_finds_the_serial(self):
        """01 + GTIN + 11 production date + 21 serial, as manufacturers print it."""
        for code in (
            f"01{GTIN}1125013121SC-1",
            f"]d201{GTIN}17270131\x1d21SC-1",
            f"https://example.com/01/{GTIN}/10/L1/21/SC-1",
            "urn:epc:id:sgtin:4006381.033393.SC-1",
        ):
            with self.subTest(code=code):
                result = self.Scan.scan(code)
                self.assertEqual((result["kind"], result["lot_id"]), ("serial", self.lot.id))
                self.assertEqual(result["gtin"], GTIN)
        result = self.Scan.scan(f"01{GTIN}1125013121SC-1")
        self.assertEqual(result["production_date"], "2025-01-31")
        Lot = self.env["stock.lot"].with_user(self.user)
        for code in (f"01{GTIN}1125013121SC-1", f"https://example.com/01/{GTIN}/21/SC-1"):
            self.assertEqual([lot_id for lot_id, _name in Lot.name_search(code)], self.lot.ids)
        self.assertEqual(len(Lot.name_search("SC-")), 3)  # plain text: as before

    def test_ambiguous_serial_and_gtin_disambiguates(self):
        result = self.Scan.scan("SC-DUP")
        self.assertEqual((result["kind"], result["level"]), ("ambiguous", "warning"))
        self.assertEqual(
            sorted(candidate["lot_id"] for candidate in result["candidates"]),
            sorted((self.twin | self.twin_gtin).ids),
        )
        result = self.Scan.scan(f"(01){GTIN}(21)SC-DUP")
        self.assertEqual((result["kind"], result["lot_id"]), ("serial", self.twin_gtin.id))
        # a GTIN no product has narrows nothing: the serial is found by name
        result = self.Scan.scan("(01)09506000134352(21)SC-1")
        self.assertEqual((result["kind"], result["lot_id"]), ("serial", self.lot.id))
        # a GTIN of ours without that serial names the product
        result = self.Scan.scan(f"(01){GTIN}(21)SC-NONE")
        self.assertEqual((result["kind"], result["product_id"]), ("unknown", self.gtin_product.id))
        self.assertIn("SC-NONE", result["message"])

    def test_other_kinds(self):
        for code, kind, key, record in (
            ("4006381333931", "product", "product_id", self.gtin_product),
            (f"01{GTIN}", "product", "product_id", self.gtin_product),
            ("SI-GTIN", "product", "product_id", self.gtin_product),
            (f"]C100{SSCC}", "package", "package_id", self.package),
            (SSCC, "package", "package_id", self.package),
            ("SI-SHELF-1", "location", "location_id", self.shelf),
        ):
            with self.subTest(code=code):
                result = self.Scan.scan(code)
                self.assertEqual((result["kind"], result[key]), (kind, record.id))
        picking = self.env["stock.move.line"].search([("lot_id", "=", self.lot.id)]).picking_id
        result = self.Scan.scan(picking.name)
        self.assertEqual((result["kind"], result["picking_id"]), ("picking", picking.id))

    def test_unknown_and_bad_input(self):
        for code in ("NOPE-1", f"01{GTIN[:-1]}221SC-1", "A" * 10_000, "SC\x07-1", "", None):
            with self.subTest(code=code):
                result = self.Scan.scan(code)
                self.assertEqual((result["kind"], result["level"]), ("unknown", "error"))
                self.assertTrue(result["message"])
        self.assertIn("check digit", self.Scan.scan(f"01{GTIN[:-1]}221SC-1")["message"])
        with self.assertRaises(UserError):
            self.Scan.scan("SC-1", mode="teleport")

    def test_lookup_writes_nothing_in_three_queries(self):
        for code in ("SC-1", f"]d201{GTIN}21SC-1"):
            self.Scan.scan(code)  # warm the caches: record rules, selections
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        result = self.Scan.scan("SC-1")
        self.assertLessEqual(self.env.cr.sql_log_count - before, 3)
        self.assertEqual(result["kind"], "serial")
        before = self.env.cr.sql_log_count
        result = self.Scan.scan(f"]d201{GTIN}21SC-1")  # the serial narrowed by its GTIN
        self.assertLessEqual(self.env.cr.sql_log_count - before, 3)
        self.assertEqual(result["lot_id"], self.lot.id)
        statements = []
        execute = Cursor.execute

        def spy(cr, query, params=None, log_exceptions=True):
            statements.append(str(query))
            return execute(cr, query, params, log_exceptions)

        with patch.object(Cursor, "execute", spy):
            for code in ("SC-1", "SC-DUP", f"01{GTIN}21SC-NEW", SSCC, "NOPE", "SI-SHELF-1"):
                for mode in ("lookup", "receive", "pick", "pack", "count", "scrap"):
                    self.Scan.scan(code, mode=mode)
            self.env.flush_all()
        self.assertTrue(statements)
        writes = [sql for sql in statements if WRITE_RE.match(sql)]
        self.assertEqual(writes, [])

    def test_receive_refusals(self):
        result = self.Scan.scan("SC-1", mode="receive")
        self.assertEqual(result["level"], "error")
        self.assertIn("already in stock", result["message"])
        new = self.Scan.scan(f"01{GTIN}21SC-NEW", mode="receive")
        self.assertEqual((new["kind"], new["level"], new["serial"]), ("serial", "ok", "SC-NEW"))
        rule = self.env["serial.format.rule"].create(
            {"name": "SI Scan digits", "template": "{seq:6}", "mode": "validate"}
        )
        self.gtin_product.serial_format_rule_id = rule
        result = self.Scan.scan(f"01{GTIN}21SC-NEW", mode="receive")
        self.assertEqual(result["level"], "error")
        self.assertIn("SC-NEW", result["message"])
        receipt = self.env["stock.picking"].create(
            {
                "picking_type_id": self.picking_type_in.id,
                "location_id": self.supplier_loc.id,
                "location_dest_id": self.stock.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "in",
                            "product_id": self.product.id,
                            "product_uom_qty": 1,
                            "product_uom": self.product.uom_id.id,
                            "location_id": self.supplier_loc.id,
                            "location_dest_id": self.stock.id,
                        }
                    )
                ],
            }
        )
        receipt.action_confirm()
        receipt.move_ids.move_line_ids = [
            Command.create(
                {
                    "product_id": self.product.id,
                    "lot_name": "SC-ON-RECEIPT",
                    "quantity": 1,
                    "location_id": self.supplier_loc.id,
                    "location_dest_id": self.stock.id,
                    "picking_id": receipt.id,
                }
            )
        ]
        result = self.Scan.scan("SC-ON-RECEIPT", mode="receive", context={"picking_id": receipt.id})
        self.assertEqual(result["level"], "error")
        self.assertIn("already scanned", result["message"])

    def test_pick_and_scrap_refusals(self):
        self.assertEqual(self.Scan.scan("SC-1", mode="pick")["level"], "ok")
        delivery = self.confirmed_delivery(self.env, 1, location=self.shelf)
        result = self.Scan.scan("SC-1", mode="pick", context={"picking_id": delivery.id})
        self.assertEqual(result["level"], "error")
        self.assertIn(self.shelf.display_name, result["message"])
        self.deliver(self.twin)
        result = self.Scan.scan(f"(01){GTIN}(21)SC-DUP", mode="pick")
        self.assertEqual(result["level"], "ok")
        self.assertEqual(self.Scan.scan("SC-DUP", mode="count")["kind"], "ambiguous")
        self.lot.active = False
        result = self.Scan.scan("SC-1", mode="scrap")
        self.assertEqual(result["level"], "error")
        self.assertIn("archived", result["message"])

    def test_recalled_serial(self):
        recall_manager = new_test_user(
            self.env,
            "si_scan_recalls",
            groups="stock.group_stock_manager,serialized_inventory.group_recall_manager",
        )
        wizard = (
            self.env["serial.recall.wizard"]
            .with_user(recall_manager)
            .create({"reason": "Battery may overheat", "lot_ids": [Command.set(self.lot.ids)]})
        )
        recall = self.env["serial.recall"].browse(wizard.action_confirm()["res_id"])
        recall.with_user(recall_manager).action_activate()
        result = self.Scan.scan("SC-1")
        self.assertEqual((result["recall_blocked"], result["level"]), (True, "warning"))
        self.assertEqual(result["recall_reason"], "Battery may overheat")
        for mode in ("receive", "pick"):
            result = self.Scan.scan("SC-1", mode=mode)
            self.assertEqual(result["level"], "error", mode)
            self.assertIn("recalled", result["message"])

    def test_warranty_on_the_card(self):
        policy = self.env["serial.warranty.policy"].create({"name": "SI Scan 12 months"})
        self.env["serial.warranty"].create(
            {
                "lot_id": self.lot.id,
                "partner_id": self.customer.id,
                "policy_id": policy.id,
                "delivery_date": date.today(),
            }
        )
        result = self.Scan.scan("SC-1")
        self.assertEqual(result["warranty_state"], self.lot.warranty_state)
        self.assertEqual(result["warranty_end"], self.lot.warranty_end_date.isoformat())

    def test_other_company_serial_is_not_found(self):
        company = self.env["res.company"].create({"name": "SI Scan Other Co"})
        product = self.env["product.product"].create(
            {"name": "SI Other Scanner", "tracking": "serial", "company_id": company.id}
        )
        self.env["stock.lot"].create(
            {"name": "SC-THEIRS", "product_id": product.id, "company_id": company.id}
        )
        result = self.Scan.scan("SC-THEIRS")
        self.assertEqual(result["kind"], "unknown")
        self.user.company_ids |= company
        result = self.Scan.with_context(allowed_company_ids=company.ids).scan("SC-THEIRS")
        self.assertEqual(result["kind"], "serial")

    def test_stock_users_only(self):
        outsider = new_test_user(self.env, "si_scan_outsider", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["serial.scan"].with_user(outsider).scan("SC-1")


@tagged("post_install", "-at_install")
class TestScanRpc(HttpCase):
    def test_json_rpc_and_warranty_claim(self):
        """The README's JSON-RPC example, and a warranty claim created over
        RPC from a manufacturer's label (01 + 11 + 21) finds its serial."""
        product = self.env["product.product"].create(
            {
                "name": "SI RPC Scanner",
                "is_storable": True,
                "tracking": "serial",
                "barcode": "4006381333931",
            }
        )
        lot = self.env["stock.lot"].create({"name": "SN81", "product_id": product.id})
        customer = self.env["res.partner"].create({"name": "SI RPC Customer"})
        new_test_user(
            self.env,
            "si_scan_rpc",
            password="si_scan_rpc_pw",
            groups="stock.group_stock_user,serialized_inventory.group_serial_user",
        )
        self.authenticate("si_scan_rpc", "si_scan_rpc_pw")
        result = self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {
                "model": "serial.scan",
                "method": "scan",
                "args": [f"01{GTIN}1125013121SN81"],
                "kwargs": {"mode": "lookup"},
            },
        )
        self.assertEqual((result["kind"], result["lot_id"]), ("serial", lot.id))
        claim_id = self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {
                "model": "serial.warranty.claim",
                "method": "create",
                "args": [
                    {
                        "serial_name": f"01{GTIN}1125013121SN81",
                        "partner_id": customer.id,
                        "description": "Scanned",
                    }
                ],
                "kwargs": {},
            },
        )
        claim = self.env["serial.warranty.claim"].browse(claim_id)
        self.assertEqual((claim.serial_name, claim.lot_id), ("SN81", lot))
