# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SerialRecallWriteOff(models.TransientModel):
    _name = "serial.recall.write.off"
    _description = "Write Off Recalled Serials"

    line_ids = fields.Many2many("serial.recall.line", string="Serials", required=True)
    reason = fields.Text(required=True)

    def action_write_off(self):
        self.ensure_one()
        self.line_ids._write_off(self.reason)
        return {"type": "ir.actions.act_window_close"}
