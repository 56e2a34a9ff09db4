# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..lib import recall as rules
from ..lib import serial_lifecycle as lifecycle


def _place_selection(model):
    return [
        (rules.STOCK, model.env._("In Our Stock")),
        (rules.TRANSIT, model.env._("In Transit")),
        (rules.CUSTOMER, model.env._("At Customer")),
        (rules.VENDOR, model.env._("At Vendor")),
        (rules.GONE, model.env._("Scrapped, Consumed or Lost")),
        (rules.NOT_RECEIVED, model.env._("Not Received")),
    ]


def _status_selection(model):
    return [
        (rules.OPEN, model.env._("Open")),
        (rules.NOTIFIED, model.env._("Notified")),
        (rules.RETURNED, model.env._("Returned")),
        (rules.REMEDIED, model.env._("Remedied")),
        (rules.DESTROYED, model.env._("Destroyed")),
        (rules.UNREACHABLE, model.env._("Unreachable")),
    ]


class SerialRecallLine(models.Model):
    """One affected serial of a recall campaign, where it was when the
    campaign was made and what became of it."""

    _name = "serial.recall.line"
    _description = "Recalled Serial"
    _order = "recall_id desc, partner_id, product_id, lot_id"
    _rec_name = "lot_id"
    _check_company_auto = True

    recall_id = fields.Many2one(
        "serial.recall", required=True, readonly=True, index=True, ondelete="cascade"
    )
    recall_state = fields.Selection(related="recall_id.state", string="Recall State")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial Number",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    product_id = fields.Many2one("product.product", required=True, readonly=True, index=True)
    place = fields.Selection(
        selection=_place_selection,
        string="Where",
        required=True,
        readonly=True,
        help="Where the unit was when the campaign was made.",
    )
    location_id = fields.Many2one("stock.location", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        readonly=True,
        index="btree_not_null",
        help="Who held the unit when the campaign was made.",
    )
    source_lot_id = fields.Many2one(
        "stock.lot",
        string="Through Component",
        readonly=True,
        help="A finished product is recalled because it consumed this affected serial.",
    )
    status = fields.Selection(
        selection=_status_selection, required=True, default=rules.OPEN, readonly=True, index=True
    )
    is_resolved = fields.Boolean(
        string="Resolved",
        compute="_compute_is_resolved",
        store=True,
        help="Returned, remedied or destroyed, or written off with a reason.",
    )
    written_off = fields.Boolean(readonly=True)
    write_off_reason = fields.Text(readonly=True)
    date_notified = fields.Datetime(string="Notified On", readonly=True)
    date_returned = fields.Datetime(string="Returned On", readonly=True)
    date_resolved = fields.Datetime(string="Resolved On", readonly=True)
    notice_id = fields.Many2one("serial.recall.notice", readonly=True, index="btree_not_null")
    lifecycle_state = fields.Selection(related="lot_id.lifecycle_state", string="Now")
    current_location_id = fields.Many2one(related="lot_id.current_location_id", string="Now At")

    _sql_constraints = [
        ("recall_lot_uniq", "unique(recall_id, lot_id)", "A serial is listed once per recall."),
    ]

    @api.constrains("written_off", "write_off_reason")
    def _check_write_off_reason(self):
        for line in self:
            if line.written_off and not (line.write_off_reason or "").strip():
                raise ValidationError(
                    self.env._(
                        "Serial %(serial)s of recall %(recall)s is written off without a reason.",
                        serial=line.lot_id.name,
                        recall=line.recall_id.name,
                    )
                )

    @api.depends("status", "written_off")
    def _compute_is_resolved(self):
        for line in self:
            line.is_resolved = rules.is_resolved(line.status, line.written_off)

    # ------------------------------------------------------------------
    # Status changes
    # ------------------------------------------------------------------

    def _check_can_update(self):
        if not self.env.user.has_group("serialized_inventory.group_serial_manager"):
            raise AccessError(
                self.env._(
                    "Only inventory managers can update recalled serials (%(serials)s).",
                    serials=", ".join(self.lot_id.mapped("name")),
                )
            )
        closed = self.filtered(lambda line: line.recall_id.state != "active")
        if closed:
            raise UserError(
                self.env._(
                    "Serial %(serial)s of recall %(recall)s cannot change: the campaign is not "
                    "active.",
                    serial=closed[0].lot_id.name,
                    recall=closed[0].recall_id.name,
                )
            )

    def _set_status(self, status, date_field=None):
        self._check_can_update()
        vals = {"status": status}
        if date_field:
            vals[date_field] = fields.Datetime.now()
        self.sudo().write(vals)
        labels = dict(self._fields["status"]._description_selection(self.env))
        for recall, lines in self.grouped("recall_id").items():
            recall.message_post(
                body=self.env._(
                    "%(serials)s marked %(status)s.",
                    serials=", ".join(lines.lot_id.mapped("name")),
                    status=labels[status],
                )
            )
        return True

    def action_mark_remedied(self):
        return self._set_status(rules.REMEDIED, "date_resolved")

    def action_mark_destroyed(self):
        return self._set_status(rules.DESTROYED, "date_resolved")

    def action_mark_returned(self):
        return self._set_status(rules.RETURNED, "date_returned")

    def action_mark_unreachable(self):
        return self._set_status(rules.UNREACHABLE)

    def action_write_off(self):
        self._check_can_update()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Write Off Recalled Serials"),
            "res_model": "serial.recall.write.off",
            "view_mode": "form",
            "target": "new",
            "context": {"default_line_ids": self.ids},
        }

    def _write_off(self, reason):
        self._check_can_update()
        if not (reason or "").strip():
            raise UserError(self.env._("Writing recalled serials off needs a reason."))
        self.sudo().write(
            {
                "written_off": True,
                "write_off_reason": reason.strip(),
                "date_resolved": fields.Datetime.now(),
            }
        )
        for recall, lines in self.grouped("recall_id").items():
            recall.message_post(
                body=self.env._(
                    "%(serials)s written off: %(reason)s",
                    serials=", ".join(lines.lot_id.mapped("name")),
                    reason=reason.strip(),
                )
            )

    # ------------------------------------------------------------------
    # From the ledger
    # ------------------------------------------------------------------

    @api.model
    def _sync_from_serial_events(self, events):
        """A serial of an active campaign that comes back from a customer is
        returned; one that is scrapped is destroyed."""
        outcome = {
            lifecycle.CUSTOMER_RETURN: (rules.RETURNED, "date_returned"),
            lifecycle.SCRAP: (rules.DESTROYED, "date_resolved"),
        }
        events = events.filtered(lambda event: event.event_type in outcome)
        if not events:
            return
        self.env.cr.execute(
            SQL(
                """
            SELECT line.id, line.lot_id, line.company_id FROM serial_recall_line AS line
              JOIN serial_recall AS recall ON recall.id = line.recall_id
             WHERE line.lot_id = ANY(%s) AND recall.state = 'active'
               AND line.status = ANY(%s) AND NOT COALESCE(line.written_off, FALSE)
                """,
                events.lot_id.ids,
                list(rules.WAITING),
            )
        )
        lines_by_lot = defaultdict(list)
        # a campaign follows its own company's movements of the serial only
        for line_id, lot_id, company_id in self.env.cr.fetchall():
            lines_by_lot[lot_id, company_id].append(line_id)
        if not lines_by_lot:
            return
        updates = defaultdict(list)
        for event in events.sorted("date"):
            status, date_field = outcome[event.event_type]
            for line_id in lines_by_lot.get((event.lot_id.id, event.company_id.id), []):
                updates[(status, date_field, event.date, event.reference or "")].append(line_id)
        labels = dict(self._fields["status"]._description_selection(self.env))
        Line = self.sudo()
        for (status, date_field, date, reference), line_ids in updates.items():
            lines = Line.browse(line_ids)
            lines.write({"status": status, date_field: date})
            for recall, recall_lines in lines.grouped("recall_id").items():
                recall.message_post(
                    body=self.env._(
                        "%(serials)s %(status)s (%(reference)s).",
                        serials=", ".join(recall_lines.lot_id.mapped("name")),
                        status=labels[status],
                        reference=reference,
                    )
                )
