# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class StockLocation(models.Model):
    _inherit = "stock.location"

    serial_quarantine = fields.Boolean(
        string="Recall Quarantine",
        help="Recalled serials in stock are moved here until they are remedied or destroyed.",
    )
