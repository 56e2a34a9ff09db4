# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    serial_format_rule_id = fields.Many2one(
        "serial.format.rule",
        string="Serial Format",
        check_company=True,
        help="How serial numbers of this product are generated and checked; empty: the "
        "product category's rule, else the company's default.",
    )
    warranty_policy_id = fields.Many2one(
        "serial.warranty.policy",
        string="Warranty",
        check_company=True,
        domain="[('policy_type', '=', 'standard')]",
        help="Standard warranty of each delivered serial of this product; empty: the "
        "product category's.",
    )
