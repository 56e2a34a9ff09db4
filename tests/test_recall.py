# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import csv
import io

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import SerialCommon, validated_transfer
from .pdf_tools import pdf_text


class RecallCommon(SerialCommon):
    """Serials spread everywhere a recall must find them: in stock in two
    locations, in transit, at two customers (one without email), scrapped."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_contact.email = "dock@customer.example.com"
        cls.other_customer.email = "other@customer.example.com"
        cls.no_mail_customer = cls.env["res.partner"].create({"name": "SI Mailless Customer"})
        cls.shelf = cls.env["stock.location"].create(
            {"name": "SI Shelf", "usage": "internal", "location_id": cls.stock.id}
        )
        _picking, cls.lots = cls.receive([f"RC-{i:02d}" for i in range(1, 11)])
        cls.lot = {lot.name: lot for lot in cls.lots}
        cls.move(cls.lots.filtered(lambda lot: lot.name == "RC-02"), cls.stock, cls.shelf)
        cls.delivery_1 = cls.deliver(cls.pick("RC-03", "RC-04"))
        cls.delivery_2 = cls.deliver(cls.pick("RC-05"), partner=cls.other_customer)
        cls.deliver(cls.pick("RC-06"), partner=cls.no_mail_customer)
        cls.move(cls.pick("RC-07"), cls.stock, cls.transit_loc)
        cls.scrap(cls.lot["RC-08"])
        cls.other_product = cls.env["product.product"].create(
            {"name": "SI Printer", "is_storable": True, "tracking": "serial"}
        )
        _picking, cls.other_lots = cls.receive(["PR-01", "PR-02"], product=cls.other_product)
        cls.recall_manager = new_test_user(
            cls.env,
            "si_recall_manager",
            groups="stock.group_stock_manager,serialized_inventory.group_recall_manager",
            email="recalls@example.com",
        )
        cls.stock_manager = new_test_user(
            cls.env, "si_recall_stock_manager", groups="stock.group_stock_manager"
        )
        cls.stock_user = new_test_user(
            cls.env, "si_recall_stock_user", groups="stock.group_stock_user"
        )

    @classmethod
    def pick(cls, *names):
        return cls.env["stock.lot"].browse([cls.lot[name].id for name in names])

    @classmethod
    def scrap(cls, lot):
        scrap = cls.env["stock.scrap"].create(
            {
                "product_id": lot.product_id.id,
                "lot_id": lot.id,
                "scrap_qty": 1,
                "location_id": cls.stock.id,
            }
        )
        scrap.action_validate()

    @classmethod
    def move(cls, lots, src, dest):
        return cls._picking(
            cls.picking_type_internal, src, dest, lots=lots, product=lots.product_id
        )

    def wizard(self, user=None, **vals):
        env = self.env(user=user or self.recall_manager)
        return env["serial.recall.wizard"].create(dict({"reason": "Battery may overheat"}, **vals))

    def names(self, scope):
        return sorted(self.env["stock.lot"].browse(scope["lot_ids"]).mapped("name"))

    def campaign(self, lots=None, activate=True):
        wizard = self.wizard(lot_ids=[Command.set((lots or self.lots).ids)])
        action = wizard.action_confirm()
        recall = self.env["serial.recall"].browse(action["res_id"]).with_user(self.recall_manager)
        if activate:
            recall.action_activate()
        return recall

    def line(self, recall, name):
        return recall.line_ids.filtered(lambda line: line.lot_id.name == name)


@tagged("post_install", "-at_install")
class TestRecallScope(RecallCommon):
    def test_empty_scope_refused(self):
        with self.assertRaisesRegex(UserError, "The recall scope is empty"):
            self.wizard().action_preview()

    def test_products(self):
        scope = self.wizard(product_ids=[Command.set(self.other_product.ids)])._resolve_scope()
        self.assertEqual(self.names(scope), ["PR-01", "PR-02"])

    def test_serials(self):
        scope = self.wizard(lot_ids=[Command.set(self.pick("RC-01", "RC-05").ids)])._resolve_scope()
        self.assertEqual(self.names(scope), ["RC-01", "RC-05"])

    def test_typed_list_keeps_unknown_serials(self):
        wizard = self.wizard(serial_list="RC-01\n RC-03 ,RC-99;PR-02\n\nRC-01")
        scope = wizard._resolve_scope()
        self.assertEqual(self.names(scope), ["PR-02", "RC-01", "RC-03"])
        self.assertEqual(scope["unknown"], ["RC-99"])
        wizard.action_preview()
        self.assertIn("RC-99", wizard.preview_html)
        recall = self.env["serial.recall"].browse(wizard.action_confirm()["res_id"])
        self.assertEqual(recall.unmatched_serials, "RC-99")
        self.assertEqual(len(recall.line_ids), 3)

    def test_csv_file(self):
        data = b"Product;Serial Number\nSI Scanner;RC-02\nSI Scanner;RC-09\n"
        wizard = self.wizard(serial_file=base64.b64encode(data), serial_filename="recall.csv")
        self.assertEqual(self.names(wizard._resolve_scope()), ["RC-02", "RC-09"])

    def test_binary_file_refused(self):
        wizard = self.wizard(
            serial_file=base64.b64encode(b"\x89PNG\x00\x00"), serial_filename="photo.png"
        )
        with self.assertRaisesRegex(UserError, "photo.png is not a CSV file"):
            wizard._resolve_scope()

    def test_range_by_name(self):
        scope = self.wizard(range_from="RC-07", range_to="RC-04")._resolve_scope()
        self.assertEqual(self.names(scope), ["RC-04", "RC-05", "RC-06", "RC-07"])
        self.assertIn("in name order", scope["criteria"][-1])

    def test_range_half_given_refused(self):
        with self.assertRaisesRegex(UserError, "needs both its first and its last serial"):
            self.wizard(range_from="RC-01")._resolve_scope()

    def test_range_by_rule_sequence(self):
        """With a format rule, a range follows the rule's order (date, then
        sequence number), not the names'."""
        rule = self.env["serial.format.rule"].create(
            {"name": "Monthly", "template": "R{seq:3}/{mm}{yy}", "mode": "validate"}
        )
        product = self.env["product.product"].create(
            {
                "name": "SI Ruled",
                "is_storable": True,
                "tracking": "serial",
                "serial_format_rule_id": rule.id,
            }
        )
        names = ["R001/0126", "R002/0126", "R001/0226", "R002/0226", "R001/0326"]
        self.receive(names, product=product)
        scope = self.wizard(
            product_ids=[Command.set(product.ids)], range_from="R002/0126", range_to="R001/0226"
        )._resolve_scope()
        # by name R001/0326 would lie between the two ends
        self.assertEqual(self.names(scope), ["R001/0226", "R002/0126"])
        self.assertIn("format rule's sequence", scope["criteria"][-1])

    def test_batches(self):
        rule = self.env["serial.format.rule"].create(
            {"name": "Batches", "template": "{batch:3}-{seq:4}", "mode": "validate"}
        )
        product = self.env["product.product"].create(
            {
                "name": "SI Batched",
                "is_storable": True,
                "tracking": "serial",
                "serial_format_rule_id": rule.id,
            }
        )
        self.receive(["B07-0001", "B07-0002", "B08-0003", "B09-0004"], product=product)
        scope = self.wizard(batch_codes="B07, B09")._resolve_scope()
        self.assertEqual(self.names(scope), ["B07-0001", "B07-0002", "B09-0004"])

    def test_receipt_dates_and_supplier(self):
        other_vendor = self.env["res.partner"].create({"name": "SI Other Vendor"})
        vendor_contact = self.env["res.partner"].create(
            {"name": "SI Other Vendor Sales", "parent_id": other_vendor.id}
        )
        with freeze_time("2026-03-10 10:00:00"):
            picking = self._picking(
                self.picking_type_in,
                self.supplier_loc,
                self.stock,
                names=["OV-1", "OV-2"],
                partner=vendor_contact,
            )
        self.assertEqual(len(picking.move_line_ids.lot_id), 2)
        with freeze_time("2026-04-10 10:00:00"):
            self._picking(
                self.picking_type_in,
                self.supplier_loc,
                self.stock,
                names=["OV-3"],
                partner=other_vendor,
            )
        by_supplier = self.wizard(supplier_ids=[Command.set(other_vendor.ids)])._resolve_scope()
        self.assertEqual(self.names(by_supplier), ["OV-1", "OV-2", "OV-3"])
        by_dates = self.wizard(
            receipt_date_from="2026-03-01", receipt_date_to="2026-03-31"
        )._resolve_scope()
        self.assertEqual(self.names(by_dates), ["OV-1", "OV-2"])
        both = self.wizard(
            supplier_ids=[Command.set(other_vendor.ids)], receipt_date_from="2026-04-01"
        )._resolve_scope()
        self.assertEqual(self.names(both), ["OV-3"])

    def test_criteria_narrow_each_other(self):
        scope = self.wizard(
            product_ids=[Command.set(self.product.ids)], serial_list="RC-01\nPR-01"
        )._resolve_scope()
        self.assertEqual(self.names(scope), ["RC-01"])

    def produce(self, consumed, names, group, product=None):
        """A production as a manufacturing order makes it: the components go
        to production and the finished serials come out, moves of one group."""
        product = product or self.other_product
        production = product.property_stock_production
        for lots, src, dest, vals in (
            (consumed, self.stock, production, [{"lot_id": lot.id} for lot in consumed]),
            (None, production, self.stock, [{"lot_name": name} for name in names]),
        ):
            move_product = consumed.product_id if lots else product
            move = self.env["stock.move"].create(
                {
                    "name": "MO",
                    "product_id": move_product.id,
                    "product_uom_qty": len(vals),
                    "product_uom": move_product.uom_id.id,
                    "location_id": src.id,
                    "location_dest_id": dest.id,
                    "group_id": group.id,
                    # a type that creates serials, as manufacturing's does
                    "picking_type_id": self.picking_type_in.id,
                }
            )
            move._action_confirm()
            move.move_line_ids.unlink()
            move.write(
                {
                    "move_line_ids": [
                        Command.create(
                            dict(
                                line,
                                product_id=move_product.id,
                                quantity=1,
                                location_id=src.id,
                                location_dest_id=dest.id,
                            )
                        )
                        for line in vals
                    ],
                    "picked": True,
                }
            )
            move._action_done()
        return self.env["stock.lot"].search([("name", "in", names)])

    def test_production_dates_and_forward_trace(self):
        group = self.env["procurement.group"].create({"name": "SI MO 1"})
        with freeze_time("2026-05-05 09:00:00"):
            finished = self.produce(self.pick("RC-09"), ["FP-1"], group)
        self.assertEqual(finished.lifecycle_state, "in_stock")
        self.assertEqual(self.lot["RC-09"].lifecycle_state, "consumed")
        # a second level: FP-1 goes into an assembly
        assembly = self.env["product.product"].create(
            {"name": "SI Assembly", "is_storable": True, "tracking": "serial"}
        )
        with freeze_time("2026-06-01 09:00:00"):
            top = self.produce(
                finished,
                ["AS-1"],
                self.env["procurement.group"].create({"name": "SI MO 2"}),
                assembly,
            )
        scope = self.wizard(lot_ids=[Command.set(self.pick("RC-09").ids)])._resolve_scope()
        self.assertEqual(self.names(scope), ["AS-1", "FP-1", "RC-09"])
        self.assertEqual(scope["sources"], {finished.id: self.lot["RC-09"].id, top.id: finished.id})
        without = self.wizard(
            lot_ids=[Command.set(self.pick("RC-09").ids)], include_production=False
        )._resolve_scope()
        self.assertEqual(self.names(without), ["RC-09"])
        produced = self.wizard(
            production_date_from="2026-05-01", production_date_to="2026-05-31"
        )._resolve_scope()
        self.assertEqual(self.names(produced), ["AS-1", "FP-1"])  # FP-1 produced, AS-1 traced
        recall = self.env["serial.recall"].browse(
            self.wizard(lot_ids=[Command.set(self.pick("RC-09").ids)]).action_confirm()["res_id"]
        )
        self.assertEqual(self.line(recall, "AS-1").source_lot_id, finished)


@tagged("post_install", "-at_install")
class TestRecallPreview(RecallCommon):
    def test_grouping(self):
        wizard = self.wizard(product_ids=[Command.set(self.product.ids)])
        groups = wizard._preview_groups(self.lots.ids)
        summary = {
            place: {key: tuple(value) for key, value in entries.items()}
            for place, entries in groups.items()
        }
        self.assertEqual(
            summary,
            {
                "stock": {
                    self.stock.id: (3, ["RC-01", "RC-09", "RC-10"]),
                    self.shelf.id: (1, ["RC-02"]),
                },
                "customer": {
                    self.customer_contact.id: (2, ["RC-03", "RC-04"]),
                    self.other_customer.id: (1, ["RC-05"]),
                    self.no_mail_customer.id: (1, ["RC-06"]),
                },
                "transit": {self.transit_loc.id: (1, ["RC-07"])},
                "gone": {"scrapped": (1, ["RC-08"])},
            },
        )
        wizard.action_preview()
        self.assertEqual(wizard.state, "preview")
        self.assertEqual(wizard.affected_count, 10)
        html = str(wizard.preview_html)
        for text in (
            "10 serials affected",
            "In Our Stock: 4",
            "At Customer: 4",
            "In Transit: 1",
            "SI Customer, SI Customer Dock",
            "dock@customer.example.com",
            "RC-07",
            "Scrapped",
            "SI Shelf",
        ):
            self.assertIn(text, html)

    def test_preview_lists_a_sample_per_group(self):
        _picking, many = self.receive([f"MANY-{i:03d}" for i in range(30)])
        wizard = self.wizard(lot_ids=[Command.set(many.ids)])
        wizard.action_preview()
        self.assertIn("MANY-019", wizard.preview_html)
        self.assertNotIn("MANY-020", wizard.preview_html)
        self.assertIn("and 10 more", wizard.preview_html)


@tagged("post_install", "-at_install")
class TestRecallCampaign(RecallCommon):
    def test_confirm_makes_draft_campaign(self):
        wizard = self.wizard(product_ids=[Command.set(self.product.ids)], severity="1")
        action = wizard.action_confirm()
        recall = self.env["serial.recall"].browse(action["res_id"])
        self.assertRegex(recall.name, r"^RCL/\d{4}/\d{4}$")
        self.assertEqual(
            (recall.state, recall.severity, recall.reason), ("draft", "1", "Battery may overheat")
        )
        self.assertEqual(recall.line_count, 10)
        line = self.line(recall, "RC-03")
        self.assertEqual(
            (line.place, line.partner_id, line.status), ("customer", self.customer_contact, "open")
        )
        line = self.line(recall, "RC-02")
        self.assertEqual(
            (line.place, line.location_id, line.warehouse_id), ("stock", self.shelf, self.warehouse)
        )
        scrapped = self.line(recall, "RC-08")
        self.assertEqual(
            (scrapped.place, scrapped.status, scrapped.is_resolved), ("gone", "destroyed", True)
        )
        self.assertTrue(scrapped.date_resolved)
        self.assertEqual(recall.resolved_count, 1)
        self.assertAlmostEqual(recall.progress, 10.0)
        # nothing is blocked while the campaign is a draft
        self.assertFalse(self.lot["RC-01"].recall_blocked)

    def test_nothing_found_makes_no_campaign(self):
        with self.assertRaisesRegex(UserError, "No serial matches this scope"):
            self.wizard(serial_list="NOPE-1").action_confirm()

    def test_access(self):
        wizard = self.wizard(user=self.stock_manager, lot_ids=[Command.set(self.lots.ids)])
        wizard.action_preview()  # managers may look
        with self.assertRaisesRegex(AccessError, "Only recall managers can create"):
            wizard.action_confirm()
        with self.assertRaises(AccessError):
            self.env["serial.recall.wizard"].with_user(self.stock_user).create({"reason": "x"})
        recall = self.campaign(activate=False)
        with self.assertRaisesRegex(AccessError, "Only recall managers can start"):
            recall.with_user(self.stock_manager).action_activate()
        recall.action_activate()
        # inventory managers update the lines
        recall.line_ids.filtered(lambda line: not line.is_resolved).with_user(
            self.stock_manager
        )._write_off("Test")
        with self.assertRaisesRegex(UserError, "Only inventory managers"):
            recall.line_ids[:1].with_user(self.stock_user).action_mark_remedied()
        with self.assertRaisesRegex(AccessError, "Only recall managers can close"):
            recall.with_user(self.stock_manager).action_close()
        with self.assertRaises(AccessError):
            recall.with_user(self.stock_user).write({"reason": "changed"})
        self.assertEqual(recall.with_user(self.stock_user).line_count, 10)

    def test_active_serials_are_not_reserved(self):
        delivery = self.confirmed_delivery(self.env, 2)
        delivery.action_assign()
        reserved = delivery.move_line_ids.lot_id
        self.assertEqual(len(reserved), 2)
        recall = self.campaign(self.pick("RC-01", "RC-09") | reserved)
        self.assertFalse(delivery.move_line_ids, "the recall released the reservations")
        self.assertIn("released: recall", delivery.message_ids[:1].body)
        self.assertTrue(self.lot["RC-01"].recall_blocked)
        self.assertEqual(self.lot["RC-01"].recall_id, recall)
        self.assertIn(
            self.lot["RC-01"], self.env["stock.lot"].search([("recall_blocked", "=", True)])
        )
        self.assertNotIn(
            self.lot["RC-01"], self.env["stock.lot"].search([("recall_blocked", "=", False)])
        )
        delivery.action_assign()
        taken = delivery.move_line_ids.lot_id
        recalled = recall.line_ids.lot_id
        free = self.pick("RC-01", "RC-02", "RC-09", "RC-10") - recalled
        self.assertEqual(taken, free[:2])

    def test_reservation_skips_recalled_serials(self):
        self.campaign(self.pick("RC-01", "RC-09"))
        delivery = self.confirmed_delivery(self.env, 2)
        delivery.action_assign()
        self.assertEqual(sorted(delivery.move_line_ids.lot_id.mapped("name")), ["RC-02", "RC-10"])
        # an internal move may take them (to quarantine, to a repair bench)
        internal = self.env["stock.picking"].create(
            {
                "picking_type_id": self.picking_type_internal.id,
                "location_id": self.stock.id,
                "location_dest_id": self.shelf.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "in",
                            "product_id": self.product.id,
                            "product_uom_qty": 2,
                            "product_uom": self.product.uom_id.id,
                            "location_id": self.stock.id,
                            "location_dest_id": self.shelf.id,
                        }
                    )
                ],
            }
        )
        internal.action_confirm()
        internal.action_assign()
        self.assertEqual(len(internal.move_line_ids), 2)

    def test_delivery_of_recalled_serial_refused(self):
        recall = self.campaign(self.pick("RC-01"))
        delivery = self.confirmed_delivery(self.env, 1)
        delivery.move_ids.move_line_ids.unlink()
        with self.assertRaisesRegex(UserError, f"RC-01: recalled by {recall.name}"):
            delivery.move_ids.write(
                {
                    "move_line_ids": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "lot_id": self.lot["RC-01"].id,
                                "quantity": 1,
                                "location_id": self.stock.id,
                                "location_dest_id": self.customer_loc.id,
                                "picking_id": delivery.id,
                            }
                        )
                    ]
                }
            )
        with self.assertRaisesRegex(UserError, "Recalled serials cannot be reserved or delivered"):
            self.deliver(self.pick("RC-01"))
        self.assertEqual(self.lot["RC-01"].lifecycle_state, "in_stock")

    def test_closed_campaign_unblocks(self):
        recall = self.campaign(self.pick("RC-01"))
        self.line(recall, "RC-01")._write_off("Kept as a demo unit")
        recall.action_close()
        self.assertEqual(recall.state, "closed")
        self.assertFalse(self.lot["RC-01"].recall_blocked)
        self.deliver(self.pick("RC-01"))
        self.assertEqual(self.lot["RC-01"].lifecycle_state, "delivered")

    def test_quarantine(self):
        recall = self.campaign()
        # warehouse staff do it
        recall.with_user(self.stock_user).action_quarantine()
        quarantine = self.warehouse.serial_quarantine_location_id
        self.assertTrue(quarantine.serial_quarantine)
        self.assertEqual(quarantine.location_id, self.warehouse.view_location_id)
        picking = recall.picking_ids
        self.assertEqual(len(picking), 1)
        self.assertEqual(
            (picking.state, picking.picking_type_id), ("done", self.picking_type_internal)
        )
        moved = self.pick("RC-01", "RC-02", "RC-09", "RC-10")
        self.assertEqual(picking.move_line_ids.lot_id, moved)
        self.assertEqual(set(moved.mapped("current_location_id")), {quarantine})
        self.assertEqual(self.lot["RC-03"].lifecycle_state, "delivered")
        self.assertIn(picking.name, recall.message_ids[0].body)
        with self.assertRaisesRegex(UserError, "no affected serial is in stock outside quarantine"):
            recall.action_quarantine()

    def test_quarantine_location_made_for_old_warehouses(self):
        warehouse = self.env["stock.warehouse"].create({"name": "SI Second", "code": "SI2"})
        self.assertTrue(warehouse.serial_quarantine_location_id.serial_quarantine)
        warehouse.serial_quarantine_location_id = False
        location = warehouse._serial_quarantine_location()
        self.assertTrue(location.serial_quarantine)
        self.assertEqual(location.location_id, warehouse.view_location_id)

    def test_notify_customers(self):
        recall = self.campaign()
        recall.action_notify_customers()
        notices = recall.notice_ids
        self.assertEqual(
            set(notices.partner_id),
            {self.customer_contact, self.other_customer, self.no_mail_customer},
        )
        self.assertEqual(set(notices.mapped("state")), {"queued"})
        by_partner = {notice.partner_id: notice for notice in notices}
        self.assertEqual(by_partner[self.customer_contact].line_count, 2)
        self.assertEqual(by_partner[self.other_customer].line_count, 1)
        self.env["serial.recall.notice"]._cron_send()
        sent = notices.filtered(lambda notice: notice.state == "sent")
        notices.invalidate_recordset(["line_count"])
        self.assertEqual(by_partner[self.customer_contact].line_count, 2)
        self.assertEqual(
            by_partner[self.customer_contact].line_ids.lot_id, self.pick("RC-03", "RC-04")
        )
        self.assertEqual(sent.partner_id, self.customer_contact | self.other_customer)
        failed = notices - sent
        self.assertEqual(
            (failed.state, failed.failure_reason), ("failed", "The customer has no email address.")
        )
        for partner, mine, others in (
            (self.customer_contact, ["RC-03", "RC-04"], ["RC-05", "RC-06", "RC-01"]),
            (self.other_customer, ["RC-05"], ["RC-03", "RC-04", "RC-06"]),
        ):
            mail = self.env["mail.mail"].search([("recipient_ids", "in", partner.ids)])
            self.assertEqual(len(mail), 1, partner.name)
            self.assertIn(recall.name, mail.subject)
            self.assertIn(f"{len(mine)} of your units", mail.subject)
            for name in mine:
                self.assertIn(name, mail.body_html)
            for name in others:
                self.assertNotIn(name, mail.body_html)
            self.assertEqual(mail.state, "outgoing")
            # logged on the customer
            self.assertEqual(mail.mail_message_id.model, "res.partner")
            self.assertEqual(mail.mail_message_id.res_id, partner.id)
        self.assertEqual(
            self.line(recall, "RC-03").status, "notified", "the lines of a sent notice are notified"
        )
        self.assertTrue(self.line(recall, "RC-03").date_notified)
        self.assertEqual(self.line(recall, "RC-06").status, "open")
        self.assertIn("no email address", recall.message_ids[0].body)
        self.assertIn("Recall notice emailed to", recall.message_ids[1].body)
        with self.assertRaisesRegex(UserError, "no customer holds an affected serial"):
            recall.action_notify_customers()
        # once the customer has an address, the notice goes again
        self.no_mail_customer.email = "found@customer.example.com"
        failed.action_retry()
        self.env["serial.recall.notice"]._cron_send()
        self.assertEqual(failed.state, "sent")
        self.assertEqual(self.line(recall, "RC-06").status, "notified")

    def test_notify_in_batches(self):
        recall = self.campaign()
        recall.action_notify_customers()
        self.env["serial.recall.notice"]._cron_send(batch=1)
        self.assertEqual(len(recall.notice_ids.filtered(lambda n: n.state == "queued")), 2)
        self.env["serial.recall.notice"]._cron_send(batch=10)
        self.assertFalse(recall.notice_ids.filtered(lambda n: n.state == "queued"))

    def test_template_is_editable(self):
        recall = self.campaign(self.pick("RC-05"))
        template = recall.sudo().mail_template_id.copy(
            {"subject": "Urgent: {{ object.recall_id.name }}"}
        )
        recall.mail_template_id = template
        recall.action_notify_customers()
        self.env["serial.recall.notice"]._cron_send()
        mail = self.env["mail.mail"].search([("recipient_ids", "in", self.other_customer.ids)])
        self.assertEqual(mail.subject, f"Urgent: {recall.name}")

    def test_return_and_scrap_resolve_lines(self):
        recall = self.campaign()
        self.return_picking(self.delivery_1, self.pick("RC-03"))
        line = self.line(recall, "RC-03")
        self.assertEqual(line.status, "returned")
        self.assertTrue(line.date_returned and line.is_resolved)
        self.assertEqual(self.line(recall, "RC-04").status, "open")
        self.assertIn("RC-03 Returned", recall.message_ids[0].body)
        self.scrap(self.lot["RC-01"])
        self.assertEqual(self.line(recall, "RC-01").status, "destroyed")

    def test_closing_rules(self):
        recall = self.campaign(self.pick("RC-01", "RC-03", "RC-06"))
        with self.assertRaisesRegex(UserError, "3 serials are neither returned"):
            recall.action_close()
        self.line(recall, "RC-01").action_mark_remedied()
        self.line(recall, "RC-03").action_mark_returned()
        self.assertAlmostEqual(recall.progress, 200 / 3)
        with self.assertRaisesRegex(UserError, "1 serials are neither returned.*RC-06"):
            recall.action_close()
        self.line(recall, "RC-06").action_mark_unreachable()
        self.assertFalse(self.line(recall, "RC-06").is_resolved)
        write_off = self.env["serial.recall.write.off"].create(
            {"line_ids": [Command.set(self.line(recall, "RC-06").ids)], "reason": "  "}
        )
        with self.assertRaisesRegex(UserError, "needs a reason"):
            write_off.action_write_off()
        with self.assertRaisesRegex(ValidationError, "RC-06 of recall .* without a reason"):
            self.line(recall, "RC-06").write({"written_off": True})
        write_off.reason = "Customer closed, unit lost"
        write_off.action_write_off()
        self.assertTrue(self.line(recall, "RC-06").is_resolved)
        self.assertEqual(recall.progress, 100.0)
        recall.action_close()
        self.assertEqual(recall.state, "closed")
        self.assertTrue(recall.date_closed)
        with self.assertRaisesRegex(UserError, "the campaign is not active"):
            self.line(recall, "RC-01").action_mark_destroyed()
        with self.assertRaisesRegex(UserError, "kept as records"):
            recall.unlink()

    def test_warranty_claims_flagged(self):
        recall = self.campaign(self.pick("RC-03"), activate=False)
        self.assertEqual(self.pick("RC-03", "RC-04")._warranty_recall_blocking(), {})
        recall.action_activate()
        self.assertEqual(
            self.pick("RC-03", "RC-04")._warranty_recall_blocking(),
            {self.lot["RC-03"].id: f"{recall.name}, Battery may overheat"},
        )

    def test_exports(self):
        recall = self.campaign()
        action = recall.action_export_csv()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0])
        )
        rows = list(csv.reader(io.StringIO(attachment.raw.decode("utf-8-sig"))))
        self.assertEqual(rows[0][:3], ["Recall", "Customer", "Email"])
        self.assertEqual(len(rows), 11)
        by_serial = {row[6]: row for row in rows[1:]}
        self.assertEqual(
            by_serial["RC-03"][1:3], ["SI Customer, SI Customer Dock", "dock@customer.example.com"]
        )
        self.assertEqual(by_serial["RC-08"][9], "Destroyed")
        # customers first, grouped
        self.assertEqual([row[1] for row in rows[1:5]].count("SI Customer, SI Customer Dock"), 2)
        action = recall.action_export_xlsx()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0])
        )
        self.assertEqual(attachment.raw[:2], b"PK")
        pdf, _kind = self.env["ir.actions.report"]._render(
            "serialized_inventory.action_report_serial_recall", recall.ids
        )
        text = pdf_text(pdf)
        for expected in (
            recall.name,
            "SI Customer, SI Customer Dock (dock@customer.example.com)",
            "RC-03",
            "RC-07",
            "In Transit",
        ):
            self.assertIn(expected, text)
        self.assertLess(text.index("SI Customer Dock"), text.index("RC-03"))


@tagged("post_install", "-at_install")
class TestRecallNotices(RecallCommon):
    """Notices are queued once per customer and a notice that fails does not
    stall the job."""

    def test_only_recall_managers_notify(self):
        recall = self.campaign()
        for user in (self.stock_user, self.stock_manager):
            with self.assertRaisesRegex(AccessError, "Only recall managers can notify"):
                recall.with_user(user).action_notify_customers()
        self.assertFalse(recall.notice_ids)

    def test_second_click_queues_nothing(self):
        recall = self.campaign()
        recall.action_notify_customers()
        notices = recall.notice_ids
        self.assertEqual(len(notices), 3)
        action = recall.action_notify_customers()
        self.assertEqual(action["params"]["type"], "info")
        self.assertIn("already queued", action["params"]["message"])
        recall.invalidate_recordset(["notice_ids"])
        self.assertEqual(recall.notice_ids, notices, "a second click queues no other notice")
        # each notice lists its customer's lines, all of them, from the start
        by_partner = {notice.partner_id: notice.line_ids.lot_id for notice in notices}
        self.assertEqual(by_partner[self.customer_contact], self.pick("RC-03", "RC-04"))
        self.assertEqual(by_partner[self.other_customer], self.pick("RC-05"))
        self.assertEqual(by_partner[self.no_mail_customer], self.pick("RC-06"))
        self.env["serial.recall.notice"]._cron_send()
        mails = self.env["mail.mail"].search([("recipient_ids", "in", self.customer_contact.ids)])
        self.assertEqual(len(mails), 1)
        self.assertIn("2 of your units", mails.subject)

    def test_failing_notice_is_isolated(self):
        recall = self.campaign(self.pick("RC-03", "RC-04", "RC-05"))
        template = recall.sudo().mail_template_id.copy()
        template.body_html = (
            '<p><t t-if="object.partner_id.name == \'SI Other Customer\'" t-out="1 // 0"/>'
            "Recalled: <t t-out=\"', '.join(object.line_ids.lot_id.mapped('name'))\"/></p>"
        )
        recall.mail_template_id = template
        other = self.campaign(self.pick("RC-05", "RC-06"))
        recall.action_notify_customers()
        other.action_notify_customers()
        Notice = self.env["serial.recall.notice"]
        Notice._cron_send()
        broken = recall.notice_ids.filtered(lambda n: n.partner_id == self.other_customer)
        self.assertEqual(broken.state, "failed")
        self.assertIn("division", broken.failure_reason)
        self.assertIn("could not be sent", recall.message_ids[0].body)
        fine = recall.notice_ids - broken
        self.assertEqual(fine.mapped("state"), ["sent"])
        self.assertEqual(self.line(recall, "RC-03").status, "notified")
        self.assertEqual(self.line(recall, "RC-05").status, "open")
        # the other campaign's notices went out in the same run
        self.assertEqual(
            other.notice_ids.filtered(lambda n: n.partner_id == self.other_customer).state, "sent"
        )
        self.assertEqual(self.line(other, "RC-05").status, "notified")
        # nothing is left for the next run to trip on
        self.assertFalse(Notice.search([("state", "=", "queued")]))
        Notice._cron_send()
        self.assertEqual(broken.state, "failed")


@tagged("post_install", "-at_install")
class TestRecallCompanies(RecallCommon):
    """A campaign acts on its own company's stock: a serial without a
    company can also sit in another company's warehouse."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "SI Recall Company B"})
        env_b = cls.env(context=dict(cls.env.context, allowed_company_ids=cls.company_b.ids))
        cls.warehouse_b = env_b["stock.warehouse"].search(
            [("company_id", "=", cls.company_b.id)], limit=1
        )
        cls.shared_lot = cls.env["stock.lot"].create(
            {"name": "RC-SHARED", "product_id": cls.product.id, "company_id": False}
        )
        validated_transfer(
            env_b,
            cls.warehouse_b.in_type_id,
            cls.supplier_loc,
            cls.warehouse_b.lot_stock_id,
            cls.product,
            [{"lot_id": cls.shared_lot.id}],
        )
        cls.delivery_b = cls.confirmed_delivery(
            env_b, 1, cls.warehouse_b.lot_stock_id, picking_type=cls.warehouse_b.out_type_id
        )
        cls.delivery_b.action_assign()

    def test_wizard_company_must_be_allowed(self):
        wizard = self.wizard(lot_ids=[Command.set(self.shared_lot.ids)])
        wizard.sudo().company_id = self.company_b
        with self.assertRaisesRegex(AccessError, "SI Recall Company B.*allowed companies"):
            wizard.action_preview()
        with self.assertRaisesRegex(AccessError, "allowed companies"):
            wizard.action_confirm()
        self.assertFalse(self.env["serial.recall"].search([("company_id", "=", self.company_b.id)]))

    def test_campaign_leaves_other_company_stock_alone(self):
        self.assertEqual(self.delivery_b.move_line_ids.lot_id, self.shared_lot)
        recall = self.campaign(self.shared_lot | self.pick("RC-01"))
        self.assertEqual(recall.company_id, self.env.company)
        # company B's reservation is kept, its stock not quarantined
        self.assertEqual(self.delivery_b.move_line_ids.lot_id, self.shared_lot)
        recall.action_quarantine()
        self.assertEqual(recall.picking_ids.move_line_ids.lot_id, self.pick("RC-01"))
        self.assertEqual(recall.picking_ids.company_id, self.env.company)
        # company B delivers it; company A's line does not follow B's movements
        self.delivery_b.move_ids.picked = True
        self.delivery_b.button_validate()
        self.assertEqual(self.delivery_b.state, "done")
        self.assertEqual(self.line(recall, "RC-SHARED").status, "open")
