# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..lib import gs1, scan, serial_format
from ..lib import warranty as rules

OPEN_STATES = ("submitted", "approved")
# Claims that count as failures in the analytics and the report.
COUNTED_STATES = ("submitted", "approved", "resolved")
COST_GROUP = "serialized_inventory.group_warranty_accountant"
MANAGER_GROUP = "serialized_inventory.group_serial_manager"
# Written by the claim's actions only.
WORKFLOW_FIELDS = frozenset(
    {"state", "warranty_id", "delivery_date", "resolved_date", "replacement_warranty_id"}
)


class SerialWarrantyClaim(models.Model):
    """A customer's warranty claim on a serial, checked against its history."""

    _name = "serial.warranty.claim"
    _description = "Warranty Claim"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "claim_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/", index=True
    )
    serial_name = fields.Char(
        string="Serial Number",
        required=True,
        tracking=True,
        help="Scan or type the serial number of the claimed unit.",
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial",
        compute="_compute_lot_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        check_company=True,
        domain="[('name', '=', serial_name), ('product_id.tracking', '=', 'serial')]",
        help="Found from the serial number; pick it when several products share that number.",
    )
    product_id = fields.Many2one(
        "product.product", related="lot_id.product_id", store=True, index=True
    )
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, tracking=True)
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    claim_date = fields.Date(
        required=True, default=fields.Date.context_today, index=True, tracking=True
    )
    description = fields.Text(string="Problem", required=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("resolved", "Resolved"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="draft",
        index=True,
        tracking=True,
        copy=False,
    )
    resolution = fields.Selection(
        [("repair", "Repair"), ("replace", "Replace"), ("refund", "Refund"), ("none", "None")],
        tracking=True,
        copy=False,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(
        "res.currency",
        default=lambda self: self.env.company.currency_id,
        required=True,
        groups=COST_GROUP,
    )
    cost = fields.Monetary(tracking=True, groups=COST_GROUP, copy=False)
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    cost_company = fields.Monetary(
        string="Cost (Company Currency)",
        currency_field="company_currency_id",
        compute="_compute_cost_company",
        store=True,
        groups=COST_GROUP,
        help="The cost converted at the claim date; the report and analytics add these up.",
    )
    user_id = fields.Many2one("res.users", string="Responsible", default=lambda self: self.env.user)
    warranty_id = fields.Many2one(
        "serial.warranty",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
        help="The warranty covering the serial at the claim date, found on submit.",
    )
    delivery_date = fields.Date(
        readonly=True, copy=False, help="Last delivery of the serial before the claim."
    )
    check_ids = fields.One2many("serial.warranty.claim.check", "claim_id", string="Checks")
    check_blocking = fields.Boolean(
        compute="_compute_check_blocking",
        store=True,
        help="A check failed and no manager overrode it.",
    )
    replacement_lot_id = fields.Many2one(
        "stock.lot",
        string="Replacement Serial",
        check_company=True,
        tracking=True,
        copy=False,
        domain="[('product_id.tracking', '=', 'serial'), ('id', '!=', lot_id)]",
    )
    replacement_warranty_id = fields.Many2one("serial.warranty", readonly=True, copy=False)
    resolved_date = fields.Date(readonly=True, copy=False)

    @api.depends("serial_name", "company_id")
    def _compute_lot_id(self):
        """The serial of the scanned or typed number (a GS1 scan's GTIN picks
        the product when several share the number)."""
        scans = [(claim, *scan.serial_of(claim.serial_name)) for claim in self]
        found = self._lots_by_name({serial for _claim, _gtin, serial in scans if serial})
        for claim, gtin, name in scans:
            if claim.lot_id and claim.lot_id.name == name:
                continue  # picked by hand among namesakes
            claim.lot_id = self._pick_lot(found[name], gtin, claim.company_id)

    @api.model
    def _lots_by_name(self, names):
        found = defaultdict(lambda: self.env["stock.lot"])
        # a name that cannot be a serial (a NUL byte PostgreSQL refuses...)
        # finds nothing; the claim's constraint says why
        names = {name for name in names if not serial_format.serial_name_error(name)}
        if names:
            lots = (
                self.env["stock.lot"]
                .with_context(active_test=False)
                .search([("name", "in", list(names)), ("product_id.tracking", "=", "serial")])
            )
            for lot in lots:
                found[lot.name] |= lot
        return found

    @api.model
    def _pick_lot(self, lots, gtin, company):
        lots = lots.filtered(lambda lot: not lot.company_id or lot.company_id == company)
        if gtin:
            lots = lots.filtered(lambda lot: gs1.gtin14(lot.product_id.barcode) == gtin)
        return lots if len(lots) == 1 else lots.browse()

    @api.model
    def _check_serial_names(self, vals_list):
        """Refuse a typed serial (a scan's, once read) that cannot be one (a
        NUL byte, which PostgreSQL cannot store, a control character, 10,000
        characters...) before anything is written."""
        errors = self.env["stock.lot"]._serial_name_errors(
            self.env["product.product"],
            [vals["serial_name"] for vals in vals_list if vals.get("serial_name")],
        )
        if errors:
            raise ValidationError("\n".join(errors))

    def _normalize_scan(self, vals):
        """Keep the serial number of a scan; its GTIN picks the serial."""
        gtin, serial = scan.serial_of(vals["serial_name"])
        vals = dict(vals, serial_name=serial)
        if gtin and not vals.get("lot_id"):
            company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
            lot = self._pick_lot(self._lots_by_name({serial})[serial], gtin, company)
            if lot:
                vals["lot_id"] = lot.id
        return vals

    @api.depends("cost", "currency_id", "company_id", "claim_date")
    def _compute_cost_company(self):
        for claim in self:
            company_currency = claim.company_id.currency_id
            if not claim.cost or not claim.currency_id or claim.currency_id == company_currency:
                claim.cost_company = claim.cost
                continue
            claim.cost_company = claim.currency_id._convert(
                claim.cost, company_currency, claim.company_id, claim.claim_date
            )

    @api.depends("check_ids.passed", "check_ids.overridden")
    def _compute_check_blocking(self):
        for claim in self:
            claim.check_blocking = any(
                not check.passed and not check.overridden for check in claim.check_ids
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not self.env.su and vals.get("state", "draft") != "draft":
                raise UserError(self.env._("A claim starts as a draft and is then submitted."))
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("serial.warranty.claim") or "/"
        vals_list = [
            self._normalize_scan(vals) if vals.get("serial_name") else vals for vals in vals_list
        ]
        self._check_serial_names(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        workflow = WORKFLOW_FIELDS.intersection(vals)
        if workflow and not self.env.su:
            raise UserError(
                self.env._(
                    "%(fields)s of claims follow their actions (Submit, Approve...) and "
                    "cannot be written directly: %(claims)s",
                    fields=", ".join(sorted(workflow)),
                    claims=", ".join(self.mapped("name")),
                )
            )
        if vals.get("serial_name"):
            vals = self._normalize_scan(vals)
            self._check_serial_names([vals])
        if {"serial_name", "lot_id", "partner_id", "claim_date"} & set(vals):
            locked = self.filtered(lambda c: c.state != "draft")
            if locked:
                raise UserError(
                    self.env._(
                        "The serial, customer and date of a claim are checked on submit and "
                        "cannot change afterwards; reset it to draft first: %(claims)s",
                        claims=", ".join(locked.mapped("name")),
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(claim.state not in ("draft", "cancelled") for claim in self):
            raise UserError(self.env._("Only draft or cancelled claims can be deleted."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_submit(self):
        self._check_state(("draft",), self.env._("submitted"))
        self._run_checks()
        self.sudo().write({"state": "submitted"})
        for claim in self:
            failed = claim.check_ids.filtered(lambda c: not c.passed)
            if failed:
                body = self.env._(
                    "Submitted; checks failed: %(reasons)s",
                    reasons="; ".join(failed.mapped("reason")),
                )
            else:
                body = self.env._("Submitted; all checks passed.")
            claim.message_post(body=body)

    def action_approve(self):
        self._check_manager(self.env._("approve"))
        self._check_state(("submitted",), self.env._("approved"))
        blocked = self.filtered("check_blocking")
        if blocked:
            raise UserError(
                self.env._(
                    "Claim %(claim)s cannot be approved while a check fails: %(reasons)s. "
                    "A manager can override a check with a justification.",
                    claim=blocked[0].name,
                    reasons="; ".join(
                        blocked[0]
                        .check_ids.filtered(lambda c: not c.passed and not c.overridden)
                        .mapped("reason")
                    ),
                )
            )
        self.sudo().write({"state": "approved"})

    def action_reject(self):
        self._check_manager(self.env._("reject"))
        self._check_state(("submitted", "approved"), self.env._("rejected"))
        self.sudo().write({"state": "rejected"})

    def action_cancel(self):
        self._check_state(("draft", "submitted", "approved"), self.env._("cancelled"))
        self.sudo().write({"state": "cancelled"})

    def action_draft(self):
        self._check_state(("rejected", "cancelled", "submitted"), self.env._("reset to draft"))
        self.sudo().check_ids.unlink()
        self.sudo().write({"state": "draft", "warranty_id": False, "delivery_date": False})

    def action_resolve(self):
        self._check_manager(self.env._("resolve"))
        self._check_state(("approved",), self.env._("resolved"))
        for claim in self:
            if not claim.resolution:
                raise UserError(
                    self.env._("Claim %(claim)s: choose a resolution first.", claim=claim.name)
                )
            if claim.resolution == "replace" and not claim.replacement_lot_id:
                raise UserError(
                    self.env._(
                        "Claim %(claim)s replaces the unit: enter the replacement serial.",
                        claim=claim.name,
                    )
                )
        today = fields.Date.context_today(self)
        for claim in self.filtered(lambda c: c.resolution == "replace"):
            claim._transfer_warranty(today)
        self.sudo().write({"state": "resolved", "resolved_date": today})

    def action_override_checks(self):
        self.ensure_one()
        self._check_manager(self.env._("override the checks of"))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Override Checks"),
            "res_model": "serial.warranty.claim.override",
            "view_mode": "form",
            "target": "new",
            "context": {"default_claim_id": self.id},
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _check_manager(self, action):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._(
                    "Only serial inventory managers can %(action)s warranty claims (%(claims)s).",
                    action=action,
                    claims=", ".join(self.mapped("name")),
                )
            )

    def _check_state(self, states, action):
        wrong = self.filtered(lambda c: c.state not in states)
        if wrong:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "Claim %(claim)s is %(state)s and cannot be %(action)s.",
                    claim=wrong[0].name,
                    state=labels[wrong[0].state],
                    action=action,
                )
            )

    def _run_checks(self):
        """Check every claim against its serial's history and store one line
        per check with its reason, in a constant number of queries."""
        facts = self._claim_facts()
        labels = dict(
            self.env["serial.warranty.claim.check"]._fields["code"]._description_selection(self.env)
        )
        self.sudo().check_ids.unlink()
        vals_list = []
        for claim in self:
            claim_facts, warranty, delivery_date, by_hand = facts[claim.id]
            for sequence, result in enumerate(rules.check_claim(claim_facts)):
                reason = claim._check_reason(result) if not result.passed else labels[result.code]
                hand = by_hand.get(result.code) if result.passed else None
                vals_list.append(
                    {
                        "claim_id": claim.id,
                        "sequence": sequence,
                        "code": result.code,
                        "passed": result.passed,
                        "reason": claim._hand_entry_reason(reason, hand) if hand else reason,
                        "hand_entry_warranty_id": hand.id if hand else False,
                    }
                )
            claim.sudo().write({"warranty_id": warranty.id, "delivery_date": delivery_date})
        self.env["serial.warranty.claim.check"].sudo().create(vals_list)

    def _hand_entry_reason(self, reason, warranty):
        """A check passed on a warranty entered by hand says so: whoever
        decides the claim sees it rests on a manager's entry, not the ledger."""
        return self.env._(
            "%(reason)s (per warranty %(warranty)s entered by hand by %(user)s on %(date)s)",
            reason=reason,
            warranty=warranty.display_name,
            user=warranty.manual_entry_user_id.display_name or self.env._("an unknown user"),
            date=fields.Date.to_string(warranty.manual_entry_date or warranty.create_date),
        )

    def _claim_facts(self):
        """``{claim id: (ClaimFacts, covering warranty, last delivery date,
        {check code: the hand-entered warranty the check passes on})}``."""
        lots = self.lot_id
        Warranty = self.env["serial.warranty"].sudo()
        deliveries = defaultdict(list)
        for event in (
            self.env["serial.event"]
            .sudo()
            .search_fetch(
                [("lot_id", "in", lots.ids), ("event_type", "=", "delivery")],
                ["lot_id", "date", "partner_id"],
                order="date, id",
            )
        ):
            deliveries[event.lot_id.id].append(
                (
                    fields.Date.context_today(self, event.date),
                    event.partner_id.commercial_partner_id.id or None,
                )
            )
        warranties = defaultdict(lambda: Warranty)
        for warranty in Warranty.search([("lot_id", "in", lots.ids)], order="id"):
            warranties[warranty.lot_id.id] |= warranty
        open_claims = defaultdict(lambda: self.browse())
        for other in self.search(
            [("lot_id", "in", lots.ids), ("state", "in", OPEN_STATES), ("id", "not in", self.ids)]
        ):
            open_claims[other.lot_id.id] |= other
        recalls = lots._warranty_recall_blocking()
        result = {}
        for claim in self:
            lot, day = claim.lot_id, claim.claim_date
            if not lot:
                facts = rules.ClaimFacts(claim_date=day, claimant=None, serial_known=False)
                result[claim.id] = (facts, Warranty, False, {})
                continue
            lot_warranties = warranties[lot.id]
            by_hand = {}
            delivered = [d for d in deliveries[lot.id] if d[0] <= day]
            if not delivered:
                # serials sold before the addon: their warranty entered by hand
                entered = sorted(
                    (
                        (w.delivery_date or w.start_date, w.partner_id.id, w)
                        for w in lot_warranties
                        if w._is_hand_entered() and (w.delivery_date or w.start_date)
                    ),
                    key=lambda entry: (entry[0], entry[2].id),
                )
                entered = [entry for entry in entered if entry[0] <= day]
                if entered:
                    by_hand[rules.NEVER_DELIVERED] = entered[-1][2]
                delivered = [entry[:2] for entry in entered]
            delivery_date, delivered_to = delivered[-1] if delivered else (False, None)
            covering = lot_warranties.filtered(lambda w, day=day: w._cover().in_force(day))
            covering = (
                covering.filtered(lambda w, c=claim: w.partner_id == c.commercial_partner_id)
                or covering
            )
            facts = rules.ClaimFacts(
                claim_date=day,
                claimant=claim.commercial_partner_id.id,
                delivered_to=delivered_to,
                covers=[w._cover() for w in lot_warranties],
                scrapped=lot.lifecycle_state == "scrapped",
                recall=recalls.get(lot.id, ""),
                open_claims=open_claims[lot.id].mapped("name"),
            )
            covering = covering.sorted(lambda w: (w.policy_type != "standard", w.id))[:1]
            if covering._is_hand_entered():
                by_hand[rules.EXPIRED] = covering
            result[claim.id] = (facts, covering, delivery_date, by_hand)
        return result

    def _check_reason(self, result):
        """The translated reason of a failed check."""
        params = dict(
            result.params,
            serial=self.serial_name,
            claim_date=self.claim_date,
            claimant=self.commercial_partner_id.display_name,
        )
        if "delivered_to" in params:
            params["delivered_to"] = (
                self.env["res.partner"].browse(params["delivered_to"]).display_name
            )
        messages = {
            rules.UNKNOWN_SERIAL: self.env._(
                "Unknown serial: no serial number %(serial)s is known (or several products "
                "use it: pick the serial)."
            ),
            rules.NEVER_DELIVERED: self.env._(
                "Serial %(serial)s was never delivered to a customer on or before %(claim_date)s."
            ),
            rules.OTHER_CUSTOMER: self.env._(
                "Serial %(serial)s was delivered to %(delivered_to)s, not to the claimant "
                "%(claimant)s."
            ),
            rules.EXPIRED: self.env._(
                "Warranty %(warranty)s of serial %(serial)s ended on %(date)s, before the "
                "claim date %(claim_date)s."
            ),
            "no_warranty": self.env._(
                "Serial %(serial)s has no warranty covering the claim date %(claim_date)s."
            ),
            "closed": self.env._(
                "Warranty %(warranty)s of serial %(serial)s stopped on %(date)s (the unit was "
                "returned, re-delivered or replaced), before the claim date %(claim_date)s."
            ),
            "pending_registration": self.env._(
                "The warranty of serial %(serial)s waits for the customer's registration."
            ),
            rules.SCRAPPED: self.env._("Serial %(serial)s was scrapped."),
            rules.RECALLED: self.env._("Serial %(serial)s is recalled: %(recall)s"),
            rules.OPEN_CLAIM: self.env._(
                "Serial %(serial)s already has an open claim: %(claims)s."
            ),
        }
        return messages[result.reason] % params

    def _transfer_warranty(self, day):
        """Move what is left of the claimed serial's warranties (standard and
        extended, for the claimant) to the replacement serial."""
        self.ensure_one()
        replacement = self.replacement_lot_id
        if replacement == self.lot_id:
            raise UserError(
                self.env._("Claim %(claim)s: a unit cannot replace itself.", claim=self.name)
            )
        Warranty = self.env["serial.warranty"].sudo()
        others = Warranty.search(
            [
                ("lot_id", "=", replacement.id),
                ("state", "in", ("pending", "active", "suspended")),
                ("partner_id", "!=", self.commercial_partner_id.id),
            ]
        )
        if others:
            raise UserError(
                self.env._(
                    "Replacement serial %(serial)s is under warranty for %(customer)s.",
                    serial=replacement.display_name,
                    customer=others[0].partner_id.display_name,
                )
            )
        claimed = Warranty.search(
            [
                ("lot_id", "=", self.lot_id.id),
                ("partner_id", "=", self.commercial_partner_id.id),
                ("state", "!=", "pending"),
                ("end_date", ">=", day),
                "|",
                ("closed_date", "=", False),
                ("closed_date", ">", self.claim_date),
            ]
        )
        claimed |= self.warranty_id.filtered(lambda w: w.end_date and w.end_date >= day)
        claimed = claimed.sorted(lambda w: (w.start_date, w.id))
        if not claimed:
            self.message_post(
                body=self.env._(
                    "Replaced by %(serial)s; no warranty was left to transfer.",
                    serial=replacement.display_name,
                )
            )
            return Warranty
        new = Warranty.create(
            [
                {
                    "lot_id": replacement.id,
                    "company_id": warranty.company_id.id,
                    "partner_id": warranty.partner_id.id,
                    "policy_id": warranty.policy_id.id,
                    "delivery_date": day,
                    "start_date": max(day, warranty.start_date),
                    "end_date": warranty.end_date,
                    "state": "active",
                    "start_source": "transfer",
                    "predecessor_id": warranty.id,
                }
                for warranty in claimed
            ]
        )
        for warranty in claimed:
            warranty.write({"state": "transferred", "closed_date": warranty.closed_date or day})
        self.sudo().replacement_warranty_id = new.sorted(lambda w: w.policy_type != "standard")[:1]
        self.message_post(
            body=self.env._(
                "Replaced by %(serial)s; its warranty runs until %(end)s.",
                serial=replacement.display_name,
                end=max(new.mapped("end_date")),
            )
        )
        return new
