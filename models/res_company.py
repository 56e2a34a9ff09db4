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
    gs1_digital_link_base_url = fields.Char(
        string="GS1 Digital Link Base URL",
        default="https://id.gs1.org",
        help="Domain of the GS1 Digital Link URIs of your serials (your resolver, or GS1's).",
    )
