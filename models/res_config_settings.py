# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    serial_format_rule_id = fields.Many2one(
        related="company_id.serial_format_rule_id", readonly=False
    )
    gs1_digital_link_base_url = fields.Char(
        related="company_id.gs1_digital_link_base_url", readonly=False
    )
    gs1_company_prefix = fields.Char(related="company_id.gs1_company_prefix", readonly=False)
    sscc_extension_digit = fields.Char(related="company_id.sscc_extension_digit", readonly=False)
