# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..lib import sscc


class ResCompany(models.Model):
    _inherit = "res.company"

    serial_format_rule_id = fields.Many2one(
        "serial.format.rule",
        string="Default Serial Format",
        check_company=True,
        help="Serial format of serial-tracked products with no rule of their own or of "
        "their category.",
    )
    gs1_digital_link_base_url = fields.Char(
        string="GS1 Digital Link Base URL",
        default="https://id.gs1.org",
        help="Domain of the GS1 Digital Link URIs of your serials (your resolver, or GS1's).",
    )
    gs1_company_prefix = fields.Char(
        string="GS1 Company Prefix",
        size=12,
        help="The 4 to 12 digits GS1 gave your company; SSCCs of your cases and pallets "
        "start with them.",
    )
    sscc_extension_digit = fields.Char(
        string="SSCC Extension Digit",
        size=1,
        default="0",
        help="First digit of your SSCCs (0 to 9), free for your own use, e.g. one per "
        "site generating SSCCs.",
    )
    sscc_sequence_id = fields.Many2one(
        "ir.sequence",
        string="SSCC Sequence",
        copy=False,
        help="Serial references of the SSCCs generated for this company.",
    )

    @api.constrains("gs1_company_prefix", "sscc_extension_digit")
    def _check_sscc_prefix(self):
        for company in self.filtered("gs1_company_prefix"):
            reason = sscc.prefix_error(company.sscc_extension_digit, company.gs1_company_prefix)
            if reason:
                raise ValidationError(
                    self.env._(
                        "The GS1 settings of %(company)s cannot make SSCCs: %(reason)s.",
                        company=company.name,
                        reason=self.env._(reason),  # pylint: disable=translation-required
                    )
                )

    def _take_sscc_references(self, count):
        """``count`` serial references for new SSCCs of this company, taken at
        once from its sequence (created on first use): ``nextval`` of the
        sequence's PostgreSQL sequence, atomic without locking; a no-gap
        sequence is advanced in one UPDATE that locks its row until commit."""
        self.ensure_one()
        sequence = self.sudo().sscc_sequence_id
        if not sequence:
            sequence = (
                self.env["ir.sequence"]
                .sudo()
                .create(
                    {
                        "name": self.env._("SSCC serial references of %s", self.name),
                        "code": "serialized_inventory.sscc",
                        "company_id": self.id,
                        "implementation": "standard",
                        "number_next": 1,
                        "number_increment": 1,
                    }
                )
            )
            self.sudo().sscc_sequence_id = sequence
        if sequence.implementation == "standard":
            self.env.cr.execute(
                SQL(
                    "SELECT nextval(%s) FROM generate_series(1, %s)",
                    f"ir_sequence_{sequence.id:03d}",
                    count,
                )
            )
            return [row[0] for row in self.env.cr.fetchall()]
        sequence.flush_recordset(["number_next"])
        self.env.cr.execute(
            SQL(
                """
            UPDATE ir_sequence SET number_next = number_next + %(step)s * %(count)s
             WHERE id = %(id)s
         RETURNING number_next - %(step)s * %(count)s, %(step)s
                """,
                step=sequence.number_increment,
                count=count,
                id=sequence.id,
            )
        )
        first, step = self.env.cr.fetchone()
        sequence.invalidate_recordset(["number_next"])
        return [first + step * index for index in range(count)]
