# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, models
from odoo.exceptions import ValidationError

from .stock_quant import DONE_BATCH, NATIVE_DONE, SerialDoneBatch


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    @api.constrains("lot_name", "product_id")
    def _check_lot_name_format(self):
        """Serials typed, scanned or pasted on a transfer line are checked
        against the product's format rule as soon as they are saved."""
        names = defaultdict(list)
        for line in self.filtered("lot_name"):
            names[line.product_id].append(line.lot_name)
        errors = []
        for product, product_names in names.items():
            errors += self.env["stock.lot"]._serial_entry_errors(product, product_names)
        if errors:
            raise ValidationError("\n\n".join(errors))

    @api.constrains("lot_id", "location_dest_id")
    def _check_recall_blocked(self):
        """A serial of an active recall campaign is not reserved for, nor put
        on, a transfer to a customer, into transit or into production."""
        self.env["serial.recall"]._check_lines_not_recalled(self)

    def _check_company(self, fnames=None):
        """Odoo checks each line's linked records one line at a time; the
        lines of a transfer share most of them (product, locations, move...).
        Here each distinct linked record is checked once per company, and
        only the lines linked to a record that fails get Odoo's own check
        (and its error)."""
        if len(self) < 2:
            return super()._check_company(fnames)
        if fnames is None or {"company_id", "company_ids"} & set(fnames):
            fnames = self._fields
        checked = [
            field
            for field in (self._fields[name] for name in fnames)
            if field.relational and field.check_company
        ]
        if any(field.company_dependent or field.type != "many2one" for field in checked):
            return super()._check_company(fnames)
        suspects = set()
        for company, lines in self.grouped("company_id").items():
            for field in checked:
                linked = lines.sudo()[field.name]
                domain = linked and linked._check_company_domain(company)
                if not domain:
                    continue
                wrong = linked - linked.with_context(active_test=False).filtered_domain(domain)
                if wrong:
                    suspects.update(line.id for line in lines if line.sudo()[field.name] in wrong)
        if suspects:
            return super(StockMoveLine, self.browse(suspects))._check_company(fnames)
        return None

    def _action_done(self):
        """Move the serials' quants in one batch (``SerialDoneBatch``) instead
        of one quant update, write and query at a time."""
        if (
            self.env.context.get(DONE_BATCH) is not None
            or self.env.context.get(NATIVE_DONE)
            or not any(line.product_id.tracking == "serial" for line in self)
        ):
            return super()._action_done()
        batch = SerialDoneBatch(self.env)
        result = super(StockMoveLine, self.with_env(batch.env))._action_done()
        batch.apply()
        return result
