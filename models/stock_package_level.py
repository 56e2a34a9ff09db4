# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import models


class StockPackageLevel(models.Model):
    """A pallet's level stands for everything on it: its moves take the cases'
    quants (and the pallet's own), their lines keep their case, and the level
    is done when each package on the pallet is taken whole."""

    _inherit = "stock.package_level"

    def _set_is_done(self):
        """Ticking a pallet's level picks everything on it: its moves are
        reserved if they are not yet and their lines picked (Odoo's fills in
        the lines of the package's own quants only)."""
        pallets = self._pallet_levels().filtered("is_done")
        pallets.move_ids.filtered(
            lambda move: move.state in ("confirmed", "partially_available")
        )._action_assign()
        pallets.move_line_ids.picked = True
        return super(StockPackageLevel, self - pallets)._set_is_done()

    def write(self, vals):
        """Skip levels a destination write would not change: Odoo's
        ``_check_entire_pack`` rewrites it on every level of the transfer after
        each move's reservation, and each write goes down to the level's move
        lines, which Odoo then unreserves and reserves again one by one."""
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

    def _pallet_levels(self):
        return self.filtered(lambda level: level.package_id.child_ids)

    def _carried_packages(self):
        """The packages the levels move: each level's package and, for a
        pallet, the cases on it."""
        return self.package_id | self.package_id.child_ids

    def _generate_moves(self):
        """Moves of the levels of cases and pallets in one create, one move per
        product of what the level carries (a pallet: its cases and itself; Odoo
        makes one per quant of the package alone, each created on its own);
        reservation then takes those quants (``stock.quant._get_gather_domain``
        reads a pallet as everything on it)."""
        sscc_levels = self.filtered(
            lambda level: level.package_id.sscc_level or level.package_id.parent_id
        )
        result = super(StockPackageLevel, self - sscc_levels)._generate_moves()
        vals_list = []
        for level in sscc_levels:
            quantities = defaultdict(float)
            for quant in level._carried_packages().quant_ids:
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

    def _check_move_lines_map_quant_package(self, package, only_picked=False):
        """A pallet's level holds all of it when its lines of each package it
        carries (the pallet's own quants, each case's) are that package's
        quants, and it has no line of any other package."""
        if not package.child_ids:
            return super()._check_move_lines_map_quant_package(package, only_picked=only_picked)
        lines = self.move_line_ids
        if only_picked:
            lines = lines.filtered("picked")
        by_package = lines.grouped("package_id")
        carried = self._carried_packages()
        return set(by_package) <= set(carried) and all(
            carried_package._check_move_lines_map_quant(
                by_package.get(carried_package, lines.browse())
            )
            for carried_package in carried
        )
