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


def _whole(value):
    """A copies or position of report data as an int, 1 when not given."""
    return 1 if value is None or value is False or value == "" else int(value)


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
        copies, start_position = self._check_print(len(lots), data, layout)
        try:
            return label_render.render_labels(
                self._labels(lots),
                layout,
                SYMBOLOGIES[symbology],
                copies=copies,
                start_position=start_position,
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
    def _check_print(self, label_count, data, layout):
        """``(copies, start_position)`` of ``data`` (the wizard's, or any
        caller's), refused with the reason when out of bounds
        (`label_layouts.print_problem`), before anything is drawn.

        :param layout: a `label_layouts.Layout`
        """
        try:
            copies, start_position = (_whole(data.get(key)) for key in ("copies", "start_position"))
        except (TypeError, ValueError) as error:
            raise UserError(
                self.env._(
                    "Copies and first free position must be whole numbers, not %(copies)r and "
                    "%(position)r.",
                    copies=data.get("copies"),
                    position=data.get("start_position"),
                )
            ) from error
        problem = label_layouts.print_problem(label_count, copies, start_position, layout)
        if problem == "copies_low":
            raise UserError(self.env._("Print at least one copy of each label."))
        if problem == "copies_high":
            raise UserError(
                self.env._(
                    "%(copies)s copies of each label were asked; at most %(limit)s are printed.",
                    copies=copies,
                    limit=label_layouts.MAX_COPIES,
                )
            )
        if problem == "too_many":
            raise UserError(
                self.env._(
                    "%(count)s labels were asked (%(labels)s x %(copies)s copies); at most "
                    "%(limit)s are printed at once: print fewer serials or copies at a time.",
                    count=label_count * copies,
                    labels=label_count,
                    copies=copies,
                    limit=label_layouts.MAX_LABELS,
                )
            )
        if problem == "position":
            raise UserError(
                self.env._(
                    "The first free position must be between 1 and %(count)s on %(layout)s, "
                    "not %(position)s.",
                    count=layout.per_page,
                    layout=layout.title,
                    position=start_position,
                )
            )
        return copies, start_position

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
