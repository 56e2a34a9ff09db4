# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, models


class StockPackageLevel(models.Model):
    _inherit = "stock.package_level"

    @api.model_create_multi
    def create(self, vals_list):
        """A pallet put in a transfer brings its cases: each gets its own package
        level (their units are the cases' quants); the pallet keeps one only if
        it also holds quants of its own. Levels Odoo creates for packed lines
        (``move_line_ids`` given) are left as they are."""
        packages = self.env["stock.quant.package"].browse(
            {vals["package_id"] for vals in vals_list if vals.get("package_id")}
        )
        if not packages.child_ids:
            return super().create(vals_list)
        expanded = []
        for vals in vals_list:
            package = packages.browse(vals.get("package_id"))
            if not package.child_ids or vals.get("move_line_ids"):
                expanded.append(vals)
                continue
            if package.quant_ids:
                expanded.append(vals)
            expanded += [dict(vals, package_id=child.id) for child in package.child_ids]
        return super().create(expanded)

    def write(self, vals):
        """Skip levels a destination write would not change: Odoo's
        ``_check_entire_pack`` rewrites it on every level of the transfer after
        each move's reservation, and each write goes down to the level's move
        lines, which Odoo then unreserves and reserves again one by one (most
        of a pallet's reservation time, its levels being there beforehand)."""
        if set(vals) == {"location_dest_id"}:
            dest = vals["location_dest_id"]
            dest = dest.id if isinstance(dest, models.BaseModel) else dest
            unchanged = self.filtered(
                lambda level: (
                    level.location_dest_id.id == dest
                    and all(line.location_dest_id.id == dest for line in level.move_line_ids)
                    and all(move.location_dest_id.id == dest for move in level.move_ids)
                )
            )
            if unchanged == self:
                return True
            return super(StockPackageLevel, self - unchanged).write(vals)
        return super().write(vals)

    def _generate_moves(self):
        """Moves of the levels of cases and pallets in one create, one move per
        product of a package (Odoo makes one per quant: 50 moves for a case of 50
        serials, each created on its own); reservation then takes the package's
        quants exactly as for Odoo's moves."""
        sscc_levels = self.filtered(
            lambda level: level.package_id.sscc_level or level.package_id.parent_id
        )
        result = super(StockPackageLevel, self - sscc_levels)._generate_moves()
        vals_list = []
        for level in sscc_levels:
            quantities = defaultdict(float)
            for quant in level.package_id.quant_ids:
                quantities[quant.product_id] += quant.quantity
            vals_list += [
                {
                    "picking_id": level.picking_id.id,
                    "name": product.display_name,
                    "product_id": product.id,
                    "product_uom_qty": quantity,
                    "product_uom": product.uom_id.id,
                    "location_id": level.location_id.id,
                    "location_dest_id": level.location_dest_id.id,
                    "package_level_id": level.id,
                    "company_id": level.company_id.id,
                }
                for product, quantity in quantities.items()
            ]
        if vals_list:
            self.env["stock.move"].create(vals_list)
        return result
