# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ProductCategory(models.Model):
    _inherit = "product.category"

    serial_format_rule_id = fields.Many2one(
        "serial.format.rule",
        string="Serial Format",
        help="Serial format of the serial-tracked products of this category and its "
        "sub-categories that have none of their own.",
    )
    warranty_policy_id = fields.Many2one(
        "serial.warranty.policy",
        string="Warranty",
        domain="[('policy_type', '=', 'standard')]",
        help="Standard warranty of the delivered serials of this category and its "
        "sub-categories, unless their product has its own.",
    )
