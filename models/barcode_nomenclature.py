# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

from ..lib import scan


class BarcodeNomenclature(models.Model):
    _inherit = "barcode.nomenclature"

    def gs1_decompose_extanded(self, barcode):
        """A GS1 Digital Link (the QR code of the addon's labels, and of more
        and more suppliers') is read as the element string it stands for, so
        Odoo's GS1 parser gives its product, lot, serial and dates as for a
        GS1-128 or DataMatrix label. static/src/js/barcode_parser_patch.js does
        the same in the web client's parser."""
        return super().gs1_decompose_extanded(scan.digital_link_element_string(barcode) or barcode)
