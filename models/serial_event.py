# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..lib import serial_lifecycle as lifecycle


def _event_type_selection(model):
    return [
        (lifecycle.RECEIPT, model.env._("Receipt")),
        (lifecycle.INTERNAL, model.env._("Internal Transfer")),
        (lifecycle.TRANSIT, model.env._("Transit")),
        (lifecycle.DELIVERY, model.env._("Delivery")),
        (lifecycle.CUSTOMER_RETURN, model.env._("Customer Return")),
        (lifecycle.VENDOR_RETURN, model.env._("Return to Vendor")),
        (lifecycle.SCRAP, model.env._("Scrap")),
        (lifecycle.ADJUSTMENT_IN, model.env._("Inventory Gain")),
        (lifecycle.ADJUSTMENT_OUT, model.env._("Inventory Loss")),
        (lifecycle.PRODUCTION, model.env._("Production")),
        (lifecycle.CONSUMPTION, model.env._("Consumed in Production")),
        (lifecycle.OTHER, model.env._("Other")),
    ]


class SerialEvent(models.Model):
    """One row per serial per done movement: the serial's immutable history.

    Rows are written in batch by ``stock.move._action_done`` (and by the
    install backfill) as superuser; nobody else may create, change or delete
    them through the ORM.
    """

    _name = "serial.event"
    _description = "Serial Event"
    _order = "date desc, id desc"
    _rec_name = "lot_id"
    _check_company_auto = True

    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial Number",
        required=True,
        index=True,
        ondelete="restrict",
        readonly=True,
        check_company=True,
    )
    product_id = fields.Many2one("product.product", required=True, index=True, readonly=True)
    date = fields.Datetime(required=True, index=True, readonly=True)
    event_type = fields.Selection(
        selection=_event_type_selection, required=True, index=True, readonly=True
    )
    lifecycle_state = fields.Selection(
        selection=lambda self: self.env["stock.lot"]._lifecycle_state_selection(),
        string="State After",
        required=True,
        readonly=True,
        help="Lifecycle state of the serial once this movement was done.",
    )
    location_id = fields.Many2one("stock.location", string="From", readonly=True)
    location_dest_id = fields.Many2one("stock.location", string="To", readonly=True)
    picking_id = fields.Many2one("stock.picking", string="Transfer", readonly=True)
    move_id = fields.Many2one("stock.move", readonly=True, index="btree_not_null")
    move_line_id = fields.Many2one("stock.move.line", readonly=True, index="btree_not_null")
    partner_id = fields.Many2one("res.partner", readonly=True)
    user_id = fields.Many2one("res.users", string="Done By", readonly=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    reference = fields.Char(readonly=True)

    _sql_constraints = [
        (
            "move_line_lot_uniq",
            "unique(move_line_id, lot_id)",
            "A done move line can only be recorded once per serial.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise UserError(
                self.env._(
                    "Serial events are an immutable ledger written by done stock moves; "
                    "they cannot be created by hand."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            raise UserError(
                self.env._(
                    "Serial events are an immutable ledger and cannot be modified (%(events)s).",
                    events=", ".join(self.mapped("display_name")),
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=True)
    def _unlink_except_ledger(self):
        if not self.env.su:
            raise UserError(
                self.env._(
                    "Serial events are an immutable ledger and cannot be deleted (%(events)s).",
                    events=", ".join(self.mapped("display_name")),
                )
            )

    @api.depends("lot_id", "event_type", "date")
    def _compute_display_name(self):
        types = dict(self._fields["event_type"]._description_selection(self.env))
        for event in self:
            event.display_name = (
                f"{event.lot_id.name}: {types.get(event.event_type, '')} "
                f"({fields.Datetime.to_string(event.date)})"
            )

    @api.model
    def _record_move_lines(self, move_line_ids, by_line_author=False):
        """Append one event per serial for the given done move lines and bring
        the serials' lifecycle fields up to date, in a constant number of
        queries whatever the number of lines.

        :param move_line_ids: ids of done ``stock.move.line`` records; those of
            products not tracked by serial, without a serial or already
            recorded are skipped.
        :param by_line_author: record the last writer of each line as the
            user who did it (backfill) instead of the current user.
        :return: the created events
        """
        lines = (
            self.env["stock.move.line"]
            .sudo()
            .browse(move_line_ids)
            .filtered(
                lambda ml: (
                    ml.state == "done"
                    and ml.lot_id
                    and ml.quantity > 0
                    and ml.product_id.tracking == "serial"
                )
            )
        )
        if not lines:
            return self.browse()
        self.env.cr.execute(
            SQL(
                "SELECT move_line_id, lot_id FROM serial_event WHERE move_line_id = ANY(%s)",
                lines.ids,
            )
        )
        recorded = set(self.env.cr.fetchall())
        lines = lines.filtered(lambda ml: (ml.id, ml.lot_id.id) not in recorded)
        if not lines:
            return self.browse()
        state = {}
        received = {}
        lot_updates = {}
        rows = []
        for ml in lines.sorted(lambda ml: (ml.date, ml.id)):
            lot, dest = ml.lot_id, ml.location_dest_id
            event_type, new_state = lifecycle.classify(
                ml.location_id.usage,
                dest.usage,
                dest.scrap_location,
                state.get(lot.id, lot.lifecycle_state),
            )
            state[lot.id] = new_state
            partner = ml.picking_id.partner_id or ml.move_id.partner_id
            updates = lot_updates.setdefault(lot.id, {})
            updates.update(
                lifecycle_state=new_state,
                current_location_id=dest.id,
                current_holder_id=partner.id
                if new_state in (lifecycle.DELIVERED, lifecycle.VENDOR_RETURNED)
                else False,
            )
            if event_type in lifecycle.ARRIVALS and not received.get(
                lot.id, bool(lot.first_receipt_date)
            ):
                received[lot.id] = True
                updates["first_receipt_date"] = ml.date
            if event_type == lifecycle.DELIVERY:
                updates["last_delivery_date"] = ml.date
            rows.append(
                SQL(
                    "(%s, %s, %s, %s, %s, %s, %s, %s::int, %s::int, %s, %s::int, %s::int, %s,"
                    " %s::varchar)",
                    lot.id,
                    ml.product_id.id,
                    ml.date,
                    event_type,
                    new_state,
                    ml.location_id.id,
                    dest.id,
                    ml.picking_id.id or None,
                    ml.move_id.id or None,
                    ml.id,
                    partner.id or None,
                    (ml.write_uid.id if by_line_author else self.env.uid) or None,
                    ml.company_id.id,
                    ml.picking_id.name or ml.move_id.reference or None,
                )
            )
        # The ledger is append-only and has no computed or related field to
        # maintain: one INSERT for the whole batch.
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO serial_event (
                lot_id, product_id, date, event_type, lifecycle_state,
                location_id, location_dest_id, picking_id, move_id, move_line_id,
                partner_id, user_id, company_id, reference,
                create_uid, create_date, write_uid, write_date)
            SELECT v.*, %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM (VALUES %(rows)s) AS v
         RETURNING id
                """,
                uid=self.env.uid,
                now=self.env.cr.now(),
                rows=SQL(", ").join(rows),
            )
        )
        events = self.browse([row[0] for row in self.env.cr.fetchall()])
        lots = self.env["stock.lot"].browse(lot_updates)
        lots.invalidate_recordset(["serial_event_ids", "serial_event_count"])
        lots._apply_serial_events(lot_updates)
        self.env["serial.warranty"]._sync_from_serial_events(events)
        return events
