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
        if not move_line_ids:
            return self.browse()
        self.env["stock.move.line"].flush_model()
        self.env["stock.move"].flush_model()
        self.env["stock.picking"].flush_model(["partner_id", "name"])
        self.env["stock.lot"].flush_model()
        self.env.cr.execute(
            SQL(
                """
            SELECT ml.id, ml.move_id, ml.lot_id, ml.product_id, ml.date,
                   ml.location_id, ml.location_dest_id, ml.picking_id,
                   COALESCE(picking.partner_id, move.partner_id),
                   COALESCE(%(user_id)s, ml.write_uid), ml.company_id,
                   COALESCE(picking.name, move.reference),
                   src.usage, dest.usage, dest.scrap_location,
                   lot.lifecycle_state, lot.first_receipt_date IS NOT NULL
              FROM stock_move_line ml
              JOIN stock_move move ON move.id = ml.move_id
              JOIN stock_lot lot ON lot.id = ml.lot_id
              JOIN product_product product ON product.id = ml.product_id
              JOIN product_template tmpl ON tmpl.id = product.product_tmpl_id
              JOIN stock_location src ON src.id = ml.location_id
              JOIN stock_location dest ON dest.id = ml.location_dest_id
         LEFT JOIN stock_picking picking ON picking.id = ml.picking_id
             WHERE ml.id = ANY(%(ids)s)
               AND ml.state = 'done'
               AND ml.quantity > 0
               AND tmpl.tracking = 'serial'
               AND NOT EXISTS (
                   SELECT 1 FROM serial_event e
                    WHERE e.move_line_id = ml.id AND e.lot_id = ml.lot_id)
          ORDER BY ml.date, ml.id
                """,
                user_id=None if by_line_author else self.env.uid,
                ids=list(move_line_ids),
            )
        )
        rows = self.env.cr.fetchall()
        if not rows:
            return self.browse()
        state = {}
        received = {}
        lot_updates = {}
        event_vals = []
        for (
            ml_id,
            move_id,
            lot_id,
            product_id,
            date,
            location_id,
            location_dest_id,
            picking_id,
            partner_id,
            uid,
            company_id,
            reference,
            src_usage,
            dest_usage,
            dest_scrap,
            lot_state,
            lot_received,
        ) in rows:
            event_type, new_state = lifecycle.classify(
                src_usage, dest_usage, dest_scrap, state.get(lot_id, lot_state)
            )
            state[lot_id] = new_state
            updates = lot_updates.setdefault(lot_id, {})
            updates.update(
                lifecycle_state=new_state,
                current_location_id=location_dest_id,
                current_holder_id=partner_id
                if new_state in (lifecycle.DELIVERED, lifecycle.VENDOR_RETURNED)
                else False,
            )
            if event_type in lifecycle.ARRIVALS and not received.get(lot_id, lot_received):
                received[lot_id] = True
                updates["first_receipt_date"] = date
            if event_type == lifecycle.DELIVERY:
                updates["last_delivery_date"] = date
            event_vals.append(
                {
                    "lot_id": lot_id,
                    "product_id": product_id,
                    "date": date,
                    "event_type": event_type,
                    "lifecycle_state": new_state,
                    "location_id": location_id,
                    "location_dest_id": location_dest_id,
                    "picking_id": picking_id,
                    "move_id": move_id,
                    "move_line_id": ml_id,
                    "partner_id": partner_id,
                    "user_id": uid,
                    "company_id": company_id,
                    "reference": reference,
                }
            )
        events = self.sudo().create(event_vals)
        self.env["stock.lot"]._apply_serial_events(lot_updates)
        return events
