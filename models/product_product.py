# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class ProductProduct(models.Model):
    _inherit = "product.product"

    def _get_serial_format_rule(self):
        """The format rule of a serial-tracked product: its own, else its
        category's (nearest first), else its company's default."""
        self.ensure_one()
        if self.tracking != "serial":
            return self.env["serial.format.rule"]
        if self.serial_format_rule_id:
            return self.serial_format_rule_id
        category = self.categ_id
        while category:
            if category.serial_format_rule_id:
                return category.serial_format_rule_id
            category = category.parent_id
        return (self.company_id or self.env.company).serial_format_rule_id

    def _get_warranty_policies(self):
        """``{product id: standard warranty policy}`` of serial-tracked
        products: the product's own, else its category's (nearest first)."""
        policies = {}
        for product in self:
            policy = product.warranty_policy_id
            category = product.categ_id
            while not policy and category:
                policy = category.warranty_policy_id
                category = category.parent_id
            if product.tracking == "serial" and policy:
                policies[product.id] = policy
        return policies
