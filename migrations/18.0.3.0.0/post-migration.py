# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """The recall quarantine location of each existing warehouse."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["stock.warehouse"].with_context(active_test=False).search([])._create_missing_locations({})
