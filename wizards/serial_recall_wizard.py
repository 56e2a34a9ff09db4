# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..lib import recall as rules
from ..lib import serial_format
from ..lib import serial_lifecycle as lifecycle

# Serials shown per group in the preview (all of them go on the campaign).
PREVIEW_SERIALS = 20
# Production levels followed from a consumed serial to its finished products.
MAX_TRACE_DEPTH = 10


def _int_array(ids):
    """``ids`` as a PostgreSQL array literal, for ``%s::int[]``: psycopg2
    adapts a list item by item, which costs more than the query itself for
    the hundreds of thousands of serials a recall can hold."""
    return "{" + ",".join(map(str, ids)) + "}"


class SerialRecallWizard(models.TransientModel):
    """Find every affected unit, show where each one is, then make the recall
    campaign. Each criterion given narrows the scope; within one, any value
    matches (these products OR those, etc.)."""

    _name = "serial.recall.wizard"
    _description = "Recall Wizard"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    product_ids = fields.Many2many(
        "product.product",
        string="Products",
        domain=[("tracking", "=", "serial")],
        check_company=True,
    )
    lot_ids = fields.Many2many(
        "stock.lot",
        string="Serial Numbers",
        domain="[('product_id.tracking', '=', 'serial')]",
        check_company=True,
    )
    batch_codes = fields.Char(
        string="Batches",
        help="Batch codes as the serials' format rule writes them ({batch}), separated by commas.",
    )
    serial_list = fields.Text(
        help="Serials typed or pasted: one per line, or separated by commas, semicolons or tabs.",
    )
    serial_file = fields.Binary(string="Serials CSV", attachment=False)
    serial_filename = fields.Char()
    range_from = fields.Char(string="From Serial")
    range_to = fields.Char(string="To Serial")
    receipt_date_from = fields.Date(string="Received From")
    receipt_date_to = fields.Date(string="Received Until")
    supplier_ids = fields.Many2many(
        "res.partner", string="Suppliers", help="The vendors the serials were received from."
    )
    production_date_from = fields.Date(string="Produced From")
    production_date_to = fields.Date(string="Produced Until")
    include_production = fields.Boolean(
        string="Include Finished Products",
        default=True,
        help="Add the finished products whose production consumed an affected serial, level "
        "after level.",
    )
    reason = fields.Text()
    severity = fields.Selection(
        selection=lambda self: self.env["serial.recall"]._fields["severity"].selection,
        default="2",
        required=True,
    )
    state = fields.Selection(
        selection=[("scope", "Scope"), ("preview", "Preview")], default="scope"
    )
    affected_count = fields.Integer(readonly=True)
    preview_html = fields.Html(readonly=True, sanitize=False)
    unmatched_serials = fields.Text(readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_storable_text(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_storable_text(vals)
        return super().write(vals)

    def _check_storable_text(self, vals):
        """A typed or pasted NUL byte, which PostgreSQL cannot store, is
        refused with the field it is in rather than a database error."""
        for name, value in vals.items():
            if isinstance(value, str) and "\x00" in value:
                raise UserError(
                    self.env._(
                        "%(field)s holds a NUL character, which cannot be stored: %(value)s",
                        field=self._fields[name]._description_string(self.env),
                        value=serial_format.shown_value(value),
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_preview(self):
        self.ensure_one()
        scope = self._resolve_scope()
        self.write(
            {
                "state": "preview",
                "affected_count": len(scope["lot_ids"]),
                "preview_html": self._preview_html(scope),
                "unmatched_serials": "\n".join(scope["unknown"]),
            }
        )
        return self._reopen()

    def action_back(self):
        self.write({"state": "scope"})
        return self._reopen()

    def action_confirm(self):
        """Make the draft campaign, one line per affected serial; nothing is
        blocked until a recall manager starts it."""
        self.ensure_one()
        if not self.env.user.has_group("serialized_inventory.group_recall_manager"):
            raise AccessError(self.env._("Only recall managers can create recall campaigns."))
        if not (self.reason or "").strip():
            raise UserError(self.env._("Give the reason of the recall."))
        scope = self._resolve_scope()
        if not scope["lot_ids"]:
            raise UserError(
                self.env._(
                    "No serial matches this scope (%(scope)s); no campaign was made.",
                    scope="; ".join(scope["criteria"]),
                )
            )
        recall = self.env["serial.recall"].create(
            {
                "reason": self.reason.strip(),
                "severity": self.severity,
                "company_id": self.company_id.id,
                "scope_description": "\n".join(scope["criteria"]),
                "unmatched_serials": "\n".join(scope["unknown"]) or False,
            }
        )
        self._create_lines(recall, scope)
        recall.message_post(
            body=self.env._(
                "Campaign made with %(count)s serials.\nScope: %(scope)s",
                count=len(scope["lot_ids"]),
                scope="; ".join(scope["criteria"]),
            )
        )
        if scope["unknown"]:
            recall.message_post(
                body=self.env._(
                    "%(count)s serials of the list are not known here: %(serials)s",
                    count=len(scope["unknown"]),
                    serials=", ".join(scope["unknown"]),
                )
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "serial.recall",
            "res_id": recall.id,
            "view_mode": "form",
            "target": "current",
        }

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Recall"),
        }

    # ------------------------------------------------------------------
    # Scope
    # ------------------------------------------------------------------

    def _check_company_allowed(self):
        """The scope's queries filter by the wizard's company: it must be one
        the user works in."""
        if self.company_id not in self.env.companies:
            raise AccessError(
                self.env._(
                    "You cannot recall serials of %(company)s: it is not one of your allowed "
                    "companies.",
                    company=self.company_id.sudo().display_name,
                )
            )

    def _listed_serials(self):
        names = rules.parse_serial_list(self.serial_list)
        if self.serial_file:
            names += self._file_serials()
        names = list(dict.fromkeys(names))
        errors = self.env["stock.lot"]._serial_name_errors(self.env["product.product"], names)
        if errors:
            raise UserError(
                self.env._(
                    "The listed serials hold %(count)s that cannot be serial numbers; correct "
                    "or remove them:\n%(errors)s",
                    count=len(errors),
                    errors="\n".join(errors[:20]),
                )
            )
        return names

    def _file_serials(self):
        """The serials of the uploaded CSV; Odoo's own exports of serials,
        move lines or quants are read by their column headers, in the user's
        language too."""
        file_name = self.serial_filename or self.env._("The file")
        # base64 takes 4 characters for 3 bytes: refuse before decoding
        if len(self.serial_file) * 3 // 4 > rules.MAX_CSV_BYTES + 2:
            raise UserError(self._file_too_large(file_name))
        lot_name = self.env["stock.lot"]._fields["name"]._description_string(self.env)
        line_lot = self.env["stock.move.line"]._fields["lot_id"]._description_string(self.env)
        headers = [lot_name, line_lot, f"{line_lot}/{lot_name}"]
        try:
            return rules.parse_serial_csv(base64.b64decode(self.serial_file), headers)
        except rules.SerialFileError as error:
            if error.reason == "too_large":
                message = self._file_too_large(file_name)
            elif error.reason == "malformed":
                message = self.env._(
                    "%(file)s cannot be read as CSV at line %(line)s (%(detail)s). Check that "
                    "its quotes are closed and that it holds one serial per row.",
                    file=file_name,
                    line=error.line,
                    detail=error.detail,
                )
            else:
                message = self.env._(
                    "%(file)s is not a CSV file of serial numbers.", file=file_name
                )
            raise UserError(message) from error

    def _file_too_large(self, file_name):
        return self.env._(
            "%(file)s is larger than %(limit)s MB, the largest serial file read; split it.",
            file=file_name,
            limit=rules.MAX_CSV_BYTES // (1024 * 1024),
        )

    def _utc_bounds(self, date_from, date_to):
        """The user's days from ``date_from`` to ``date_to`` (included) as
        naive UTC datetimes ``[start, end)``."""
        tz = pytz.timezone(self.env.user.tz or self.env.context.get("tz") or "UTC")

        def utc(day):
            local = tz.localize(datetime.combine(day, time.min))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        return (
            utc(date_from) if date_from else None,
            utc(date_to + timedelta(days=1)) if date_to else None,
        )

    def _resolve_scope(self):
        """The affected serials, in a constant number of queries.

        :return: dict with ``lot_ids`` (sorted), ``sources`` ({finished lot id:
            consumed lot id} for serials added through production),
            ``unknown`` (listed serials not found) and ``criteria`` (the
            scope in words)
        """
        self.ensure_one()
        self._check_company_allowed()
        names = self._listed_serials()
        batches = [code.strip() for code in (self.batch_codes or "").split(",") if code.strip()]
        ranged = bool(self.range_from or self.range_to)
        if ranged and not (self.range_from and self.range_to):
            raise UserError(self.env._("A serial range needs both its first and its last serial."))
        given = [
            self.product_ids,
            self.lot_ids,
            batches,
            names,
            ranged,
            self.receipt_date_from or self.receipt_date_to,
            self.supplier_ids,
            self.production_date_from or self.production_date_to,
        ]
        if not any(given):
            raise UserError(
                self.env._(
                    "The recall scope is empty: choose products, serials, batches, a serial "
                    "list or range, receipt or production dates, or suppliers."
                )
            )
        criteria = []
        where = [
            SQL("template.tracking = 'serial'"),
            SQL("(lot.company_id = %s OR lot.company_id IS NULL)", self.company_id.id),
        ]
        if self.product_ids:
            where.append(SQL("lot.product_id = ANY(%s)", self.product_ids.ids))
            criteria.append(
                self.env._(
                    "Products: %(products)s",
                    products=", ".join(self.product_ids.mapped("display_name")),
                )
            )
        if self.lot_ids:
            where.append(SQL("lot.id = ANY(%s)", self.lot_ids.ids))
            shown = self.lot_ids[:PREVIEW_SERIALS].mapped("name")
            more = len(self.lot_ids) - len(shown)
            criteria.append(
                self.env._("Serials: %(serials)s", serials=", ".join(shown))
                + (self.env._(" and %(count)s more", count=more) if more else "")
            )
        if names:
            where.append(SQL("lot.name = ANY(%s)", names))
            criteria.append(self.env._("Serial list: %(count)s serials", count=len(names)))
        start, end = self._utc_bounds(self.receipt_date_from, self.receipt_date_to)
        if start:
            where.append(SQL("lot.first_receipt_date >= %s", start))
        if end:
            where.append(SQL("lot.first_receipt_date < %s", end))
        if start or end:
            criteria.append(
                self.env._(
                    "Received from %(start)s until %(end)s",
                    start=self.receipt_date_from or "…",
                    end=self.receipt_date_to or "…",
                )
            )
        if self.supplier_ids:
            where.append(
                SQL(
                    """lot.id IN (
                    SELECT event.lot_id FROM serial_event AS event
                      JOIN res_partner AS partner ON partner.id = event.partner_id
                     WHERE event.event_type = %s AND partner.commercial_partner_id = ANY(%s))""",
                    lifecycle.RECEIPT,
                    self.supplier_ids.commercial_partner_id.ids,
                )
            )
            criteria.append(
                self.env._(
                    "Suppliers: %(suppliers)s",
                    suppliers=", ".join(self.supplier_ids.mapped("display_name")),
                )
            )
        start, end = self._utc_bounds(self.production_date_from, self.production_date_to)
        if start or end:
            where.append(
                SQL(
                    """lot.id IN (
                    SELECT event.lot_id FROM serial_event AS event
                     WHERE event.event_type = %s AND event.date >= %s AND event.date < %s)""",
                    lifecycle.PRODUCTION,
                    start or datetime.min,
                    end or datetime.max,
                )
            )
            criteria.append(
                self.env._(
                    "Produced from %(start)s until %(end)s",
                    start=self.production_date_from or "…",
                    end=self.production_date_to or "…",
                )
            )
        self.env["stock.lot"].flush_model()
        self.env["serial.event"].flush_model()
        # names and products only when a list, batch or range needs them
        detailed = bool(names or batches or ranged)
        self.env.cr.execute(
            SQL(
                """
            SELECT %s FROM stock_lot AS lot
              JOIN product_product AS product ON product.id = lot.product_id
              JOIN product_template AS template ON template.id = product.product_tmpl_id
             WHERE %s
                """,
                SQL("lot.id, lot.name, lot.product_id") if detailed else SQL("lot.id"),
                SQL(" AND ").join(where),
            )
        )
        rows = self.env.cr.fetchall()
        if batches or ranged:
            rows = self._filter_by_rule(rows, batches, criteria)
        found = {row[1] for row in rows} if names else set()
        unknown = [name for name in names if name not in found]
        lot_ids = sorted(row[0] for row in rows)
        sources = {}
        if self.include_production and lot_ids:
            sources = self._trace_production(lot_ids)
            if sources:
                criteria.append(
                    self.env._(
                        "With %(count)s finished products that consumed them", count=len(sources)
                    )
                )
                lot_ids = sorted(set(lot_ids) | set(sources))
        return {"lot_ids": lot_ids, "sources": sources, "unknown": unknown, "criteria": criteria}

    def _filter_by_rule(self, rows, batches, criteria):
        """Keep the serials of the batches and range. Both need the format
        rule of the serial's product: batches are its ``{batch}`` part; a
        range runs in the rule's sequence order (date, then number) when
        both ends follow the rule, else in name order."""
        Product = self.env["product.product"]
        engines = {}
        for product in Product.browse({row[2] for row in rows}):
            rule = product._get_serial_format_rule()
            engine = None
            if rule:
                try:
                    engine = rule._engine()
                except serial_format.FormatError:
                    engine = None
            engines[product.id] = (engine, rule._values(product) if rule else {})
        bounds = {}
        by_sequence, by_name = set(), set()
        first_name, last_name = (self.range_from or "").strip(), (self.range_to or "").strip()
        low, high = sorted([first_name, last_name])

        def parts(product_id, name):
            engine, values = engines[product_id]
            if engine is None:
                return None
            result = engine.validate(name, **values)
            return result.parts if result else None

        kept = []
        for row in rows:
            _lot_id, name, product_id = row
            serial_parts = None
            if batches:
                serial_parts = parts(product_id, name)
                if not serial_parts or serial_parts.get("batch") not in batches:
                    continue
            if self.range_from:
                if product_id not in bounds:
                    first = rules.sequence_key(parts(product_id, first_name))
                    last = rules.sequence_key(parts(product_id, last_name))
                    bounds[product_id] = (first, last) if first and last else None
                sequence_bounds = bounds[product_id]
                if sequence_bounds:
                    by_sequence.add(product_id)
                    if serial_parts is None:
                        serial_parts = parts(product_id, name)
                    key = rules.sequence_key(serial_parts)
                    if key is None or not rules.in_range(key, *sequence_bounds):
                        continue
                else:
                    by_name.add(product_id)
                    if not low <= name <= high:
                        continue
            kept.append(row)
        if batches:
            criteria.append(self.env._("Batches: %(batches)s", batches=", ".join(batches)))
        if self.range_from:
            criteria.append(
                self.env._(
                    "Serials %(first)s to %(last)s (%(order)s)",
                    first=first_name,
                    last=last_name,
                    order=self.env._("in the format rule's sequence")
                    if by_sequence and not by_name
                    else self.env._("in name order")
                    if by_name and not by_sequence
                    else self.env._("by sequence where a format rule applies, else by name"),
                )
            )
        return kept

    def _trace_production(self, lot_ids):
        """``{finished serial: consumed serial}``: serials produced by the
        productions (moves of one procurement group, as manufacturing orders
        make them) that consumed one of ``lot_ids``, level after level."""
        sources = {}
        seen = set(lot_ids)
        frontier = list(lot_ids)
        for _depth in range(MAX_TRACE_DEPTH):
            self.env.cr.execute(
                SQL(
                    """
                SELECT DISTINCT ON (produced.lot_id) produced.lot_id, consumed.lot_id
                  FROM serial_event AS consumed
                  JOIN stock_move AS consume_move ON consume_move.id = consumed.move_id
                  JOIN stock_move AS produce_move
                       ON produce_move.group_id = consume_move.group_id
                  JOIN serial_event AS produced
                       ON produced.move_id = produce_move.id AND produced.event_type = %s
                 WHERE consumed.event_type = %s AND consumed.lot_id = ANY(%s::int[])
                   AND consume_move.group_id IS NOT NULL
                 ORDER BY produced.lot_id, consumed.lot_id
                    """,
                    lifecycle.PRODUCTION,
                    lifecycle.CONSUMPTION,
                    _int_array(frontier),
                )
            )
            frontier = []
            for produced, consumed in self.env.cr.fetchall():
                if produced not in seen:
                    seen.add(produced)
                    sources[produced] = consumed
                    frontier.append(produced)
            if not frontier:
                break
        return sources

    # ------------------------------------------------------------------
    # Preview
    # ------------------------------------------------------------------

    def _preview_groups(self, lot_ids):
        """``{place: [(key, count, [serial names])]}`` in one query; the key
        is the location (stock, transit), the holder (customer, vendor) or the
        lifecycle state (the rest)."""
        self.env.cr.execute(
            SQL(
                """
            SELECT lot.lifecycle_state, lot.current_location_id, lot.current_holder_id,
                   count(*), (array_agg(lot.name ORDER BY lot.name))[1:%s]
              FROM stock_lot AS lot
             WHERE lot.id = ANY(%s::int[])
             GROUP BY 1, 2, 3
                """,
                PREVIEW_SERIALS,
                _int_array(lot_ids),
            )
        )
        groups = defaultdict(lambda: defaultdict(lambda: [0, []]))
        for state, location_id, holder_id, count, names in self.env.cr.fetchall():
            place = rules.where(state)
            if place in (rules.CUSTOMER, rules.VENDOR):
                key = holder_id
            elif place in (rules.STOCK, rules.TRANSIT):
                key = location_id
            else:
                key = state
            group = groups[place][key]
            group[0] += count
            group[1] = sorted(group[1] + names)[:PREVIEW_SERIALS]
        return groups

    def _records_by_id(self, model, groups, places):
        """``{id: record}`` of the groups' keys of ``places``: a dict, not
        ``recordset.browse(key)``, whose records would each prefetch alone
        (one query per customer or location)."""
        ids = [key for place in places for key in groups.get(place, {}) if key]
        return {record.id: record for record in self.env[model].browse(ids)}

    def _preview_html(self, scope):
        lot_ids = scope["lot_ids"]
        if not lot_ids:
            body = Markup("<p class='alert alert-warning'>%s</p>") % self.env._(
                "No serial matches this scope."
            )
            return body + self._unknown_html(scope)
        groups = self._preview_groups(lot_ids)
        places = dict(
            self.env["serial.recall.line"]._fields["place"]._description_selection(self.env)
        )
        states = dict(
            self.env["stock.lot"]._fields["lifecycle_state"]._description_selection(self.env)
        )
        locations = self._records_by_id("stock.location", groups, (rules.STOCK, rules.TRANSIT))
        partners = self._records_by_id("res.partner", groups, (rules.CUSTOMER, rules.VENDOR))
        html = Markup("<p><strong>%s</strong></p>") % self.env._(
            "%(count)s serials affected.", count=len(lot_ids)
        )
        html += Markup("<p class='text-muted'>%s</p>") % "; ".join(scope["criteria"])
        for place in rules.WHERE:
            entries = groups.get(place)
            if not entries:
                continue
            total = sum(count for count, _names in entries.values())
            html += Markup("<h4>%s: %s</h4>") % (places[place], total)
            rows = []
            for key, (count, names) in entries.items():
                if place in (rules.STOCK, rules.TRANSIT):
                    location = locations.get(key, self.env["stock.location"])
                    title = location.complete_name or self.env._("Unknown location")
                    if location.warehouse_id:
                        title = f"{location.warehouse_id.name}: {title}"
                    detail = ""
                elif place in (rules.CUSTOMER, rules.VENDOR):
                    partner = partners.get(key, self.env["res.partner"])
                    title = partner.display_name or self.env._("Unknown holder")
                    detail = " · ".join(filter(None, [partner.email, partner.phone]))
                else:
                    title, detail = states.get(key, key), ""
                rows.append((title, detail, count, names))
            html += Markup(
                "<table class='table table-sm o_serial_recall_preview'><thead><tr>"
                "<th>%s</th><th>%s</th><th class='text-end'>%s</th><th>%s</th></tr></thead><tbody>"
            ) % (
                self.env._("Where"),
                self.env._("Contact"),
                self.env._("Serials"),
                self.env._("Serial Numbers"),
            )
            for title, detail, count, names in sorted(rows, key=lambda row: str(row[0])):
                more = count - len(names)
                shown = ", ".join(names)
                if more > 0:
                    shown += " " + self.env._("… and %(count)s more", count=more)
                html += Markup(
                    "<tr><td>%s</td><td>%s</td><td class='text-end'>%s</td><td>%s</td></tr>"
                ) % (title, detail, count, shown)
            html += Markup("</tbody></table>")
        if scope["sources"]:
            html += Markup("<p>%s</p>") % self.env._(
                "%(count)s of them are finished products recalled because they consumed an "
                "affected serial.",
                count=len(scope["sources"]),
            )
        return html + self._unknown_html(scope)

    def _unknown_html(self, scope):
        if not scope["unknown"]:
            return Markup()
        return Markup("<p class='alert alert-warning'>%s</p>") % self.env._(
            "%(count)s serials of the list are not known here and are kept on the campaign: "
            "%(serials)s",
            count=len(scope["unknown"]),
            serials=", ".join(scope["unknown"]),
        )

    # ------------------------------------------------------------------
    # Campaign lines
    # ------------------------------------------------------------------

    def _create_lines(self, recall, scope):
        """One line per serial in one INSERT (a recall can hold hundreds of
        thousands): where the unit is, its holder, and for finished products
        the consumed serial that brought them in. Scrapped units are already
        destroyed (on the date of their last movement)."""
        place = SQL(
            "CASE lot.lifecycle_state %s ELSE %s END",
            SQL(" ").join(
                SQL("WHEN %s THEN %s", state, rules.where(state)) for state in lifecycle.STATES
            ),
            rules.NOT_RECEIVED,
        )
        finished = list(scope["sources"])
        now = self.env.cr.now()
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO serial_recall_line (
                recall_id, company_id, lot_id, product_id, place, location_id, warehouse_id,
                partner_id, source_lot_id, status, is_resolved, written_off, date_resolved,
                create_uid, create_date, write_uid, write_date)
            SELECT %(recall)s, %(company)s, lot.id, lot.product_id, %(place)s,
                   lot.current_location_id, location.warehouse_id,
                   CASE WHEN lot.lifecycle_state IN %(held)s THEN lot.current_holder_id END,
                   source.consumed,
                   CASE WHEN lot.lifecycle_state = %(scrapped)s
                        THEN %(destroyed)s ELSE %(open)s END,
                   lot.lifecycle_state = %(scrapped)s, FALSE,
                   CASE WHEN lot.lifecycle_state = %(scrapped)s THEN (
                       SELECT max(event.date) FROM serial_event AS event
                        WHERE event.lot_id = lot.id) END,
                   %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM stock_lot AS lot
              LEFT JOIN stock_location AS location ON location.id = lot.current_location_id
              LEFT JOIN unnest(%(finished)s::int[], %(consumed)s::int[]) AS source(lot_id, consumed)
                     ON source.lot_id = lot.id
             WHERE lot.id = ANY(%(lots)s::int[])
                """,
                recall=recall.id,
                company=recall.company_id.id,
                place=place,
                held=(lifecycle.DELIVERED, lifecycle.VENDOR_RETURNED),
                scrapped=lifecycle.SCRAPPED,
                destroyed=rules.DESTROYED,
                open=rules.OPEN,
                uid=self.env.uid,
                now=now,
                finished=_int_array(finished),
                consumed=_int_array(scope["sources"][lot_id] for lot_id in finished),
                lots=_int_array(scope["lot_ids"]),
            )
        )
        # fresh statistics for what follows in the same minutes (activation,
        # notices): the planner would take the new rows for none
        self.env.cr.execute(SQL("ANALYZE serial_recall_line"))
        recall.invalidate_recordset(["line_ids"])
