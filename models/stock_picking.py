# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    serial_recall_id = fields.Many2one(
        "serial.recall",
        string="Recall",
        readonly=True,
        index="btree_not_null",
        copy=False,
        help="The recall campaign this transfer quarantines serials for.",
    )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_serial_history(self):
        self.env["serial.event"]._check_unlink_referenced(self, ["picking_id"])

    def _check_entire_pack(self):
        self._pack_pallet_levels()
        return super()._check_entire_pack()

    def _check_move_lines_map_quant_package(self, package):
        """A package a pallet's level carries (the pallet, its cases) is packed
        with that level (``_pack_pallet_levels``), not as a level of its own."""
        if package in self.package_level_ids._pallet_levels()._carried_packages():
            return False
        return super()._check_move_lines_map_quant_package(package)

    def _pack_pallet_levels(self):
        """Lines reserved for a pallet's level join it and keep their package
        (a case, or the pallet for its own quants) when they take all of it,
        as Odoo's ``_check_entire_pack`` does for a level's package: the cases
        arrive still on the pallet."""
        for level in self.package_level_ids._pallet_levels():
            lines = level.move_ids.move_line_ids.filtered(
                lambda ml: ml.state not in ("done", "cancel")
            )
            carried = level._carried_packages()
            for package, package_lines in lines.grouped("package_id").items():
                to_pack = package_lines.filtered(lambda ml: not ml.result_package_id)
                if (
                    to_pack
                    and package in carried
                    and package._check_move_lines_map_quant(package_lines)
                ):
                    to_pack.write({"result_package_id": package.id, "package_level_id": level.id})

    def _action_done(self):
        self._take_returned_serials_from_packages()
        return super()._action_done()

    def _take_returned_serials_from_packages(self):
        """A serial coming back from a customer (or a vendor) is taken out of
        the case it was delivered in: Odoo does not reserve there, so the
        return's line has no source package and the unit would otherwise stay
        in the case at the customer's while it is back in stock. Lines whose
        package was set by the user are left alone."""
        lines = self.move_line_ids.filtered(
            lambda ml: (
                ml.lot_id
                and not ml.package_id
                and ml.product_id.tracking == "serial"
                and ml.location_id.usage not in ("internal", "transit")
            )
        )
        if not lines:
            return
        quants = self.env["stock.quant"].search(
            [
                ("lot_id", "in", lines.lot_id.ids),
                ("location_id", "in", lines.location_id.ids),
                ("quantity", ">", 0),
                ("package_id", "!=", False),
            ]
        )
        package_of = {(q.lot_id.id, q.location_id.id): q.package_id for q in quants}
        by_package = defaultdict(lambda: self.env["stock.move.line"])
        for line in lines:
            package = package_of.get((line.lot_id.id, line.location_id.id))
            if package:
                by_package[package] |= line
        for package, package_lines in by_package.items():
            package_lines.write({"package_id": package.id})
