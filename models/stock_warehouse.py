# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    serial_quarantine_location_id = fields.Many2one(
        "stock.location",
        string="Recall Quarantine Location",
        check_company=True,
        help="Where recall campaigns move the warehouse's affected serials.",
    )

    def _get_locations_values(self, vals, code=False):
        values = super()._get_locations_values(vals, code=code)
        code = (vals.get("code") or code or "").replace(" ", "").upper()
        company_id = vals.get("company_id", self.default_get(["company_id"])["company_id"])
        values["serial_quarantine_location_id"] = {
            "name": self.env._("Quarantine"),
            "active": True,
            "usage": "internal",
            "serial_quarantine": True,
            "barcode": self._valid_barcode(code + "QUARANTINE", company_id),
        }
        return values

    def _serial_quarantine_location(self):
        """The warehouse's recall quarantine, made if the warehouse predates
        the addon or lost it."""
        self.ensure_one()
        if not self.serial_quarantine_location_id:
            self.sudo()._create_missing_locations({})
        return self.serial_quarantine_location_id
