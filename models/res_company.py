# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    serial_format_rule_id = fields.Many2one(
        "serial.format.rule",
        string="Default Serial Format",
        check_company=True,
        help="Serial format of serial-tracked products with no rule of their own or of "
        "their category.",
    )
