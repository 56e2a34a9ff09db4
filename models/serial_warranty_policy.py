# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..lib import warranty as rules


class SerialWarrantyPolicy(models.Model):
    """How long serials are covered, from when, and what a return does."""

    _name = "serial.warranty.policy"
    _description = "Warranty Policy"
    _order = "policy_type, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty to share the policy between companies."
    )
    policy_type = fields.Selection(
        [("standard", "Standard"), ("extended", "Extended")],
        required=True,
        default="standard",
        help="Standard: given with each delivered serial of the products and categories "
        "using it. Extended: sold on top of the standard warranty and added to a serial by "
        "hand; it starts the day after the standard warranty ends.",
    )
    duration = fields.Integer(required=True, default=12)
    duration_unit = fields.Selection(
        [(rules.MONTHS, "Months"), (rules.DAYS, "Days")], required=True, default=rules.MONTHS
    )
    coverage = fields.Text(
        translate=True, help="What the warranty covers, as the customer reads it."
    )
    start_trigger = fields.Selection(
        [
            ("delivery", "Delivery Date"),
            ("invoice", "Invoice Date"),
            ("registration", "Customer Registration Date"),
        ],
        required=True,
        default="delivery",
        help="Delivery date: the day the serial is delivered. Invoice date: the date of the "
        "first posted customer invoice of the sale order line the serial was delivered for "
        "(needs Sales and Invoicing); when there is none yet at delivery, the delivery date "
        "until the daily job finds the invoice; without those apps, the delivery date, and "
        "the warranty says so. Registration date: the "
        "warranty waits until the customer's registration date is entered.",
    )
    on_return = fields.Selection(
        [("void", "Void"), ("suspend", "Suspend")],
        required=True,
        default="void",
        help="What a customer return does. Void: the warranty ends; a new delivery starts a "
        "new full warranty. Suspend: the warranty stops; when the serial is delivered again "
        "to the same customer, a new warranty covers the days that were left.",
    )
    reminder_days = fields.Integer(
        help="Schedule an activity this many days before the warranty ends (0: no reminder)."
    )
    reminder_user_id = fields.Many2one(
        "res.users", string="Remind", help="Who gets the expiry reminder activities."
    )
    warranty_count = fields.Integer(compute="_compute_warranty_count")

    _sql_constraints = [
        ("duration_positive", "CHECK(duration > 0)", "A warranty lasts at least one day."),
        ("reminder_positive", "CHECK(reminder_days >= 0)", "Reminder days cannot be negative."),
    ]

    def _compute_warranty_count(self):
        counts = dict(
            self.env["serial.warranty"]._read_group(
                [("policy_id", "in", self.ids)], ["policy_id"], ["__count"]
            )
        )
        for policy in self:
            policy.warranty_count = counts.get(policy, 0)

    @api.constrains("reminder_days", "reminder_user_id")
    def _check_reminder_user(self):
        for policy in self:
            if policy.reminder_days and not policy.reminder_user_id:
                raise ValidationError(
                    self.env._(
                        "Warranty policy %(policy)s sends reminders: say who receives them.",
                        policy=policy.display_name,
                    )
                )

    def _term_end(self, start):
        self.ensure_one()
        return rules.term_end(start, self.duration, self.duration_unit)

    def action_view_warranties(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "serialized_inventory.serial_warranty_action"
        )
        action["domain"] = [("policy_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_create_past_warranties(self):
        """Create the warranties of serials of this policy's products that were
        delivered (per the ledger) before the policy was set: in the policy's
        company, or in the user's allowed companies for a shared policy."""
        if not self.env.user.has_group("serialized_inventory.group_serial_manager"):
            raise AccessError(
                self.env._(
                    "Only serial inventory managers can create the warranties of past "
                    "deliveries (%(policies)s).",
                    policies=", ".join(self.mapped("display_name")),
                )
            )
        foreign = self.sudo().filtered(
            lambda p: p.company_id and p.company_id not in self.env.companies
        )
        if foreign:
            raise AccessError(
                self.env._(
                    "Warranty policy %(policy)s belongs to %(company)s, which is not one of "
                    "your allowed companies.",
                    policy=foreign[0].display_name,
                    company=foreign[0].company_id.sudo().display_name,
                )
            )
        self.check_access("write")
        shared = any(not policy.company_id for policy in self)
        companies = self.env.companies if shared else self.company_id
        warranties = self.env["serial.warranty"]._backfill_from_ledger(
            policies=self, companies=companies
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": self.env._(
                    "%(count)s warranties created from past deliveries.", count=len(warranties)
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
