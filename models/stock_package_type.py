# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class StockPackageType(models.Model):
    _inherit = "stock.package.type"

    sscc_level = fields.Selection(
        selection=[("case", "Case"), ("pallet", "Pallet")],
        string="SSCC Level",
        help="Packages of this type are logistic units identified by an SSCC, generated "
        "when they are created. Cases go on pallets; pallets hold cases.",
    )

    def write(self, vals):
        if "sscc_level" in vals:
            used = self.filtered(lambda ptype: ptype.sscc_level != vals["sscc_level"])
            if used and self.env["stock.quant.package"].search_count(
                [("package_type_id", "in", used.ids)], limit=1
            ):
                raise UserError(
                    self.env._(
                        "The SSCC level of package types already used by packages cannot "
                        "change (%(types)s): create another package type.",
                        types=", ".join(used.mapped("name")),
                    )
                )
        return super().write(vals)

    @api.model
    def _sscc_levels(self, type_ids):
        """{package type id: SSCC level} of the given ids (False when none)."""
        types = self.browse({type_id for type_id in type_ids if type_id})
        return {ptype.id: ptype.sscc_level for ptype in types}
