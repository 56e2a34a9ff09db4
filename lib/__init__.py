# Pure-Python domain code of serialized_inventory: no Odoo import in here.
