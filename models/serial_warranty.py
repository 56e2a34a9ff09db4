# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..lib import serial_lifecycle as lifecycle
from ..lib import warranty as rules

IN_FORCE_STATES = ("pending", "active")
MANAGER_GROUP = "serialized_inventory.group_serial_manager"
# Columns of a warranty made by a delivery, in the order of ``_insert``.
INSERT_COLUMNS = (
    "lot_id",
    "product_id",
    "company_id",
    "partner_id",
    "policy_id",
    "policy_type",
    "state",
    "delivery_date",
    "start_date",
    "end_date",
    "closed_date",
    "start_source",
    "delivery_event_id",
    "predecessor_id",
)
# Kept by deliveries, returns, claims and the daily job; managers may correct them.
MANAGED_FIELDS = frozenset(INSERT_COLUMNS) - {"product_id", "policy_type"} | {"reminder_sent"}
# What a manager enters when creating or correcting a warranty by hand; a
# warranty so entered says by whom (claims checked against it show it).
HAND_FIELDS = frozenset(
    {"lot_id", "partner_id", "policy_id", "company_id", "delivery_date", "start_date", "end_date"}
)
# Warranties created without a bookkeeping context are followed quietly: a
# delivery of 10,000 serials must not post 10,000 messages.
QUIET = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
}


class SerialWarranty(models.Model):
    """The warranty of one delivered serial for one customer.

    Created by the ledger when a serial is delivered (see
    ``_sync_from_serial_events``), or by hand for serials sold before the
    addon; a customer return voids or suspends it as its policy says.
    """

    _name = "serial.warranty"
    _description = "Serial Warranty"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "start_date desc, id desc"
    _rec_name = "lot_id"
    _check_company_auto = True

    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial Number",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        domain="[('product_id.tracking', '=', 'serial')]",
    )
    product_id = fields.Many2one(
        "product.product", related="lot_id.product_id", store=True, index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        help="The commercial partner the serial was delivered to.",
    )
    policy_id = fields.Many2one(
        "serial.warranty.policy", required=True, check_company=True, tracking=True
    )
    policy_type = fields.Selection(related="policy_id.policy_type", store=True)
    state = fields.Selection(
        [
            ("pending", "Waiting for Registration"),
            ("active", "Active"),
            ("suspended", "Suspended"),
            ("void", "Void"),
            ("expired", "Expired"),
            ("transferred", "Transferred"),
        ],
        required=True,
        default="active",
        index=True,
        tracking=True,
        copy=False,
    )
    delivery_date = fields.Date(help="The day the serial was delivered to the customer.")
    registration_date = fields.Date(
        tracking=True,
        help="The day the customer registered the serial; starts warranties waiting for it.",
    )
    start_date = fields.Date(index=True, tracking=True)
    end_date = fields.Date(index=True, tracking=True, help="Last day of cover.")
    closed_date = fields.Date(
        readonly=True,
        copy=False,
        help="Day the warranty stopped before its end: voided, suspended or transferred.",
    )
    start_source = fields.Selection(
        [
            ("delivery", "Delivery Date"),
            ("invoice", "Invoice Date"),
            ("invoice_fallback", "Delivery Date (no invoice at delivery)"),
            ("registration", "Registration Date"),
            ("manual", "Entered by Hand"),
            ("resumed", "Resumed after Return"),
            ("transfer", "Transferred from Replaced Unit"),
        ],
        string="Started From",
        readonly=True,
        copy=False,
    )
    delivery_event_id = fields.Many2one("serial.event", readonly=True, copy=False)
    predecessor_id = fields.Many2one(
        "serial.warranty",
        string="Continues",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The warranty this one continues (resumed or transferred).",
    )
    claim_ids = fields.One2many("serial.warranty.claim", "warranty_id", string="Claims")
    claim_count = fields.Integer(compute="_compute_claim_count")
    reminder_sent = fields.Boolean(readonly=True, copy=False)
    manual_entry_user_id = fields.Many2one(
        "res.users",
        string="Entered by Hand By",
        readonly=True,
        copy=False,
        help="The manager who entered or last corrected the customer, serial or dates of this "
        "warranty by hand; empty when they all come from the ledger.",
    )
    manual_entry_date = fields.Datetime(string="Entered by Hand On", readonly=True, copy=False)
    note = fields.Text()

    _sql_constraints = [
        (
            "dates_consistent",
            "CHECK(end_date IS NULL OR start_date IS NULL OR end_date >= start_date)",
            "A warranty cannot end before it starts.",
        ),
        (
            "started_unless_pending",
            "CHECK(state = 'pending' OR (start_date IS NOT NULL AND end_date IS NOT NULL))",
            "Only a warranty waiting for registration has no start and end date.",
        ),
    ]

    @api.depends("lot_id", "policy_id", "end_date")
    def _compute_display_name(self):
        for warranty in self:
            warranty.display_name = (
                f"{warranty.lot_id.name or ''} — {warranty.policy_id.name or ''}"
                + (f" ({fields.Date.to_string(warranty.end_date)})" if warranty.end_date else "")
            )

    def _compute_claim_count(self):
        counts = dict(
            self.env["serial.warranty.claim"]._read_group(
                [("warranty_id", "in", self.ids)], ["warranty_id"], ["__count"]
            )
        )
        for warranty in self:
            warranty.claim_count = counts.get(warranty, 0)

    @api.constrains("registration_date", "delivery_date")
    def _check_registration_date(self):
        for warranty in self:
            if (
                warranty.registration_date
                and warranty.delivery_date
                and warranty.registration_date < warranty.delivery_date
            ):
                raise ValidationError(
                    self.env._(
                        "Warranty %(warranty)s: the serial cannot be registered (%(registered)s) "
                        "before it was delivered (%(delivered)s).",
                        warranty=warranty.display_name,
                        registered=warranty.registration_date,
                        delivered=warranty.delivery_date,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        today = fields.Date.context_today(self)
        partners = self.env["res.partner"].browse(
            {vals["partner_id"] for vals in vals_list if vals.get("partner_id")}
        )
        commercial = {partner.id: partner.commercial_partner_id.id for partner in partners}
        lots = self.env["stock.lot"].browse(
            {vals["lot_id"] for vals in vals_list if vals.get("lot_id")}
        )
        lot_company = {lot.id: lot.company_id.id for lot in lots}
        if not self.env.su:
            self._check_hand_entry(self.env._("enter warranties by hand"))
        now = fields.Datetime.now()
        for vals in vals_list:
            if not self.env.su:
                # entered by hand: the state and links follow from the policy and dates
                for name in MANAGED_FIELDS - HAND_FIELDS:
                    vals.pop(name, None)
            if vals.get("partner_id"):
                vals["partner_id"] = commercial[vals["partner_id"]]
            if vals.get("lot_id") and not vals.get("company_id"):
                vals["company_id"] = lot_company[vals["lot_id"]] or self.env.company.id
            if not self.env.su or (
                vals.get("state") != "pending"
                and not (vals.get("start_date") and vals.get("end_date"))
            ):
                self._prepare_manual_term(vals, today)
            if not self.env.su or vals.get("start_source") == "manual":
                vals.update(manual_entry_user_id=self.env.uid, manual_entry_date=now)
        warranties = super().create(vals_list)
        for warranty, vals in zip(warranties, vals_list, strict=True):
            if vals.get("manual_entry_user_id"):
                warranty._log_hand_entry(HAND_FIELDS.intersection(vals))
        return warranties

    def write(self, vals):
        protected = MANAGED_FIELDS.intersection(vals)
        if protected and not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._(
                    "Only serial inventory managers can change %(fields)s of warranties "
                    "(%(warranties)s); users enter the registration date and notes.",
                    fields=", ".join(sorted(protected)),
                    warranties=", ".join(self.mapped("display_name")),
                )
            )
        if vals.get("partner_id"):
            vals["partner_id"] = (
                self.env["res.partner"].browse(vals["partner_id"]).commercial_partner_id.id
            )
        by_hand = HAND_FIELDS.intersection(vals) if not self.env.su else set()
        if by_hand:
            vals = dict(
                vals, manual_entry_user_id=self.env.uid, manual_entry_date=fields.Datetime.now()
            )
        result = super().write(vals)
        if by_hand:
            self._log_hand_entry(by_hand)
        if vals.get("registration_date"):
            self.filtered(lambda w: w.state == "pending").sudo()._start_on_registration()
        return result

    def _check_hand_entry(self, action):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._(
                    "Only serial inventory managers can %(action)s: a warranty entered by hand "
                    "is what a claim is checked against.",
                    action=action,
                )
            )

    def _log_hand_entry(self, names):
        """Say in the chatter who entered what by hand."""
        labels = ", ".join(
            sorted(self._fields[name]._description_string(self.env) for name in names)
        )
        for warranty in self:
            warranty.message_post(
                body=self.env._(
                    "Entered by hand by %(user)s: %(fields)s.",
                    user=self.env.user.display_name,
                    fields=labels,
                )
            )

    @api.model
    def _prepare_manual_term(self, vals, today):
        """Start and end of a warranty entered by hand (a serial sold before
        the addon, an extended warranty bought on top of the standard one)."""
        policy = self.env["serial.warranty.policy"].browse(vals.get("policy_id"))
        if not policy:
            return
        fields_ = self._fields
        for name in ("delivery_date", "registration_date", "start_date", "end_date"):
            if vals.get(name):
                vals[name] = fields_[name].to_date(vals[name])
        start = vals.get("start_date")
        if not start and policy.policy_type == "extended":
            start = self._extended_start(vals)
        if not start and policy.start_trigger == "registration":
            start = vals.get("registration_date")
            if not start:
                vals["state"] = "pending"
                vals["start_source"] = "manual"
                return
        start = start or vals.get("delivery_date")
        if not start:
            raise UserError(
                self.env._(
                    "A warranty under policy %(policy)s needs a start or delivery date.",
                    policy=policy.display_name,
                )
            )
        end = vals.get("end_date") or policy._term_end(start)
        vals.update(
            start_date=start,
            end_date=end,
            state="active" if end >= today else "expired",
            start_source=vals.get("start_source") or "manual",
        )

    @api.model
    def _extended_start(self, vals):
        """An extended warranty starts the day after the serial's standard
        warranty (the latest one not voided) ends."""
        standard = self.search(
            [
                ("lot_id", "=", vals.get("lot_id")),
                ("policy_type", "=", "standard"),
                ("state", "in", ("active", "expired", "suspended")),
            ],
            order="end_date desc",
            limit=1,
        )
        if not standard:
            raise UserError(
                self.env._(
                    "An extended warranty is added on top of the standard warranty of the "
                    "serial, which has none: create its standard warranty first, or enter a "
                    "start date."
                )
            )
        vals.setdefault("partner_id", standard.partner_id.id)
        vals.setdefault("delivery_date", standard.delivery_date)
        return standard.end_date + timedelta(days=1)

    def _start_on_registration(self):
        today = fields.Date.context_today(self)
        for warranty in self:
            start = warranty.registration_date
            end = warranty.policy_id._term_end(start)
            warranty.write(
                {
                    "start_date": start,
                    "end_date": end,
                    "state": "active" if end >= today else "expired",
                    "start_source": "registration",
                }
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_void(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only serial inventory managers can void warranties."))
        today = fields.Date.context_today(self)
        self.filtered(lambda w: w.state in ("pending", "active", "suspended")).write(
            {"state": "void", "closed_date": today}
        )

    def action_view_claims(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "serialized_inventory.serial_warranty_claim_action"
        )
        action["domain"] = [("warranty_id", "=", self.id)]
        self.check_access("read")
        # the warranty's own serial, readable with the warranty
        action["context"] = {"default_serial_name": self.sudo().lot_id.name}
        return action

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    @api.model
    def _domain_in_force(self, day):
        """Warranties covering ``day``: the list views' "in force at" filter
        and the warranty report count the same records."""
        return [
            ("state", "!=", "pending"),
            ("start_date", "<=", day),
            ("end_date", ">=", day),
            "|",
            ("closed_date", "=", False),
            ("closed_date", ">", day),
        ]

    @api.model
    def _domain_expiring(self, day, days):
        """Warranties in force at ``day`` whose last day is within ``days`` days."""
        return [*self._domain_in_force(day), ("end_date", "<=", day + timedelta(days=days))]

    def _is_hand_entered(self):
        """Whether this warranty's customer, serial or dates were entered by
        hand rather than made from the ledger."""
        return bool(self) and bool(self.manual_entry_user_id or self.start_source == "manual")

    def _cover(self):
        return rules.Cover(
            start=self.start_date or None if self.state != "pending" else None,
            end=self.end_date or None,
            closed=self.closed_date or None,
            name=self.display_name,
        )

    @api.model
    def _sync_from_serial_events(self, events):
        """Create, void, suspend and resume warranties for the deliveries and
        customer returns among ``events`` (just written to the ledger), in a
        constant number of queries whatever their number."""
        if not events:
            return self.browse()
        self.env.cr.execute(
            SQL(
                """
            SELECT id, lot_id, product_id, date, event_type, partner_id, move_id, company_id
              FROM serial_event
             WHERE id = ANY(%s) AND event_type IN %s
          ORDER BY date, id
                """,
                events.ids,
                (lifecycle.DELIVERY, lifecycle.CUSTOMER_RETURN),
            )
        )
        rows = self.env.cr.fetchall()
        return self._replay_events(rows) if rows else self.browse()

    @api.model
    def _backfill_from_ledger(self, policies=None, companies=None):
        """Replay the ledger's deliveries and returns of serials that have no
        warranty yet (those delivered before a policy was set on their product,
        or before the addon), e.g. after configuring policies; only the
        events of ``companies`` when given."""
        products = self.env["product.product"].with_context(active_test=False)
        if policies:
            products = products.search(
                [
                    ("tracking", "=", "serial"),
                    "|",
                    ("warranty_policy_id", "in", policies.ids),
                    ("categ_id.warranty_policy_id", "in", policies.ids),
                ]
            )
        query = SQL(
            """
            SELECT event.id, event.lot_id, event.product_id, event.date, event.event_type,
                   event.partner_id, event.move_id, event.company_id
              FROM serial_event event
             WHERE event.event_type IN %(types)s
               AND NOT EXISTS (SELECT 1 FROM serial_warranty w WHERE w.lot_id = event.lot_id)
               %(products)s %(companies)s
          ORDER BY event.date, event.id
            """,
            types=(lifecycle.DELIVERY, lifecycle.CUSTOMER_RETURN),
            products=SQL("AND event.product_id = ANY(%s)", products.ids) if policies else SQL(),
            companies=SQL("AND event.company_id = ANY(%s)", companies.ids)
            if companies is not None
            else SQL(),
        )
        self.flush_model()
        self.env.cr.execute(query)
        rows = self.env.cr.fetchall()
        return self._replay_events(rows) if rows else self.browse()

    @api.model
    def _replay_events(self, rows):
        """Apply deliveries and returns, oldest first, to the serials' warranties.

        :param rows: ``(event_id, lot_id, product_id, date, event_type,
            partner_id, move_id, company_id)`` in chronological order
        :return: the created warranties
        """
        today = fields.Date.context_today(self)
        products = self.env["product.product"].sudo().browse({row[2] for row in rows})
        policies = products._get_warranty_policies()
        if not any(policies.values()):
            # no policy: only warranties already running can be affected
            lot_ids = {row[1] for row in rows}
            if not self.sudo().search_count([("lot_id", "in", list(lot_ids))], limit=1):
                return self.browse()
        partners = self.env["res.partner"].sudo().browse({row[5] for row in rows if row[5]})
        commercial = {partner.id: partner.commercial_partner_id.id for partner in partners}
        invoice_moves = [
            row[6]
            for row in rows
            if row[4] == lifecycle.DELIVERY
            and policies.get(row[2])
            and policies[row[2]].start_trigger == "invoice"
        ]
        invoice_dates = self._warranty_invoice_dates(invoice_moves)
        lots = self.env["stock.lot"].sudo().browse({row[1] for row in rows})
        existing = self.sudo().search(
            [("lot_id", "in", lots.ids), ("state", "in", (*IN_FORCE_STATES, "suspended"))]
        )
        by_lot = defaultdict(list)
        for warranty in existing:
            by_lot[warranty.lot_id.id].append(
                {
                    "record": warranty,
                    "state": warranty.state,
                    "closed_date": warranty.closed_date,
                    "partner_id": warranty.partner_id.id,
                    "policy": warranty.policy_id,
                    "start_date": warranty.start_date,
                    "end_date": warranty.end_date,
                }
            )
        for event_id, lot_id, product_id, date, event_type, partner_id, move_id, company_id in rows:
            day = fields.Date.context_today(self, date)
            items = by_lot[lot_id]
            if event_type == lifecycle.CUSTOMER_RETURN:
                for item in items:
                    if item["state"] in IN_FORCE_STATES:
                        suspend = (
                            item["state"] == "active" and item["policy"].on_return == "suspend"
                        )
                        self._close_item(item, "suspended" if suspend else "void", day)
                continue
            customer = commercial.get(partner_id)
            if not customer:
                continue  # delivered without a partner: nobody to cover
            if any(
                item["state"] in IN_FORCE_STATES and item["partner_id"] == customer
                for item in items
            ):
                continue  # already covered (a replacement unit shipped, a drop-ship...)
            for item in items:
                if item["state"] in IN_FORCE_STATES:
                    self._close_item(item, "void", day)  # delivered to somebody else
            resumed_standard = False
            for item in list(items):
                if item["state"] != "suspended":
                    continue
                if item["partner_id"] != customer:
                    self._close_item(item, "void", item["closed_date"])
                    continue
                # the term goes on from the new delivery: shifted by the days
                # the unit was back (an extended warranty still follows the
                # standard one)
                start, end = rules.resumed_term(
                    item["start_date"], item["end_date"], item["closed_date"], day
                )
                items.append(
                    {
                        "vals": {
                            "lot_id": lot_id,
                            "product_id": product_id,
                            "company_id": company_id,
                            "partner_id": customer,
                            "policy_id": item["policy"].id,
                            "delivery_date": day,
                            "start_date": start,
                            "end_date": end,
                            "start_source": "resumed",
                            "delivery_event_id": event_id,
                        },
                        "predecessor": item,
                        "state": "active",
                        "closed_date": None,
                        "partner_id": customer,
                        "policy": item["policy"],
                        "end_date": end,
                    }
                )
                self._close_item(item, "transferred", item["closed_date"])
                resumed_standard |= item["policy"].policy_type == "standard"
            policy = policies.get(product_id)
            if policy and not resumed_standard:
                items.append(
                    self._new_item(
                        policy,
                        lot_id,
                        product_id,
                        company_id,
                        customer,
                        day,
                        event_id,
                        invoice_dates.get(move_id),
                    )
                )
        return self._write_items(by_lot, today)

    @api.model
    def _new_item(
        self, policy, lot_id, product_id, company_id, customer, day, event_id, invoice_date
    ):
        vals = {
            "lot_id": lot_id,
            "product_id": product_id,
            "company_id": company_id,
            "partner_id": customer,
            "policy_id": policy.id,
            "delivery_date": day,
            "delivery_event_id": event_id,
        }
        state, start, end = "active", None, None
        if policy.start_trigger == "registration":
            state = "pending"
            vals["start_source"] = "registration"
        else:
            if policy.start_trigger == "invoice":
                start = invoice_date or day
                vals["start_source"] = "invoice" if invoice_date else "invoice_fallback"
            else:
                start = day
                vals["start_source"] = "delivery"
            end = policy._term_end(start)
            vals.update(start_date=start, end_date=end)
        return {
            "vals": vals,
            "state": state,
            "closed_date": None,
            "partner_id": customer,
            "policy": policy,
            "end_date": end,
        }

    @api.model
    def _close_item(self, item, state, day):
        item["state"] = state
        item["closed_date"] = item["closed_date"] or day

    @api.model
    def _write_items(self, by_lot, today):
        """One create for the new warranties, one write per (state, day) for
        the ones that changed."""
        new_items, changes = [], defaultdict(list)
        for items in by_lot.values():
            for item in items:
                if "vals" in item:
                    new_items.append(item)
                elif (item["state"], item["closed_date"]) != (
                    item["record"].state,
                    item["record"].closed_date,
                ):
                    changes[(item["state"], item["closed_date"])].append(item["record"].id)
        quiet = self.sudo().with_context(**QUIET)
        for (state, closed_date), ids in changes.items():
            quiet.browse(ids).write({"state": state, "closed_date": closed_date})
        vals_list = []
        for item in new_items:
            state = item["state"]
            if state == "active" and item["end_date"] < today:
                state = "expired"
            predecessor = item.get("predecessor")
            vals_list.append(
                dict(
                    item["vals"],
                    state=state,
                    closed_date=item["closed_date"],
                    policy_type=item["policy"].policy_type,
                    predecessor_id=predecessor["record"].id
                    if predecessor and "record" in predecessor
                    else None,
                )
            )
        created = self._insert(vals_list)
        for item, warranty in zip(new_items, created, strict=True):
            item["record"] = warranty
        links = defaultdict(list)
        for item, vals in zip(new_items, vals_list, strict=True):
            predecessor = item.get("predecessor")
            if predecessor and not vals["predecessor_id"]:
                links[predecessor["record"].id].append(item["record"].id)
        for predecessor_id, ids in links.items():
            quiet.browse(ids).write({"predecessor_id": predecessor_id})
        return created

    @api.model
    def _insert(self, vals_list):
        """Insert the warranties made by deliveries in one query, like the
        ledger's events: an ORM create of 10,000 warranties (defaults, company
        checks, mail thread) takes seconds, this a fraction of one. The values
        are complete: related fields (product, policy type) included, partner
        already the commercial one, company the serial's."""
        if not vals_list:
            return self.browse()
        rows = [
            SQL(
                "(%s, %s, %s, %s, %s, %s, %s, %s::date, %s::date, %s::date, %s::date, %s,"
                " %s::int, %s::int)",
                *(vals.get(name) or None for name in INSERT_COLUMNS),
            )
            for vals in vals_list
        ]
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO serial_warranty (%(columns)s, reminder_sent,
                                         create_uid, create_date, write_uid, write_date)
            SELECT v.*, false, %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM (VALUES %(rows)s) AS v
         RETURNING id
                """,
                columns=SQL(", ").join(SQL.identifier(name) for name in INSERT_COLUMNS),
                uid=self.env.uid,
                now=self.env.cr.now(),
                rows=SQL(", ").join(rows),
            )
        )
        created = self.browse([row[0] for row in self.env.cr.fetchall()])
        self.env["stock.lot"].invalidate_model(["warranty_ids"])
        return created

    @api.model
    def _warranty_invoice_dates(self, move_ids):
        """``{stock.move id: date}``: the first posted customer invoice date of
        the sale order line each move delivered. Needs ``sale_stock`` (which
        links moves to sale lines) and ``account``; without them, or before
        the line is invoiced, there is none and the delivery date is used."""
        moves = self.env["stock.move"].sudo().browse(move_ids)
        if not moves or "sale_line_id" not in moves._fields:
            return {}
        dates = {}
        for move in moves:
            invoices = move.sale_line_id.invoice_lines.move_id.filtered(
                lambda inv: inv.state == "posted" and inv.move_type == "out_invoice"
            )
            invoice_dates = [d for d in invoices.mapped("invoice_date") if d]
            if invoice_dates:
                dates[move.id] = min(invoice_dates)
        return dates

    @api.model
    def _cron_expire(self):
        """Daily: warranties past their end expire; reminders are scheduled."""
        today = fields.Date.context_today(self)
        quiet = self.with_context(**QUIET)
        self._start_on_invoice_dates()
        quiet.search([("state", "=", "active"), ("end_date", "<", today)]).write(
            {"state": "expired"}
        )
        self._schedule_expiry_reminders(today)

    @api.model
    def _start_on_invoice_dates(self):
        """Warranties that started on their delivery date because the sale line
        was not invoiced yet start on the invoice date once it is."""
        if "sale_line_id" not in self.env["stock.move"]._fields:
            return self.browse()
        waiting = self.search(
            [
                ("start_source", "=", "invoice_fallback"),
                ("state", "=", "active"),
                ("delivery_event_id.move_id", "!=", False),
            ]
        )
        dates = self._warranty_invoice_dates(waiting.delivery_event_id.move_id.ids)
        groups = defaultdict(list)
        for warranty in waiting:
            invoice_date = dates.get(warranty.delivery_event_id.move_id.id)
            if invoice_date:
                groups[(invoice_date, warranty.policy_id)].append(warranty.id)
        started = self.browse()
        for (invoice_date, policy), ids in groups.items():
            warranties = self.browse(ids).with_context(**QUIET)
            warranties.write(
                {
                    "start_date": invoice_date,
                    "end_date": policy._term_end(invoice_date),
                    "start_source": "invoice",
                }
            )
            started |= warranties
        return started

    @api.model
    def _schedule_expiry_reminders(self, today):
        candidates = self.search(
            [
                ("state", "=", "active"),
                ("reminder_sent", "=", False),
                ("policy_id.reminder_days", ">", 0),
                ("end_date", ">=", today),
            ]
        )
        due = candidates.filtered(
            lambda w: w.end_date - timedelta(days=w.policy_id.reminder_days) <= today
        )
        if not due:
            return due
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model = self.env["ir.model"]._get_id(self._name)
        self.env["mail.activity"].create(
            [
                {
                    "res_model_id": model,
                    "res_id": warranty.id,
                    "activity_type_id": activity_type.id,
                    "date_deadline": warranty.end_date,
                    "user_id": warranty.policy_id.reminder_user_id.id,
                    "summary": self.env._(
                        "Warranty of %(serial)s for %(customer)s ends on %(date)s",
                        serial=warranty.lot_id.display_name,
                        customer=warranty.partner_id.display_name,
                        date=warranty.end_date,
                    ),
                }
                for warranty in due
            ]
        )
        due.with_context(**QUIET).write({"reminder_sent": True})
        return due
