# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
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
        (lifecycle.PACK, model.env._("Packed")),
        (lifecycle.UNPACK, model.env._("Unpacked")),
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
    # restrict: deleting what an event names would rewrite the history (see
    # _check_unlink_referenced for the message)
    location_id = fields.Many2one(
        "stock.location", string="From", readonly=True, ondelete="restrict"
    )
    location_dest_id = fields.Many2one(
        "stock.location", string="To", readonly=True, ondelete="restrict"
    )
    picking_id = fields.Many2one(
        "stock.picking",
        string="Transfer",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
    )
    move_id = fields.Many2one(
        "stock.move", readonly=True, index="btree_not_null", ondelete="restrict"
    )
    move_line_id = fields.Many2one(
        "stock.move.line", readonly=True, index="btree_not_null", ondelete="restrict"
    )
    partner_id = fields.Many2one(
        "res.partner", readonly=True, index="btree_not_null", ondelete="restrict"
    )
    user_id = fields.Many2one(
        "res.users", string="Done By", readonly=True, index="btree_not_null", ondelete="restrict"
    )
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    reference = fields.Char(readonly=True)
    package_id = fields.Many2one(
        "stock.quant.package",
        string="Container",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        help="Packed and Unpacked events: the case or pallet the unit was put in or taken out of.",
    )
    inner_package_id = fields.Many2one(
        "stock.quant.package",
        string="Through Case",
        readonly=True,
        ondelete="restrict",
        help="When a case was put on or taken off a pallet: the case holding the unit.",
    )

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

    @api.model
    def _check_unlink_referenced(self, records, field_names):
        """Refuse to delete ``records`` while events name them in one of
        ``field_names``: the ledger keeps who, where and which transfer
        (archive them instead). The foreign keys restrict too, for code that
        bypasses this check."""
        ledger = self.sudo()
        referenced = records.browse()
        for name in field_names:
            groups = ledger._read_group([(name, "in", records.ids)], [name])
            referenced |= records.browse([record.id for (record,) in groups])
        if referenced:
            raise UserError(
                self.env._(
                    "%(records)s cannot be deleted: the serial history refers to them "
                    "(%(events)s). Archive them instead.",
                    records=", ".join(referenced.mapped("display_name")),
                    events=", ".join(
                        ledger.search(
                            expression.OR([[(name, "in", referenced.ids)] for name in field_names]),
                            limit=5,
                        ).mapped("display_name")
                    ),
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
        # What the events need of the lines, read in one query (ORM reads of
        # ten fields of 10,000 lines cost more than the whole bookkeeping).
        # Each query reads by id through an index: a join with rows made in
        # the same transaction (new serials, earlier events) may get a plan
        # quadratic in their number.
        self.env["stock.move.line"].flush_model()
        self.env["stock.move"].flush_model(["partner_id", "reference"])
        self.env["stock.picking"].flush_model(["partner_id", "name"])
        self.env.cr.execute(
            SQL(
                """
            SELECT line.id, line.lot_id, line.product_id, line.date,
                   source.usage, dest.usage, dest.scrap_location,
                   line.location_id, line.location_dest_id, line.picking_id, line.move_id,
                   COALESCE(picking.partner_id, move.partner_id), line.write_uid,
                   line.company_id, COALESCE(picking.name, move.reference)
              FROM stock_move_line AS line
              JOIN product_product AS product ON product.id = line.product_id
              JOIN product_template AS template ON template.id = product.product_tmpl_id
              JOIN stock_location AS source ON source.id = line.location_id
              JOIN stock_location AS dest ON dest.id = line.location_dest_id
              LEFT JOIN stock_picking AS picking ON picking.id = line.picking_id
              LEFT JOIN stock_move AS move ON move.id = line.move_id
             WHERE line.id = ANY(%s) AND line.state = 'done' AND line.quantity > 0
               AND line.lot_id IS NOT NULL AND template.tracking = 'serial'
             ORDER BY line.date, line.id
                """,
                list(move_line_ids),
            )
        )
        lines = self.env.cr.fetchall()
        MoveLine = self.env["stock.move.line"].sudo()
        # a unit packed or unpacked where it stands (a case unpacked at the
        # customer's) did not move: only its Packed/Unpacked events are written
        repacks = MoveLine.browse(line[0] for line in lines if line[7] == line[8])
        if repacks:
            repacks.result_package_id._detach_split_pallets()
            repacks.lot_id._sync_serial_containers(repacks)
            lines = [line for line in lines if line[7] != line[8]]
        if lines:
            self.env.cr.execute(
                SQL(
                    "SELECT move_line_id, lot_id FROM serial_event WHERE move_line_id = ANY(%s)",
                    [line[0] for line in lines],
                )
            )
            recorded = set(self.env.cr.fetchall())
            lines = [line for line in lines if (line[0], line[1]) not in recorded]
        if not lines:
            return self.browse()
        serials = self.env["stock.lot"].sudo().browse({line[1] for line in lines})
        serials.fetch(["lifecycle_state", "first_receipt_date"])
        state = {}
        received = {}
        lot_updates = {}
        rows = []
        for (
            line_id,
            lot_id,
            product_id,
            date,
            source_usage,
            dest_usage,
            dest_is_scrap,
            source_id,
            dest_id,
            picking_id,
            move_id,
            partner_id,
            line_author,
            company_id,
            reference,
        ) in lines:
            serial = serials.browse(lot_id)
            event_type, new_state = lifecycle.classify(
                source_usage, dest_usage, dest_is_scrap, state.get(lot_id, serial.lifecycle_state)
            )
            state[lot_id] = new_state
            updates = lot_updates.setdefault(lot_id, {})
            updates.update(
                lifecycle_state=new_state,
                current_location_id=dest_id,
                current_holder_id=partner_id
                if new_state in (lifecycle.DELIVERED, lifecycle.VENDOR_RETURNED)
                else False,
            )
            if event_type in lifecycle.ARRIVALS and not received.get(
                lot_id, bool(serial.first_receipt_date)
            ):
                received[lot_id] = True
                updates["first_receipt_date"] = date
            if event_type == lifecycle.DELIVERY:
                updates["last_delivery_date"] = date
            rows.append(
                SQL(
                    "(%s, %s, %s, %s, %s, %s, %s, %s::int, %s::int, %s, %s::int, %s::int, %s,"
                    " %s::varchar)",
                    lot_id,
                    product_id,
                    date,
                    event_type,
                    new_state,
                    source_id,
                    dest_id,
                    picking_id,
                    move_id,
                    line_id,
                    partner_id,
                    (line_author if by_line_author else self.env.uid) or None,
                    company_id,
                    reference,
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
        self.env["serial.recall.line"].sudo()._sync_from_serial_events(events)
        # the units' cases and pallets after the move, with their pack/unpack events
        done = MoveLine.browse(line[0] for line in lines)
        done.result_package_id._detach_split_pallets()
        lots._sync_serial_containers(done)
        return events

    @api.model
    def _record_aggregations(self, rows):
        """Append Packed/Unpacked events in one INSERT.

        :param rows: dicts with ``lot`` (a stock.lot), ``event_type`` (pack or
            unpack), ``package`` (the container), ``inner`` (the case a pallet
            event went through, or an empty recordset) and optionally ``line``
            (the done move line that packed or unpacked it).
        """
        if not rows:
            return self.browse()
        now = self.env.cr.now()
        values = []
        for row in rows:
            lot, line = row["lot"], row.get("line")
            location = lot.current_location_id
            values.append(
                SQL(
                    "(%s, %s, %s, %s, %s, %s::int, %s::int, %s::int, %s::int, %s::int, %s::int,"
                    " %s, %s::varchar, %s::int, %s::int)",
                    lot.id,
                    lot.product_id.id,
                    line.date if line else now,
                    row["event_type"],
                    lot.lifecycle_state,
                    location.id or None,
                    location.id or None,
                    (line.picking_id.id or None) if line else None,
                    (line.move_id.id or None) if line else None,
                    lot.current_holder_id.id or None,
                    self.env.uid,
                    lot.company_id.id or row["package"].company_id.id or self.env.company.id,
                    (line.picking_id.name or line.move_id.reference or None) if line else None,
                    row["package"].id,
                    row["inner"].id or None,
                )
            )
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO serial_event (
                lot_id, product_id, date, event_type, lifecycle_state,
                location_id, location_dest_id, picking_id, move_id, partner_id, user_id,
                company_id, reference, package_id, inner_package_id,
                create_uid, create_date, write_uid, write_date)
            SELECT v.*, %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM (VALUES %(rows)s) AS v
         RETURNING id
                """,
                uid=self.env.uid,
                now=now,
                rows=SQL(", ").join(values),
            )
        )
        events = self.browse([row[0] for row in self.env.cr.fetchall()])
        lots = self.env["stock.lot"].browse({row["lot"].id for row in rows})
        lots.invalidate_recordset(["serial_event_ids", "serial_event_count"])
        return events
