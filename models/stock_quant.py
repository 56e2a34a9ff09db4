# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, models

# Context key carrying the SerialReservationBatch of a batched serial reservation.
RESERVATION_BATCH = "serialized_inventory_reservation_batch"


class SerialReservationBatch:
    """The quant reservations of one batched serial reservation, applied at once.

    Natively each reserved serial locks its quant and writes its reserved
    quantity in its own call. A reservation is taken here only when the
    native call would do exactly that: one quant for the serial's key
    (product, location, lot, package, owner), no quant without a lot beside
    it (natively its date would be copied onto the serial's quant), a
    positive quantity and an incoming date. ``apply`` then locks them all in
    one query; a quant another transaction holds goes the native way.
    """

    def __init__(self, quants_cache):
        self.quants_cache = quants_cache
        self.pending = defaultdict(float)  # quant -> quantity to reserve

    def take(self, product, location, quantity, lot, package, owner):
        if not lot or quantity <= 0:
            return False
        key = (product.id, location.id, lot.id, package.id or False, owner.id or False)
        quants = self.quants_cache.get(key)
        if (
            not quants
            or len(quants) != 1
            or self.quants_cache.get((key[0], key[1], False, key[3], key[4]))
            or not quants.in_date
            or quants.quantity <= 0
        ):
            return False
        self.pending[quants] += quantity
        return True

    def apply(self, env):
        if not self.pending:
            return
        Quant = env["stock.quant"].sudo()
        env.cr.execute(
            "SELECT id FROM stock_quant WHERE id IN %s FOR NO KEY UPDATE SKIP LOCKED",
            [tuple(quant.id for quant in self.pending)],
        )
        locked = {row[0] for row in env.cr.fetchall()}
        by_value = defaultdict(list)
        for quant, quantity in self.pending.items():
            if quant.id in locked:
                by_value[quant.reserved_quantity + quantity].append(quant.id)
            else:
                Quant._update_reserved_quantity(
                    quant.product_id,
                    quant.location_id,
                    quantity,
                    lot_id=quant.lot_id,
                    package_id=quant.package_id,
                    owner_id=quant.owner_id,
                )
        for value, quant_ids in by_value.items():
            Quant.browse(quant_ids).write({"reserved_quantity": value})
        self.pending.clear()


class StockQuant(models.Model):
    _inherit = "stock.quant"

    @api.model
    def _update_reserved_quantity(
        self,
        product_id,
        location_id,
        quantity,
        lot_id=None,
        package_id=None,
        owner_id=None,
        strict=True,
    ):
        batch = self.env.context.get(RESERVATION_BATCH)
        if batch is not None and batch.take(
            product_id, location_id, quantity, lot_id, package_id, owner_id
        ):
            return None
        return super()._update_reserved_quantity(
            product_id,
            location_id,
            quantity,
            lot_id=lot_id,
            package_id=package_id,
            owner_id=owner_id,
            strict=strict,
        )
