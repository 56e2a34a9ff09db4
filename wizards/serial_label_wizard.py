# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..lib import label_layouts


class SerialLabelWizard(models.TransientModel):
    """Print labels of serials, of a transfer's serials or of a product's."""

    _name = "serial.label.wizard"
    _description = "Print Serial Number Labels"

    lot_ids = fields.Many2many("stock.lot", string="Serial Numbers")
    package_ids = fields.Many2many(
        "stock.quant.package",
        string="Cases and Pallets",
        help="Print their SSCC labels (GS1-128 of the SSCC and a contents summary).",
    )
    layout = fields.Selection(
        selection=lambda self: [
            (name, layout.title) for name, layout in label_layouts.LAYOUTS.items()
        ],
        required=True,
        default="a4_3x8",
    )
    symbology = fields.Selection(
        selection=[
            ("gs1_datamatrix_code128", "GS1 DataMatrix + Code 128"),
            ("gs1_datamatrix", "GS1 DataMatrix"),
            ("gs1_128", "GS1-128"),
            ("qr_digital_link", "QR code (GS1 Digital Link)"),
            ("code128", "Code 128"),
        ],
        required=True,
        default="code128",
        help="GS1 symbologies need products whose barcode is a GTIN.",
    )
    copies = fields.Integer(string="Copies per Serial", default=1, required=True)
    start_position = fields.Integer(
        default=1,
        required=True,
        help="First free label of the first sheet, counted from 1 left to right, then down.",
    )
    labels_per_page = fields.Integer(compute="_compute_labels_per_page")
    label_count = fields.Integer(compute="_compute_labels_per_page")

    @api.depends("layout", "copies", "lot_ids", "package_ids")
    def _compute_labels_per_page(self):
        for wizard in self:
            layout = label_layouts.LAYOUTS.get(wizard.layout)
            wizard.labels_per_page = layout.per_page if layout else 0
            wizard.label_count = len(wizard.package_ids or wizard.lot_ids) * max(wizard.copies, 0)

    @api.model
    def default_get(self, fields_list):
        defaults = super().default_get(fields_list)
        if self.env.context.get("active_model") == "stock.quant.package":
            packages = self.env["stock.quant.package"].browse(
                self.env.context.get("active_ids") or []
            )
            if "package_ids" in fields_list:
                defaults["package_ids"] = [fields.Command.set(packages.exists().ids)]
            if "layout" in fields_list:
                defaults["layout"] = "thermal_4x6"
            return defaults
        lots = self._default_lots()
        if "lot_ids" in fields_list and lots:
            defaults["lot_ids"] = [fields.Command.set(lots.ids)]
        if "symbology" in fields_list and lots and all(lots.mapped("gs1_element_string")):
            defaults["symbology"] = "gs1_datamatrix_code128"
        return defaults

    @api.model
    def _default_lots(self):
        model = self.env.context.get("active_model")
        ids = self.env.context.get("active_ids") or []
        Lot = self.env["stock.lot"]
        if model == "stock.lot":
            return Lot.browse(ids).exists()
        if model == "stock.picking":
            return self.env["stock.picking"].browse(ids).move_line_ids.lot_id
        if model in ("product.product", "product.template"):
            products = self.env[model].browse(ids)
            if model == "product.template":
                products = products.product_variant_ids
            lots = Lot.search([("product_id", "in", products.ids)])
            in_stock = lots.filtered(lambda lot: lot.product_qty > 0)
            return in_stock or lots
        return Lot

    @api.constrains("copies", "start_position", "layout", "lot_ids", "package_ids")
    def _check_numbers(self):
        """Copies, total and first position within bounds, here (the form and
        RPC) as in the reports (any caller)."""
        report = self.env["report.serialized_inventory.report_serial_label"]
        for wizard in self:
            try:
                report._check_print(
                    len(wizard.package_ids or wizard.lot_ids),
                    {"copies": wizard.copies, "start_position": wizard.start_position},
                    label_layouts.LAYOUTS[wizard.layout],
                )
            except UserError as error:
                raise ValidationError(error.args[0]) from error

    def action_print(self):
        self.ensure_one()
        if self.package_ids:
            return self._print_sscc_labels()
        if not self.lot_ids:
            raise UserError(self.env._("Choose the serial numbers to print."))
        report = self.env.ref("serialized_inventory.action_report_serial_label")
        # the report checks GS1 data and fit before anything is drawn
        self.env["report.serialized_inventory.report_serial_label"]._check_gs1(
            self.lot_ids, self.symbology
        )
        action = report.report_action(
            self.lot_ids,
            data={
                "ids": self.lot_ids.ids,
                "layout": self.layout,
                "symbology": self.symbology,
                "copies": self.copies,
                "start_position": self.start_position,
            },
            config=False,
        )
        action["close_on_report_download"] = True
        return action

    def _print_sscc_labels(self):
        report = self.env.ref("serialized_inventory.action_report_sscc_label")
        self.env["report.serialized_inventory.report_sscc_label"]._check_sscc(self.package_ids)
        action = report.report_action(
            self.package_ids,
            data={
                "ids": self.package_ids.ids,
                "layout": self.layout,
                "copies": self.copies,
                "start_position": self.start_position,
            },
            config=False,
        )
        action["close_on_report_download"] = True
        return action
