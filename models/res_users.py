# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.ondelete(at_uninstall=False)
    def _unlink_except_serial_history(self):
        self.env["serial.event"]._check_unlink_referenced(self, ["user_id"])
