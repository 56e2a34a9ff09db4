# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..lib import gs1, label_layouts, label_render

# What the wizard offers; "auto" (the Print menu's default) is GS1 DataMatrix +
# Code 128 when every serial's product has a GTIN, else Code 128.
SYMBOLOGIES = {
    "code128": ("code128",),
    "gs1_128": ("gs1_128",),
    "gs1_datamatrix": ("gs1_datamatrix",),
    "gs1_datamatrix_code128": ("gs1_datamatrix", "code128"),
    "qr_digital_link": ("qr_digital_link",),
}
GS1_SYMBOLOGIES = {"gs1_128", "gs1_datamatrix", "gs1_datamatrix_code128", "qr_digital_link"}
DEFAULT_LAYOUT = "a4_3x8"


class ReportSerialLabel(models.AbstractModel):
    """Serial number labels, drawn by ``lib/label_render``."""

    _name = "report.serialized_inventory.report_serial_label"
    _description = "Serial Number Labels"

    @api.model
    def _render_reportlab(self, lots, data):
        layout_name = data.get("layout") or DEFAULT_LAYOUT
        layout = label_layouts.LAYOUTS.get(layout_name)
        if layout is None:
            raise UserError(self.env._("Unknown label layout %(layout)s.", layout=layout_name))
        symbology = data.get("symbology") or "auto"
        if symbology == "auto":
            with_gtin = all(gs1.gtin14(lot.product_id.barcode) for lot in lots)
            symbology = "gs1_datamatrix_code128" if lots and with_gtin else "code128"
        if symbology not in SYMBOLOGIES:
            raise UserError(self.env._("Unknown symbology %(symbology)s.", symbology=symbology))
        self._check_gs1(lots, symbology)
        try:
            return label_render.render_labels(
                self._labels(lots),
                layout,
                SYMBOLOGIES[symbology],
                copies=int(data.get("copies") or 1),
                start_position=int(data.get("start_position") or 1),
                captions={
                    "serial": self.env._("S/N"),
                    "lot": self.env._("Lot"),
                    "expiry": self.env._("Exp."),
                },
            )
        except ValueError as error:
            raise UserError(
                self.env._("The labels cannot be printed: %(reason)s", reason=str(error))
            ) from error

    @api.model
    def _check_gs1(self, lots, symbology):
        if symbology not in GS1_SYMBOLOGIES:
            return
        without = lots.filtered(
            lambda lot: not gs1.gtin14(lot.product_id.barcode) or lot.product_tracking != "serial"
        )
        if without:
            raise UserError(
                self.env._(
                    "GS1 labels need serials of products whose barcode is a GTIN; these are "
                    "not: %(serials)s. Print them with Code 128, or set the product's GTIN.",
                    serials=", ".join(without[:20].mapped("display_name")),
                )
            )

    @api.model
    def _labels(self, lots):
        has_expiry = "expiration_date" in lots._fields
        labels = []
        for lot in lots:
            product = lot.product_id
            expiry = has_expiry and lot.expiration_date
            labels.append(
                label_render.Label(
                    serial=lot.name,
                    product_name=product.name or "",
                    default_code=product.default_code or "",
                    gtin=gs1.gtin14(product.barcode),
                    expiry=(
                        fields.Datetime.context_timestamp(self, expiry).date() if expiry else None
                    ),
                    digital_link=lot.gs1_digital_link or None,
                )
            )
        return labels
