# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class StockLocation(models.Model):
    _inherit = "stock.location"

    serial_quarantine = fields.Boolean(
        string="Recall Quarantine",
        help="Recalled serials in stock are moved here until they are remedied or destroyed.",
    )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_serial_history(self):
        self.env["serial.event"]._check_unlink_referenced(self, ["location_id", "location_dest_id"])
