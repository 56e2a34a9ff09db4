# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _action_done(self, cancel_backorder=False):
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        done_moves = moves.filtered(
            lambda move: move.state == "done" and move.has_tracking == "serial"
        )
        if done_moves:
            self.env["serial.event"]._record_move_lines(done_moves.move_line_ids.ids)
        return moves
