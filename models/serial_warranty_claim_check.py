# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from ..lib import warranty as rules


class SerialWarrantyClaimCheck(models.Model):
    """One automatic check of a claim, with its reason and any override."""

    _name = "serial.warranty.claim.check"
    _description = "Warranty Claim Check"
    _order = "claim_id, sequence, id"
    _rec_name = "code"

    claim_id = fields.Many2one(
        "serial.warranty.claim", required=True, index=True, ondelete="cascade", readonly=True
    )
    sequence = fields.Integer(readonly=True)
    code = fields.Selection(
        [
            (rules.UNKNOWN_SERIAL, "Known serial"),
            (rules.NEVER_DELIVERED, "Delivered to a customer"),
            (rules.OTHER_CUSTOMER, "Delivered to the claimant"),
            (rules.EXPIRED, "Warranty in force at the claim date"),
            (rules.SCRAPPED, "Not scrapped"),
            (rules.RECALLED, "Not recalled"),
            (rules.OPEN_CLAIM, "No other open claim"),
        ],
        string="Check",
        required=True,
        readonly=True,
    )
    passed = fields.Boolean(readonly=True)
    reason = fields.Char(readonly=True)
    overridden = fields.Boolean(readonly=True)
    justification = fields.Text(readonly=True)
    override_user_id = fields.Many2one("res.users", string="Overridden By", readonly=True)
    override_date = fields.Datetime(readonly=True)
    hand_entry_warranty_id = fields.Many2one(
        "serial.warranty",
        string="Entered by Hand",
        readonly=True,
        help="The check passed on this warranty, whose customer, serial or dates a manager "
        "entered by hand rather than the ledger.",
    )
