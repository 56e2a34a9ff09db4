# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, format_datetime

from ..lib import recall as rules
from ..lib import spreadsheet
from ..lib import warranty_report as layout

# Where a recalled unit may not go while its campaign is active: to a
# customer, into transit or into production. Internal moves (quarantine),
# returns to the vendor and scrapping stay allowed.
BLOCKED_USAGES = ("customer", "transit", "production")
# How many unresolved serials an error names before "and N more".
SHOWN = 10


class SerialRecall(models.Model):
    """A recall campaign: the affected serials, one line each, from the
    wizard's scope until every unit is back, fixed, destroyed or written off."""

    _name = "serial.recall"
    _description = "Recall Campaign"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True
    # warehouse staff who quarantine or update serials log it on the campaign
    _mail_post_access = "read"

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/", index=True
    )
    reason = fields.Text(required=True, tracking=True)
    severity = fields.Selection(
        selection=[("1", "Class I"), ("2", "Class II"), ("3", "Class III")],
        required=True,
        default="2",
        tracking=True,
        help="Class I: the product can cause serious harm or death. Class II: it can cause "
        "temporary or reversible harm. Class III: it is unlikely to cause harm but breaks the "
        "rules (21 CFR 7.3(m)).",
    )
    state = fields.Selection(
        selection=[("draft", "Draft"), ("active", "Active"), ("closed", "Closed")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    user_id = fields.Many2one(
        "res.users", string="Responsible", default=lambda self: self.env.user, tracking=True
    )
    date_start = fields.Datetime(string="Started", readonly=True, copy=False)
    date_closed = fields.Datetime(string="Closed", readonly=True, copy=False)
    scope_description = fields.Text(string="Scope", readonly=True)
    unmatched_serials = fields.Text(
        string="Unknown Serials",
        readonly=True,
        help="Serials of the scope's list that are not known here; kept so that none is lost.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Customer Notice",
        domain=[("model", "=", "serial.recall.notice")],
        default=lambda self: self.env.ref(
            "serialized_inventory.mail_template_serial_recall_notice", raise_if_not_found=False
        ),
        help="The email each customer gets, listing their affected serials.",
    )
    line_ids = fields.One2many("serial.recall.line", "recall_id", string="Affected Serials")
    notice_ids = fields.One2many("serial.recall.notice", "recall_id", string="Notices")
    picking_ids = fields.One2many(
        "stock.picking", "serial_recall_id", string="Quarantine Transfers"
    )
    line_count = fields.Integer(compute="_compute_counts", string="Serials")
    resolved_count = fields.Integer(compute="_compute_counts", string="Resolved")
    open_count = fields.Integer(compute="_compute_counts", string="Unresolved")
    stock_count = fields.Integer(compute="_compute_counts", string="In Our Stock")
    customer_count = fields.Integer(compute="_compute_counts", string="At Customers")
    progress = fields.Float(compute="_compute_counts", string="Resolved (%)")
    notice_count = fields.Integer(compute="_compute_notice_count")
    picking_count = fields.Integer(compute="_compute_picking_count")

    @api.depends("line_ids.status", "line_ids.written_off")
    def _compute_counts(self):
        counts = defaultdict(lambda: defaultdict(int))
        for recall, resolved, place, count in self.env["serial.recall.line"]._read_group(
            [("recall_id", "in", self.ids)], ["recall_id", "is_resolved", "place"], ["__count"]
        ):
            row = counts[recall.id]
            row["total"] += count
            row["resolved"] += count if resolved else 0
            row[place] += count
        for recall in self:
            row = counts[recall.id]
            recall.line_count = row["total"]
            recall.resolved_count = row["resolved"]
            recall.open_count = row["total"] - row["resolved"]
            recall.stock_count = row[rules.STOCK]
            recall.customer_count = row[rules.CUSTOMER]
            recall.progress = rules.progress(row["resolved"], row["total"])

    def _compute_notice_count(self):
        counts = dict(
            self.env["serial.recall.notice"]._read_group(
                [("recall_id", "in", self.ids)], ["recall_id"], ["__count"]
            )
        )
        for recall in self:
            recall.notice_count = counts.get(recall, 0)

    def _compute_picking_count(self):
        counts = dict(
            self.env["stock.picking"]._read_group(
                [("serial_recall_id", "in", self.ids)], ["serial_recall_id"], ["__count"]
            )
        )
        for recall in self:
            recall.picking_count = counts.get(recall, 0)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id"))
                vals["name"] = self.env["ir.sequence"].with_company(
                    company or self.env.company
                ).next_by_code("serial.recall") or self.env._("New")
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_started(self):
        started = self.filtered(lambda recall: recall.state != "draft")
        if started:
            raise UserError(
                self.env._(
                    "Recall campaigns that were started are kept as records: %(recalls)s.",
                    recalls=", ".join(started.mapped("name")),
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _check_recall_manager(self, action):
        if not self.env.user.has_group("serialized_inventory.group_recall_manager"):
            raise AccessError(
                self.env._(
                    "Only recall managers can %(action)s a recall campaign (%(recalls)s).",
                    action=action,
                    recalls=", ".join(self.mapped("name")),
                )
            )

    def _check_state(self, states, action):
        wrong = self.filtered(lambda recall: recall.state not in states)
        if wrong:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "Cannot %(action)s recall %(recall)s: it is %(state)s.",
                    action=action,
                    recall=wrong[0].name,
                    state=labels[wrong[0].state],
                )
            )

    def action_activate(self):
        """Start the campaign: its serials can no longer be reserved or
        delivered, and reservations they already have on such transfers are
        released (logged on each transfer)."""
        self._check_recall_manager(self.env._("start"))
        self._check_state(("draft",), self.env._("start"))
        for recall in self:
            if not recall.line_count:
                raise UserError(
                    self.env._("Recall %(recall)s has no serial to recall.", recall=recall.name)
                )
        self.write({"state": "active", "date_start": fields.Datetime.now()})
        for recall in self:
            released = recall._release_blocked_reservations()
            recall.message_post(
                body=self.env._(
                    "Recall started: %(count)s serials blocked from reservation and delivery; "
                    "%(released)s reservations released.",
                    count=recall.line_count,
                    released=released,
                )
            )
        return True

    def _lot_ids(self):
        """The campaign's serials (ids), without loading its lines."""
        self.ensure_one()
        self.env["serial.recall.line"].flush_model(["recall_id", "lot_id"])
        self.env.cr.execute(
            SQL("SELECT lot_id FROM serial_recall_line WHERE recall_id = %s", self.id)
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _release_blocked_reservations(self):
        """Unreserve the campaign's serials from transfers they may no longer
        go on; returns how many reservations were released."""
        self.ensure_one()
        lines = (
            self.env["stock.move.line"]
            .sudo()
            .search(
                [
                    ("lot_id", "in", self._lot_ids()),
                    ("company_id", "=", self.company_id.id),
                    ("state", "not in", ("done", "cancel")),
                    ("location_dest_id.usage", "in", BLOCKED_USAGES),
                ]
            )
        )
        for picking, picking_lines in lines.grouped("picking_id").items():
            if picking:
                picking.message_post(
                    body=self.env._(
                        "Reservation of %(serials)s released: recall %(recall)s.",
                        serials=", ".join(picking_lines.lot_id.mapped("name")),
                        recall=self.name,
                    )
                )
        count = len(lines)
        lines.unlink()
        return count

    def action_close(self):
        self._check_recall_manager(self.env._("close"))
        self._check_state(("active",), self.env._("close"))
        for recall in self:
            domain = [("recall_id", "=", recall.id), ("is_resolved", "=", False)]
            pending = self.env["serial.recall.line"].search_count(domain)
            if pending:
                names = (
                    self.env["serial.recall.line"].search(domain, limit=SHOWN).lot_id.mapped("name")
                )
                more = pending - len(names)
                raise UserError(
                    self.env._(
                        "Recall %(recall)s cannot be closed: %(count)s serials are neither "
                        "returned, remedied nor destroyed, nor written off with a reason: "
                        "%(serials)s%(more)s.",
                        recall=recall.name,
                        count=pending,
                        serials=", ".join(names),
                        more=self.env._(" and %(count)s more", count=more) if more else "",
                    )
                )
        self.write({"state": "closed", "date_closed": fields.Datetime.now()})
        return True

    def action_quarantine(self):
        """Move every affected serial in our stock to its warehouse's
        quarantine location: one internal transfer per warehouse, validated."""
        self.ensure_one()
        if not self.env.user.has_group("stock.group_stock_user"):
            raise AccessError(
                self.env._(
                    "Only inventory users can quarantine the serials of recall %(recall)s.",
                    recall=self.name,
                )
            )
        self._check_state(("active",), self.env._("quarantine the serials of"))
        pickings = self.env["stock.picking"]
        self.env["stock.quant"].flush_model()
        self.env.cr.execute(
            SQL(
                """
            SELECT location.warehouse_id, quant.product_id, quant.lot_id, quant.location_id,
                   quant.package_id, quant.owner_id
              FROM stock_quant AS quant
              JOIN stock_location AS location ON location.id = quant.location_id
             WHERE quant.lot_id = ANY(%s) AND quant.quantity > 0
               AND location.usage = 'internal' AND location.warehouse_id IS NOT NULL
               AND NOT COALESCE(location.serial_quarantine, FALSE)
               AND quant.company_id = %s
                """,
                self._lot_ids(),
                self.company_id.id,
            )
        )
        by_warehouse = defaultdict(lambda: defaultdict(list))
        for warehouse_id, product_id, *quant in self.env.cr.fetchall():
            by_warehouse[warehouse_id][product_id].append(quant)
        if not by_warehouse:
            raise UserError(
                self.env._(
                    "Recall %(recall)s: no affected serial is in stock outside quarantine.",
                    recall=self.name,
                )
            )
        for warehouse in self.env["stock.warehouse"].browse(sorted(by_warehouse)):
            pickings |= self._quarantine_picking(warehouse, by_warehouse[warehouse.id])
        self.message_post(
            body=self.env._(
                "%(count)s serials moved to quarantine: %(transfers)s.",
                count=len(pickings.move_line_ids),
                transfers=", ".join(pickings.mapped("name")),
            )
        )
        return self.action_view_pickings()

    def _quarantine_picking(self, warehouse, quants_by_product):
        """A validated internal transfer of the given quants to the
        warehouse's quarantine. Its lines are added before it is confirmed,
        so that confirming reserves nothing else.

        :param quants_by_product: ``{product id: [(lot, location, package,
            owner) ids]}``
        """
        quarantine = warehouse._serial_quarantine_location()
        source = warehouse.view_location_id
        company = warehouse.company_id
        products = self.env["product.product"].browse(quants_by_product)
        picking = (
            self.env["stock.picking"]
            .sudo()
            .create(
                {
                    "picking_type_id": warehouse.int_type_id.id,
                    "location_id": source.id,
                    "location_dest_id": quarantine.id,
                    "origin": self.name,
                    "serial_recall_id": self.id,
                    "company_id": company.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": self.name,
                                "product_id": product.id,
                                "product_uom_qty": len(quants_by_product[product.id]),
                                "product_uom": product.uom_id.id,
                                "location_id": source.id,
                                "location_dest_id": quarantine.id,
                                "company_id": company.id,
                            }
                        )
                        for product in products
                    ],
                }
            )
        )
        for move in picking.move_ids:
            move.write(
                {
                    "move_line_ids": [
                        Command.create(
                            {
                                "product_id": move.product_id.id,
                                "lot_id": lot_id,
                                "quantity": 1,
                                "location_id": location_id,
                                "location_dest_id": quarantine.id,
                                "package_id": package_id,
                                "owner_id": owner_id,
                                "picking_id": picking.id,
                            }
                        )
                        for lot_id, location_id, package_id, owner_id in quants_by_product[
                            move.product_id.id
                        ]
                    ],
                    "picked": True,
                }
            )
        picking.action_confirm()
        picking.with_context(skip_backorder=True, cancel_backorder=True)._action_done()
        return picking

    def action_notify_customers(self):
        """Queue one notice per customer holding affected serials not yet
        notified; a scheduled action sends them in batches, so that a recall
        of thousands of customers does not hold the request."""
        self.ensure_one()
        self._check_recall_manager(self.env._("notify the customers of"))
        self._check_state(("active",), self.env._("notify the customers of"))
        if not self.mail_template_id:
            raise UserError(
                self.env._("Recall %(recall)s has no customer notice template.", recall=self.name)
            )
        count = self.env["serial.recall.notice"]._queue(self)
        waiting = self.env["serial.recall.notice"].search_count(
            [("recall_id", "=", self.id), ("state", "=", "queued")]
        )
        if not count and waiting:
            return self._notification(
                "info",
                self.env._(
                    "Recall %(recall)s: the notices to %(count)s customers are already queued; "
                    "nothing more was queued.",
                    recall=self.name,
                    count=waiting,
                ),
            )
        if not count:
            raise UserError(
                self.env._(
                    "Recall %(recall)s: no customer holds an affected serial that still needs "
                    "a notice.",
                    recall=self.name,
                )
            )
        self.message_post(
            body=self.env._(
                "Notices to %(count)s customers queued; they are sent in the background.",
                count=count,
            )
        )
        return self._notification(
            "success",
            self.env._(
                "%(count)s customer notices queued for %(recall)s.", count=count, recall=self.name
            ),
        )

    def _notification(self, kind, message):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": kind,
                "message": message,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_view_pickings(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action["domain"] = [("serial_recall_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def action_view_notices(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "serialized_inventory.serial_recall_notice_action"
        )
        action["domain"] = [("recall_id", "=", self.id)]
        return action

    def action_view_lines(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "serialized_inventory.serial_recall_line_action"
        )
        action["domain"] = [("recall_id", "=", self.id)]
        action["context"] = {"default_recall_id": self.id}
        return action

    # ------------------------------------------------------------------
    # Exports
    # ------------------------------------------------------------------

    def _export_report(self):
        """The affected serials as a ``lib.warranty_report.Report``: one table
        per customer (then our stock, transit and the rest), the same for the
        PDF and the XLSX."""
        self.ensure_one()
        statuses = dict(
            self.env["serial.recall.line"]._fields["status"]._description_selection(self.env)
        )
        places = dict(
            self.env["serial.recall.line"]._fields["place"]._description_selection(self.env)
        )
        columns = [
            layout.Column(self.env._("Product"), width=2.2),
            layout.Column(self.env._("Serial Number"), width=1.6),
            layout.Column(self.env._("Location"), width=1.8),
            layout.Column(self.env._("Status"), width=1.0),
            layout.Column(self.env._("Notified"), layout.DATE, width=0.9),
            layout.Column(self.env._("Returned"), layout.DATE, width=0.9),
            layout.Column(self.env._("Resolved"), layout.DATE, width=0.9),
            layout.Column(self.env._("Written Off"), width=1.6),
        ]
        tables = []
        for title, lines in self._export_groups(places):
            rows = [
                [
                    line.product_id.display_name,
                    line.lot_id.name,
                    line.location_id.complete_name or "",
                    statuses[line.status],
                    line.date_notified and line.date_notified.date(),
                    line.date_returned and line.date_returned.date(),
                    line.date_resolved and line.date_resolved.date(),
                    line.write_off_reason or "",
                ]
                for line in lines
            ]
            tables.append(layout.ReportTable(title, columns, rows))
        severities = dict(self._fields["severity"]._description_selection(self.env))
        states = dict(self._fields["state"]._description_selection(self.env))
        return layout.Report(
            title=self.env._("Recall %(recall)s: affected serials", recall=self.name),
            parameters=[
                (self.env._("Reason"), self.reason),
                (self.env._("Severity"), severities[self.severity]),
                (self.env._("State"), states[self.state]),
                (
                    self.env._("Started"),
                    self.date_start and format_datetime(self.env, self.date_start),
                ),
                (self.env._("Serials"), self.line_count),
                (self.env._("Resolved"), f"{self.resolved_count} ({self.progress:.0f} %)"),
            ],
            tables=tables,
            empty=self.env._("No serial."),
        )

    def _export_groups(self, places):
        """``[(title, lines)]``: each customer (name, email, phone) with
        their serials, then the other places."""
        lines = self.line_ids.sorted(lambda line: (line.product_id.display_name, line.lot_id.name))
        groups = []
        customers = lines.filtered("partner_id").grouped("partner_id")
        for partner in sorted(customers, key=lambda partner: partner.display_name or ""):
            contact = " · ".join(filter(None, [partner.email, partner.phone]))
            title = f"{partner.display_name} ({contact})" if contact else partner.display_name
            groups.append((title, customers[partner]))
        others = lines.filtered(lambda line: not line.partner_id).grouped("place")
        for place in rules.WHERE:
            if place in others:
                groups.append((places[place], others[place]))
        return groups

    def _export_rows(self):
        """Flat rows of the CSV: a header then one row per serial."""
        line_fields = self.env["serial.recall.line"]._fields
        statuses = dict(line_fields["status"]._description_selection(self.env))
        places = dict(line_fields["place"]._description_selection(self.env))
        rows = [
            [
                self.env._("Recall"),
                self.env._("Customer"),
                self.env._("Email"),
                self.env._("Phone"),
                self.env._("Product"),
                self.env._("Internal Reference"),
                self.env._("Serial Number"),
                self.env._("Where"),
                self.env._("Location"),
                self.env._("Status"),
                self.env._("Notified"),
                self.env._("Returned"),
                self.env._("Resolved"),
                self.env._("Written Off"),
            ]
        ]
        for _title, lines in self._export_groups(places):
            for line in lines:
                rows.append(
                    [
                        self.name,
                        line.partner_id.display_name or "",
                        line.partner_id.email or "",
                        line.partner_id.phone or "",
                        line.product_id.name,
                        line.product_id.default_code or "",
                        line.lot_id.name,
                        places[line.place],
                        line.location_id.complete_name or "",
                        statuses[line.status],
                        fields.Datetime.to_string(line.date_notified) or "",
                        fields.Datetime.to_string(line.date_returned) or "",
                        fields.Datetime.to_string(line.date_resolved) or "",
                        line.write_off_reason or "",
                    ]
                )
        return rows

    def _download(self, raw, extension, mimetype):
        # an export of what the user just read: the attachment is made as
        # superuser (creating one on a record needs write access to it);
        # downloading it still needs read access to the campaign
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": f"{self.name.replace('/', '-')}.{extension}",
                    "raw": raw,
                    "mimetype": mimetype,
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def action_export_csv(self):
        self.ensure_one()
        return self._download(spreadsheet.to_csv(self._export_rows()), "csv", "text/csv")

    def action_export_xlsx(self):
        self.ensure_one()
        return self._download(
            layout.to_xlsx(self._export_report()),
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )

    def action_print_pdf(self):
        return self.env.ref("serialized_inventory.action_report_serial_recall").report_action(self)

    # ------------------------------------------------------------------
    # Blocking
    # ------------------------------------------------------------------

    @api.model
    def _active_by_lot(self, lot_ids, company=None):
        """``{lot id: active campaign}`` for those of ``lot_ids`` an active
        campaign (of ``company`` when given) holds, in one query."""
        if not lot_ids:
            return {}
        self.env["serial.recall.line"].flush_model(["lot_id", "recall_id"])
        self.flush_model(["state", "company_id"])
        self.env.cr.execute(
            SQL(
                """
            SELECT line.lot_id, min(line.recall_id) FROM serial_recall_line AS line
              JOIN serial_recall AS recall ON recall.id = line.recall_id
             WHERE line.lot_id = ANY(%s) AND recall.state = 'active' %s
             GROUP BY line.lot_id
                """,
                list(lot_ids),
                SQL("AND recall.company_id = %s", company.id) if company else SQL(),
            )
        )
        rows = self.env.cr.fetchall()
        recalls = self.sudo().browse({recall_id for _lot, recall_id in rows})
        return {lot_id: recalls.browse(recall_id) for lot_id, recall_id in rows}

    @api.model
    def _check_lines_not_recalled(self, move_lines):
        """Refuse move lines that would reserve or deliver a serial of an
        active campaign (to a customer, into transit or production)."""
        lines = move_lines.filtered(
            lambda line: (
                line.lot_id
                and line.state not in ("done", "cancel")
                and line.location_dest_id.usage in BLOCKED_USAGES
            )
        )
        if not lines:
            return
        # a campaign blocks its own company's transfers only (a serial without
        # a company can be recalled by one company and not by another)
        refused = self.env["stock.move.line"]
        by_recall = defaultdict(list)
        for company, company_lines in lines.grouped("company_id").items():
            blocked = self._active_by_lot(set(company_lines.lot_id.ids), company)
            for line in company_lines.filtered(lambda line, b=blocked: line.lot_id.id in b):
                refused |= line
                by_recall[blocked[line.lot_id.id]].append(line)
        if not refused:
            return
        messages = [
            self.env._(
                "%(serials)s: recalled by %(recall)s (%(reason)s)",
                serials=", ".join(sorted({line.lot_id.name for line in found})[:SHOWN]),
                recall=recall.name,
                reason=recall.reason,
            )
            for recall, found in by_recall.items()
        ]
        raise UserError(
            self.env._(
                "Recalled serials cannot be reserved or delivered (%(transfer)s):\n%(lines)s",
                transfer=", ".join(
                    sorted(
                        {line.picking_id.name or line.move_id.reference or "" for line in refused}
                    )
                ),
                lines="\n".join(messages),
            )
        )
