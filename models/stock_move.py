# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.exceptions import ValidationError


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

    @api.model
    def action_generate_lot_line_vals(self, context, mode, first_lot, count, lot_text):
        """Odoo's Generate/Import serials dialog: for a product with a format
        rule, generated serials come from the rule's sequence (the first
        serial typed in the dialog is ignored) and imported ones are checked,
        every invalid line reported at once."""
        product = self.env["product.product"].browse(context.get("default_product_id"))
        rule = product._get_serial_format_rule() if product else product
        if not rule:
            return super().action_generate_lot_line_vals(context, mode, first_lot, count, lot_text)
        if mode == "generate":
            if rule.mode != "generate":
                raise ValidationError(
                    self.env._(
                        "The serial numbers of %(product)s come from the supplier (format rule "
                        "%(rule)s validates them only): import or scan them instead.",
                        product=product.display_name,
                        rule=rule.name,
                    )
                )
            names = rule._generate(product, count)
            lot_text = "\n".join(names)
            mode = "import"
        else:
            # first column of each pasted line, blank lines kept for the numbering
            names = [
                line.replace(";", "\t").split("\t")[0] for line in (lot_text or "").split("\n")
            ]
            rule._check_serials(product, names)
        return super().action_generate_lot_line_vals(context, mode, first_lot, count, lot_text)
