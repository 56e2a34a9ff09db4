# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class BarcodeRule(models.Model):
    _inherit = "barcode.rule"

    # The GS1 AIs Odoo has no use for (data/barcode_rule_data.xml): a rule lets
    # Odoo's GS1 parser read past them instead of rejecting the whole barcode.
    # Only this addon's rules have the type: they go with it.
    type = fields.Selection(
        selection_add=[("gs1_ignored", "Other GS1 Data (not used)")],
        ondelete={"gs1_ignored": "cascade"},
    )
