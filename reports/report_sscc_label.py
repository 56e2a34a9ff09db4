# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, models
from odoo.exceptions import UserError

from ..lib import gs1, label_layouts, label_render

DEFAULT_LAYOUT = "thermal_4x6"
# products listed on a label before "and N more products"
MAX_PRODUCTS = 6


class ReportSsccLabel(models.AbstractModel):
    """GS1 logistic labels of cases and pallets: (00) SSCC in GS1-128 and a
    contents summary, drawn by ``lib/label_render``."""

    _name = "report.serialized_inventory.report_sscc_label"
    _description = "SSCC Labels"

    @api.model
    def _render_reportlab(self, packages, data):
        data = data or {}
        layout_name = data.get("layout") or DEFAULT_LAYOUT
        layout = label_layouts.LAYOUTS.get(layout_name)
        if layout is None:
            raise UserError(self.env._("Unknown label layout %(layout)s.", layout=layout_name))
        self._check_sscc(packages)
        copies, start_position = self.env[
            "report.serialized_inventory.report_serial_label"
        ]._check_print(len(packages), data, layout)
        try:
            return label_render.render_package_labels(
                [self._label(package) for package in packages],
                layout,
                copies=copies,
                start_position=start_position,
            )
        except ValueError as error:
            raise UserError(
                self.env._("The labels cannot be printed: %(reason)s", reason=str(error))
            ) from error

    @api.model
    def _check_sscc(self, packages):
        without = packages.filtered(lambda package: not package.valid_sscc)
        if without:
            raise UserError(
                self.env._(
                    "SSCC labels need packages named by an SSCC (cases and pallets); these "
                    "are not: %(packages)s.",
                    packages=", ".join(without[:20].mapped("name")),
                )
            )

    @api.model
    def _label(self, package):
        levels = dict(package._fields["sscc_level"]._description_selection(self.env))
        quants = package.contained_quant_ids
        totals = defaultdict(float)
        for quant in quants:
            totals[quant.product_id] += quant.quantity
        lines = [
            self.env._(
                "%(quantity)s x %(product)s",
                quantity=format(quantity, "g"),
                product=product.display_name,
            )
            for product, quantity in sorted(totals.items(), key=lambda item: -item[1])
        ]
        if len(lines) > MAX_PRODUCTS:
            more = len(lines) - MAX_PRODUCTS + 1
            lines = [
                *lines[: MAX_PRODUCTS - 1],
                self.env._("and %(count)s more products", count=more),
            ]
        if package.child_ids:
            lines.insert(0, self.env._("%(count)s cases", count=len(package.child_ids)))
        gtin = count = None
        if len(totals) == 1 and not package.child_ids:
            product, quantity = next(iter(totals.items()))
            if gs1.gtin14(product.barcode) and quantity == int(quantity):
                gtin, count = product.barcode, int(quantity)
        title = levels.get(package.sscc_level) or self.env._("Package")
        return label_render.PackageLabel(
            sscc=package.name,
            title=f"{title} — {package.company_id.name or self.env.company.name}",
            lines=tuple(lines),
            gtin=gtin,
            count=count,
        )
