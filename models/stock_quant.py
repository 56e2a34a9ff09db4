# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import float_compare

from odoo.addons.stock.models.stock_quant import StockQuant as CoreStockQuant

# Context key carrying the SerialReservationBatch of a batched serial reservation.
RESERVATION_BATCH = "serialized_inventory_reservation_batch"
# Context key carrying the SerialDoneBatch of the serial move lines being done.
DONE_BATCH = "serialized_inventory_done_batch"
# Context key that turns the done batch off (native behaviour).
NATIVE_DONE = "serialized_inventory_native_done"
# The fields that key a quant, in the order of the ``quants_cache`` keys.
QUANT_KEY = ("product_id", "location_id", "lot_id", "package_id", "owner_id")


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


class SerialDoneBatch:
    """The quant updates of serial move lines being done, written at once.

    Natively each done line updates its quants one call at a time: each call
    locks a quant, writes it or creates one (one INSERT per new quant),
    checks the serial's total quantity with a query and reads the available
    quantity back. Here a call on a serial's quant is played in memory, from
    the quants of the lines' ``quants_cache``, with the native rules (the
    incoming date, the available quantity returned), and ``apply`` writes
    the results: existing quants in one UPDATE, new ones in one INSERT (the
    ORM then recomputes what depends on them), and the serials' quantities
    are checked in two queries.

    A call is played only for a serial-tracked product and a lot, at a key
    (product, location, lot, package, owner) with at most one quant, no quant
    without a lot beside it, no "least packages" removal, and a quant this
    transaction could lock (all are locked in one query). Any other call runs
    natively after everything pending is applied, as does anything after a
    call that leaves a reserved quantity uncovered (native code then frees
    other lines' reservations from the real quants).
    """

    def __init__(self, env):
        self.env = env(context=dict(env.context, **{DONE_BATCH: self}))
        self.quants_cache = None
        self.state = {}  # key -> [quant or None, quantity, reserved, in_date]
        self.refused = set()
        self.locked = set()
        self.to_check = set()
        self._strategies = {}

    def _prepare(self, quants_cache):
        """Read and lock, in one query each, the lot quants of the cache."""
        if self.quants_cache is quants_cache:
            return
        self.apply()
        self.quants_cache = quants_cache
        quant_ids = {
            quant.id for quants in quants_cache.values() for quant in quants if quant.lot_id
        } - self.locked
        if not quant_ids:
            return
        quants = self.env["stock.quant"].sudo().browse(quant_ids)
        quants.fetch(["quantity", "reserved_quantity", "in_date"])
        self.env.cr.execute(
            "SELECT id FROM stock_quant WHERE id IN %s FOR NO KEY UPDATE SKIP LOCKED",
            [tuple(quants.ids)],
        )
        self.locked.update(row[0] for row in self.env.cr.fetchall())

    def _removal_strategy(self, product, location):
        key = (product.id, location.id)
        if key not in self._strategies:
            self._strategies[key] = self.env["stock.quant"]._get_removal_strategy(product, location)
        return self._strategies[key]

    def _entry(self, quants_cache, product, location, lot, package, owner):
        """The in-memory quant of a key, or None when the key goes native."""
        self._prepare(quants_cache)
        key = (product.id, location.id, lot.id, package.id or False, owner.id or False)
        entry = self.state.get(key)
        if entry is not None or key in self.refused:
            return entry
        quants = quants_cache.get(key) or self.env["stock.quant"]
        if (
            len(quants) > 1
            or quants_cache.get((key[0], key[1], False, key[3], key[4]))
            or (quants and quants.id not in self.locked)
            or self._removal_strategy(product, location) == "least_packages"
        ):
            self.refused.add(key)
            return None
        if quants:
            entry = [quants, quants.quantity, quants.reserved_quantity, quants.in_date]
        else:
            entry = [None, 0.0, 0.0, False]
        self.state[key] = entry
        return entry

    def update(
        self,
        quants_cache,
        product,
        location,
        quantity,
        reserved_quantity,
        lot,
        package,
        owner,
        in_date,
    ):
        """Play ``stock.quant._update_available_quantity`` in memory and
        return its result, or None when the native method must run."""
        entry = None
        if quants_cache is not None and lot and product.tracking == "serial":
            entry = self._entry(quants_cache, product, location, lot, package, owner)
        if entry is None:
            self.apply()
            return None
        bypass = location.should_bypass_reservation()
        incoming_dates = []
        if (
            not bypass
            and entry[3]
            and float_compare(entry[1], 0, precision_rounding=product.uom_id.rounding) > 0
        ):
            incoming_dates.append(entry[3])
        if in_date:
            incoming_dates.append(in_date)
        in_date = min(incoming_dates) if incoming_dates else fields.Datetime.now()
        entry[1] += quantity or 0.0
        entry[2] += reserved_quantity or 0.0
        entry[3] = in_date
        available = entry[1] - entry[2]
        if (
            not bypass
            and float_compare(available, 0, precision_rounding=product.uom_id.rounding) < 0
        ):
            self.apply()
        return available, in_date

    def apply(self):
        """Write every pending quant update, then check the serials' quantities."""
        state, self.state = self.state, {}
        Quant = self.env["stock.quant"].sudo()
        updates = []
        create_vals = []
        for key, (quant, quantity, reserved, in_date) in state.items():
            if quant is None:
                vals = dict(zip(QUANT_KEY, key, strict=True))
                vals.update(in_date=in_date, quantity=quantity, reserved_quantity=reserved)
                create_vals.append(vals)
            elif (quantity, reserved, in_date) != (
                quant.quantity,
                quant.reserved_quantity,
                quant.in_date,
            ):
                updates.append((quant.id, quantity, reserved, in_date))
        if updates:
            Quant._write_serial_quants(updates)
            self.to_check.update(update[0] for update in updates)
        if create_vals:
            quants = Quant._create_serial_quants(create_vals)
            self.locked.update(quants.ids)
            self.to_check.update(quants.ids)
            if self.quants_cache is not None:
                for quant, vals in zip(quants, create_vals, strict=True):
                    self.quants_cache[tuple(vals[name] for name in QUANT_KEY)] |= quant
        to_check, self.to_check = self.to_check, set()
        if to_check:
            Quant.browse(to_check).exists()._check_serial_quantities()


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

    @api.model
    def _get_gather_domain(
        self, product_id, location_id, lot_id=None, package_id=None, owner_id=None, strict=False
    ):
        if package_id and not strict and package_id.child_ids:
            # a pallet holds its own quants and its cases': its package level
            # reserves them all (stock.package_level._generate_moves)
            domain = expression.AND(
                [
                    super()._get_gather_domain(
                        product_id, location_id, lot_id, None, owner_id, strict
                    ),
                    [("package_id", "child_of", package_id.id)],
                ]
            )
        else:
            domain = super()._get_gather_domain(
                product_id, location_id, lot_id, package_id, owner_id, strict
            )
        if self.env.context.get("serial_recall_exclude"):
            domain = expression.AND(
                [domain, ["|", ("lot_id", "=", False), ("lot_id.recall_blocked", "=", False)]]
            )
        return domain

    @api.model
    def _update_available_quantity(
        self,
        product_id,
        location_id,
        quantity=False,
        reserved_quantity=False,
        lot_id=None,
        package_id=None,
        owner_id=None,
        in_date=None,
    ):
        batch = self.env.context.get(DONE_BATCH)
        if batch is not None and (quantity or reserved_quantity):
            result = batch.update(
                self.env.context.get("quants_cache"),
                product_id,
                location_id,
                quantity,
                reserved_quantity,
                lot_id,
                package_id or self.env["stock.quant.package"],
                owner_id or self.env["res.partner"],
                in_date,
            )
            if result is not None:
                return result
        return super()._update_available_quantity(
            product_id,
            location_id,
            quantity=quantity,
            reserved_quantity=reserved_quantity,
            lot_id=lot_id,
            package_id=package_id,
            owner_id=owner_id,
            in_date=in_date,
        )

    def _get_quants_by_products_locations(self, product_ids, location_ids, extra_domain=False):
        """In a done batch, the same quants grouped in Python: Odoo's grouped
        query orders the groups by lot name, a join whose plan is quadratic
        in the number of quants made in the same transaction (the receipt of
        the serials being delivered). Only the groups' order differs."""
        if self.env.context.get(DONE_BATCH) is None or not (product_ids and location_ids):
            return super()._get_quants_by_products_locations(
                product_ids, location_ids, extra_domain=extra_domain
            )
        domain = [
            ("product_id", "in", product_ids.ids),
            ("location_id", "child_of", location_ids.ids),
        ]
        if extra_domain:
            domain = expression.AND([domain, extra_domain])
        quant_ids = defaultdict(list)
        for quant in self.env["stock.quant"].search_fetch(domain, QUANT_KEY, order="id"):
            quant_ids[tuple(quant[name].id for name in QUANT_KEY)].append(quant.id)
        result = defaultdict(lambda: self.env["stock.quant"])
        for key, ids in quant_ids.items():
            result[key] = self.env["stock.quant"].browse(ids)
        return result

    @api.constrains("quantity")
    def check_quantity(self):
        # redeclared: Odoo only runs constraint methods that carry @constrains
        batch = self.env.context.get(DONE_BATCH)
        if batch is not None:
            batch.to_check.update(self.ids)
            return None
        return super().check_quantity()

    def _check_serial_quantities(self):
        """``check_quantity`` for many quants in two queries: the serials
        counted more than once at a location get Odoo's own check, and its
        error. Both read by id or lot through an index: a join between quants
        made in the same transaction may get a plan quadratic in their number."""
        if not self:
            return
        self.env["stock.quant"].flush_model(["product_id", "location_id", "lot_id", "quantity"])
        self.env.cr.execute(
            """
            SELECT DISTINCT quant.product_id, quant.location_id, quant.lot_id
              FROM stock_quant AS quant
              JOIN product_product AS product ON product.id = quant.product_id
              JOIN product_template AS template ON template.id = product.product_tmpl_id
              JOIN stock_location AS location ON location.id = quant.location_id
             WHERE quant.id = ANY(%s) AND quant.lot_id IS NOT NULL
               AND template.tracking = 'serial' AND location.usage != 'inventory'
            """,
            [self.ids],
        )
        keys = set(self.env.cr.fetchall())
        if not keys:
            return
        self.env.cr.execute(
            """
            SELECT product_id, location_id, lot_id, SUM(quantity)
              FROM stock_quant
             WHERE lot_id = ANY(%s)
             GROUP BY product_id, location_id, lot_id
            HAVING ABS(SUM(quantity)) > 1
            """,
            [list({key[2] for key in keys})],
        )
        Product = self.env["product.product"]
        wrong = {
            (product_id, location_id, lot_id)
            for product_id, location_id, lot_id, quantity in self.env.cr.fetchall()
            if (product_id, location_id, lot_id) in keys
            and float_compare(
                abs(quantity), 1, precision_rounding=Product.browse(product_id).uom_id.rounding
            )
            > 0
        }
        if wrong:
            self.filtered(
                lambda quant: (quant.product_id.id, quant.location_id.id, quant.lot_id.id) in wrong
            ).with_context(**{DONE_BATCH: None}).check_quantity()

    def _serial_bulk_sql(self, method):
        """Whether a done batch may write quants in SQL instead of ``method``:
        only when no module but core and this one overrides it, outside the
        inventory mode (whose ``create``/``write`` do more)."""
        overriding = {
            cls
            for cls in type(self).mro()
            if method in vars(cls) and issubclass(cls, CoreStockQuant)
        } - {CoreStockQuant, StockQuant, type(self)}
        return not overriding and not self._is_inventory_mode()

    @api.model
    def _write_serial_quants(self, updates):
        """Write (id, quantity, reserved quantity, incoming date) rows of a
        done batch in one UPDATE; the ORM then recomputes what depends on them."""
        fnames = ["quantity", "reserved_quantity", "in_date"]
        quants = self.browse(update[0] for update in updates)
        if not self._serial_bulk_sql("write"):
            # another module overrides write: one write per set of equal values
            by_values = defaultdict(list)
            for quant_id, *values in updates:
                by_values[tuple(values)].append(quant_id)
            for (quantity, reserved, in_date), ids in by_values.items():
                self.browse(ids).write(
                    {"quantity": quantity, "reserved_quantity": reserved, "in_date": in_date}
                )
            return
        quants.flush_recordset(fnames)
        ids, quantities, reserved, dates = (list(column) for column in zip(*updates, strict=True))
        self.env.cr.execute(
            """
            UPDATE stock_quant AS quant
               SET quantity = new.quantity, reserved_quantity = new.reserved_quantity,
                   in_date = new.in_date, write_uid = %s, write_date = %s
              FROM unnest(%s::int[], %s::numeric[], %s::numeric[], %s::timestamp[])
                   AS new(id, quantity, reserved_quantity, in_date)
             WHERE quant.id = new.id
            """,
            [self.env.uid, self.env.cr.now(), ids, quantities, reserved, dates],
        )
        quants.invalidate_recordset([*fnames, "write_uid", "write_date"])
        quants.modified(fnames)

    @api.model
    def _create_serial_quants(self, vals_list):
        """Create the new quants of a done batch in one INSERT.

        ``stock.quant.create`` creates quants one at a time (for the inventory
        mode, which a done batch never is). Here the rows are inserted at
        once, then the ORM computes the stored fields every new quant gets
        (company, storage category, inventory fields) and runs the quant
        constraints; the batch adds them to the ``quants_cache`` as core does."""
        if not self._serial_bulk_sql("create"):
            return self.create(vals_list)
        now = self.env.cr.now()
        self.env.cr.execute(
            """
            INSERT INTO stock_quant (product_id, location_id, lot_id, package_id, owner_id,
                                     in_date, quantity, reserved_quantity, inventory_quantity_set,
                                     create_uid, create_date, write_uid, write_date)
            SELECT product_id, location_id, lot_id, package_id, owner_id,
                   in_date, quantity, reserved_quantity, FALSE, %s, %s, %s, %s
              FROM unnest(%s::int[], %s::int[], %s::int[], %s::int[], %s::int[],
                          %s::timestamp[], %s::numeric[], %s::numeric[])
                   AS new(product_id, location_id, lot_id, package_id, owner_id,
                          in_date, quantity, reserved_quantity)
            RETURNING id, product_id, location_id, lot_id, package_id, owner_id
            """,
            [
                self.env.uid,
                now,
                self.env.uid,
                now,
                *([vals[name] or None for vals in vals_list] for name in QUANT_KEY),
                [vals["in_date"] for vals in vals_list],
                [vals["quantity"] for vals in vals_list],
                [vals["reserved_quantity"] for vals in vals_list],
            ],
        )
        ids = {tuple(key or False for key in row[1:]): row[0] for row in self.env.cr.fetchall()}
        quants = self.browse(ids[tuple(vals[name] for name in QUANT_KEY)] for vals in vals_list)
        # what the ORM's create does once the rows are in: inverse one2many
        # fields (the lots' quants...) are read again, computed fields marked
        for fname in QUANT_KEY:
            for inverse in self.pool.field_inverses[self._fields[fname]]:
                self.env[inverse.model_name].invalidate_model([inverse.name], flush=False)
        quants.modified(self._fields, create=True)
        quants._validate_fields([*QUANT_KEY, "quantity", "reserved_quantity", "in_date"])
        return quants
