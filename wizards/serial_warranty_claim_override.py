# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError


class SerialWarrantyClaimOverride(models.TransientModel):
    """A manager accepts failed checks of a claim, saying why."""

    _name = "serial.warranty.claim.override"
    _description = "Override Warranty Claim Checks"

    claim_id = fields.Many2one("serial.warranty.claim", required=True, ondelete="cascade")
    check_ids = fields.Many2many(
        "serial.warranty.claim.check",
        string="Checks",
        domain="[('claim_id', '=', claim_id), ('passed', '=', False), ('overridden', '=', False)]",
    )
    justification = fields.Text(required=True)

    @api.model
    def default_get(self, fields_list):
        defaults = super().default_get(fields_list)
        claim = self.env["serial.warranty.claim"].browse(defaults.get("claim_id"))
        if claim and "check_ids" in fields_list:
            defaults["check_ids"] = claim.check_ids.filtered(
                lambda c: not c.passed and not c.overridden
            ).ids
        return defaults

    def action_override(self):
        self.ensure_one()
        claim = self.claim_id
        claim._check_manager(self.env._("override the checks of"))
        foreign = self.check_ids.filtered(lambda c: c.claim_id != claim)
        if foreign:
            raise UserError(
                self.env._(
                    "Checks of other claims (%(others)s) cannot be overridden from claim "
                    "%(claim)s; nothing was overridden.",
                    others=", ".join(foreign.sudo().claim_id.mapped("name")),
                    claim=claim.name,
                )
            )
        checks = self.check_ids.filtered(lambda c: not c.passed and not c.overridden)
        if claim.state != "submitted" or not checks:
            raise UserError(
                self.env._(
                    "Claim %(claim)s has no failed check left to override.", claim=claim.name
                )
            )
        if not (self.justification or "").strip():
            raise UserError(self.env._("Write why the failed checks are overridden."))
        checks.sudo().write(
            {
                "overridden": True,
                "justification": self.justification,
                "override_user_id": self.env.uid,
                "override_date": fields.Datetime.now(),
            }
        )
        claim.message_post(
            body=Markup("%s<ul>%s</ul>%s")
            % (
                self.env._("Checks overridden:"),
                Markup().join(Markup("<li>%s</li>") % escape(r) for r in checks.mapped("reason")),
                self.env._("Justification: %(text)s", text=self.justification),
            )
        )
        return {"type": "ir.actions.act_window_close"}
