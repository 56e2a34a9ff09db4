# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import re
from collections import defaultdict

from psycopg2 import errors as pg_errors

from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, sql

from ..lib import gs1, scan, serial_format
from ..lib import serial_lifecycle as lifecycle
from ..lib import warranty as warranty_rules

_logger = logging.getLogger(__name__)

UNIQUE_CONSTRAINT = "serial_product_company_uniq"
# Exact lookups by name alone (scans): the unique index leads with product_id,
# and Odoo's trigram index on name (only with pg_trgm) is slower for "=".
NAME_INDEX = "stock_lot_name_btree_index"
# One row per serial name (a 64-bit hash of it) that every transaction writing
# a serial of that name updates: two transactions writing the same name at the
# same time cannot both commit (see StockLot._init_serial_claims).
CLAIM_TABLE = "serialized_inventory_serial_claim"
# Kept by the move hook only (see serial.event._record_move_lines).
BOOKKEEPING_FIELDS = frozenset(
    {
        "lifecycle_state",
        "current_location_id",
        "current_holder_id",
        "first_receipt_date",
        "last_delivery_date",
        "sscc_case_id",
        "sscc_pallet_id",
    }
)
# "Key (product_id, name, company_id)=(12, SN 1, 3) already exists."
_UNIQUE_DETAIL_RE = re.compile(r"=\((\d+), (.*), (\d+|null)\)")


class StockLot(models.Model):
    _inherit = "stock.lot"

    active = fields.Boolean(default=True)
    product_tracking = fields.Selection(related="product_id.tracking")
    lifecycle_state = fields.Selection(
        selection="_lifecycle_state_selection",
        default=lifecycle.NEW,
        required=True,
        readonly=True,
        index=True,
        copy=False,
        help="Where the unit is in its life, updated each time a move of it is done.",
    )
    current_location_id = fields.Many2one(
        "stock.location",
        readonly=True,
        index="btree_not_null",
        copy=False,
        help="Destination of the last done movement of this serial.",
    )
    current_holder_id = fields.Many2one(
        "res.partner",
        readonly=True,
        index="btree_not_null",
        copy=False,
        help="The customer holding the unit while it is delivered (or the vendor it "
        "was returned to).",
    )
    first_receipt_date = fields.Datetime(readonly=True, copy=False)
    last_delivery_date = fields.Datetime(readonly=True, copy=False)
    sscc_case_id = fields.Many2one(
        "stock.quant.package",
        string="Case",
        readonly=True,
        index="btree_not_null",
        copy=False,
        help="The package holding the unit now, unless it is a pallet.",
    )
    sscc_pallet_id = fields.Many2one(
        "stock.quant.package",
        string="Pallet",
        readonly=True,
        index="btree_not_null",
        copy=False,
        help="The pallet holding the unit now, directly or through its case.",
    )
    serial_event_ids = fields.One2many("serial.event", "lot_id", string="Events")
    serial_event_count = fields.Integer(compute="_compute_serial_event_count")
    gs1_element_string = fields.Char(
        compute="_compute_gs1", string="GS1 Element String", help="(01) GTIN + (21) serial"
    )
    gs1_digital_link = fields.Char(compute="_compute_gs1", string="GS1 Digital Link")
    serial_name_proposal = fields.Char(
        store=False,
        help="The name proposed when the form opened or the product changed, as long as the "
        "user has not typed another.",
    )

    # warranty: see models/serial_warranty.py
    warranty_ids = fields.One2many("serial.warranty", "lot_id", string="Warranties")
    warranty_state = fields.Selection(
        selection=lambda self: self.env["serial.warranty"]._fields["state"].selection,
        compute="_compute_warranty",
        string="Warranty",
    )
    warranty_end_date = fields.Date(compute="_compute_warranty", string="Warranty Until")
    recall_line_ids = fields.One2many("serial.recall.line", "lot_id", string="Recalls")
    recall_blocked = fields.Boolean(
        compute="_compute_recall",
        search="_search_recall_blocked",
        string="Recalled",
        help="An active recall campaign holds the unit: it cannot be reserved or delivered.",
    )
    recall_id = fields.Many2one("serial.recall", compute="_compute_recall", string="Active Recall")

    _sql_constraints = [
        (
            UNIQUE_CONSTRAINT,
            "unique nulls not distinct (product_id, name, company_id)",
            "A serial number must be unique per product and company.",
        ),
    ]

    def init(self):
        result = super().init()
        tools.create_index(self.env.cr, NAME_INDEX, self._table, ["name"])
        self._init_serial_claims()
        self._log_serial_duplicates()
        return result

    def _init_serial_claims(self):
        """Make every write of a serial name claim that name in the database.

        The unique index only sees one product and company; a serial without
        a company clashing with the company's ones, and the format rules'
        company-wide and global scopes are checked in Python
        (``_check_serial_duplicates``, ``_serial_scope_clashes``) with the
        transaction's snapshot, which cannot see a serial another transaction
        commits meanwhile. So each INSERT, and each change of name, product or
        company, also updates the claim row of its names: a second
        transaction writing the same name waits for the first and, once that
        one commits, fails with a serialization error (Odoo's transactions
        are REPEATABLE READ). Odoo retries the request, whose checks then see
        the committed serial and refuse it by name. Names are claimed by a
        64-bit hash: two names sharing one only wait for each other. The
        claims need no durability, only row versions and locks: the table is
        UNLOGGED (no WAL; emptied after a crash, when no transaction is open
        anyway).
        """
        cr = self.env.cr
        cr.execute(
            SQL(
                """
            CREATE UNLOGGED TABLE IF NOT EXISTS %(claims)s (key bigint PRIMARY KEY);
            COMMENT ON TABLE %(claims)s IS
                'serialized_inventory: one row per serial name (its hash), updated by '
                'every transaction writing that name so that two cannot both commit it';
            CREATE OR REPLACE FUNCTION serialized_inventory_claim_inserted_serials()
            RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO %(claims)s AS claim (key)
                SELECT DISTINCT hashtextextended(name, 0) FROM new_lots
                 WHERE name IS NOT NULL ORDER BY 1
                    ON CONFLICT (key) DO UPDATE SET key = claim.key;
                RETURN NULL;
            END $$;
            CREATE OR REPLACE FUNCTION serialized_inventory_claim_updated_serial()
            RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO %(claims)s AS claim (key)
                VALUES (hashtextextended(NEW.name, 0))
                    ON CONFLICT (key) DO UPDATE SET key = claim.key;
                RETURN NULL;
            END $$;
            DROP TRIGGER IF EXISTS serialized_inventory_claim_insert ON stock_lot;
            CREATE TRIGGER serialized_inventory_claim_insert AFTER INSERT ON stock_lot
                REFERENCING NEW TABLE AS new_lots FOR EACH STATEMENT
                EXECUTE FUNCTION serialized_inventory_claim_inserted_serials();
            DROP TRIGGER IF EXISTS serialized_inventory_claim_update ON stock_lot;
            CREATE TRIGGER serialized_inventory_claim_update
                AFTER UPDATE OF name, product_id, company_id ON stock_lot FOR EACH ROW
                WHEN (OLD.name IS DISTINCT FROM NEW.name
                      OR OLD.product_id IS DISTINCT FROM NEW.product_id
                      OR OLD.company_id IS DISTINCT FROM NEW.company_id)
                EXECUTE FUNCTION serialized_inventory_claim_updated_serial();
                """,
                claims=SQL.identifier(CLAIM_TABLE),
            )
        )

    def _log_serial_duplicates(self):
        """Say loudly, with the list, when the database already holds serials
        the addon promises to be unique: Odoo then cannot create the unique
        index and only logs that it could not (install) or retries it silently
        (upgrade)."""
        duplicates = self._serial_duplicates_in_database()
        if not duplicates:
            return
        indexed = sql.constraint_definition(
            self.env.cr, self._table, f"{self._table}_{UNIQUE_CONSTRAINT}"
        )
        _logger.error(
            "serialized_inventory: %d serial number(s) are duplicated in the database%s; "
            "rename or merge them, then update the module:\n%s",
            len(duplicates),
            ""
            if indexed
            else f" so the unique index {self._table}_{UNIQUE_CONSTRAINT} could not be "
            "created and simultaneous transactions can commit more duplicates",
            "\n".join(
                f" - Product: {row['product']} (id {row['product_id']}), "
                f"Serial: {row['name']}, serial ids {row['lot_ids']}"
                for row in duplicates
            ),
        )

    def _serial_duplicates_in_database(self):
        """The (product, serial) pairs stored more than once where the unique
        rule forbids it: twice in one company (or twice without a company),
        or without a company and in a company."""
        self.env.cr.execute(
            SQL(
                """
            SELECT lot.product_id, lot.name, array_agg(lot.id ORDER BY lot.id) AS lot_ids
              FROM stock_lot lot
             GROUP BY lot.product_id, lot.name
            HAVING count(*) > 1
               AND (count(*) > count(DISTINCT lot.company_id) OR bool_or(lot.company_id IS NULL))
             ORDER BY lot.product_id, lot.name
                """
            )
        )
        rows = self.env.cr.dictfetchall()
        products = self.env["product.product"].sudo().with_context(active_test=False)
        for row in rows:
            row["product"] = products.browse(row["product_id"]).display_name
        return rows

    @api.model
    def _lifecycle_state_selection(self):
        return [
            (lifecycle.NEW, self.env._("Not Received")),
            (lifecycle.IN_STOCK, self.env._("In Stock")),
            (lifecycle.IN_TRANSIT, self.env._("In Transit")),
            (lifecycle.DELIVERED, self.env._("Delivered")),
            (lifecycle.RETURNED, self.env._("Returned")),
            (lifecycle.VENDOR_RETURNED, self.env._("Returned to Vendor")),
            (lifecycle.SCRAPPED, self.env._("Scrapped")),
            (lifecycle.CONSUMED, self.env._("Consumed in Production")),
            (lifecycle.LOST, self.env._("Lost")),
        ]

    def _compute_serial_event_count(self):
        counts = dict(
            self.env["serial.event"]._read_group(
                [("lot_id", "in", self.ids)], ["lot_id"], ["__count"]
            )
        )
        for lot in self:
            lot.serial_event_count = counts.get(lot, 0)

    @api.depends("name", "product_id.barcode", "company_id.gs1_digital_link_base_url")
    def _compute_gs1(self):
        for lot in self:
            gtin = gs1.gtin14(lot.product_id.barcode) if lot.product_tracking == "serial" else None
            if not gtin or not lot.name:
                lot.gs1_element_string = lot.gs1_digital_link = False
                continue
            base = (lot.company_id or self.env.company).gs1_digital_link_base_url
            lot.gs1_element_string = gs1.element_string(gtin, lot.name)
            lot.gs1_digital_link = gs1.digital_link(base or "https://id.gs1.org", gtin, lot.name)

    @api.depends("warranty_ids.state", "warranty_ids.end_date")
    def _compute_warranty(self):
        """The serial's warranty as of today: in force (until the last day of
        its standard and extended warranties), else waiting, else the latest."""
        today = fields.Date.context_today(self)
        for lot in self:
            state, end = warranty_rules.current_state(
                [
                    warranty_rules.SerialWarranty(w.id, w.state, w._cover())
                    for w in lot.sudo().warranty_ids
                ],
                today,
            )
            lot.warranty_state = state or False
            lot.warranty_end_date = end or False

    @api.model
    def default_get(self, fields_list):
        defaults = super().default_get(fields_list)
        if "serial_name_proposal" in fields_list and defaults.get("name"):
            defaults["serial_name_proposal"] = defaults["name"]
        return defaults

    @api.onchange("product_id")
    def _onchange_product_serial_rule(self):
        """A new serial of a product whose format rule generates serials is
        proposed the rule's next one, unless the user typed a name."""
        if self._origin.id or not self.product_id or self.name != self.serial_name_proposal:
            return
        rule = self.product_id._get_serial_format_rule()
        if rule.mode == "generate":
            self.name = self.serial_name_proposal = rule._next_serial(self.product_id)

    @api.model_create_multi
    def create(self, vals_list):
        self._check_no_bookkeeping(vals_list)
        for vals in vals_list:
            proposal = vals.pop("serial_name_proposal", None)
            if proposal and vals.get("name") == proposal and vals.get("product_id"):
                # take the proposed serial's number: the same serial, or the
                # next free one if somebody took it since the form proposed it
                product = self.env["product.product"].browse(vals["product_id"])
                rule = product._get_serial_format_rule()
                if rule.mode == "generate":
                    vals["name"] = rule._generate(product, 1)[0]
        self._check_serial_formats(vals_list)
        self._check_active_products(vals_list)
        self._check_serial_duplicates(vals_list)
        try:
            with self.env.cr.savepoint(flush=False):
                return super().create(vals_list)
        except pg_errors.UniqueViolation as error:
            self._raise_if_serial_race(error)
            raise

    @api.model
    def _check_no_bookkeeping(self, vals_list):
        """A new serial starts not received, nowhere and held by nobody: its
        lifecycle follows its done moves, as ``write`` enforces."""
        if self.env.su:
            return
        for vals in vals_list:
            given = sorted(
                name
                for name in BOOKKEEPING_FIELDS.intersection(vals)
                if vals[name] and vals[name] != lifecycle.NEW
            )
            if given:
                raise UserError(
                    self.env._(
                        "The lifecycle of serial numbers follows their done moves and cannot be "
                        "entered by hand (%(fields)s on new serial %(serial)s).",
                        fields=", ".join(given),
                        serial=vals.get("name") or "",
                    )
                )

    def write(self, vals):
        if not self.env.su and BOOKKEEPING_FIELDS.intersection(vals):
            raise UserError(
                self.env._(
                    "The lifecycle of serial numbers follows their done moves and cannot be "
                    "edited by hand (%(fields)s on %(serials)s).",
                    fields=", ".join(sorted(BOOKKEEPING_FIELDS.intersection(vals))),
                    serials=", ".join(self.mapped("display_name")),
                )
            )
        if not {"name", "product_id", "company_id"}.intersection(vals):
            return super().write(vals)
        if "name" in vals or "product_id" in vals:
            normalized = set()
            for lot in self:
                lot_vals = {
                    "name": vals.get("name", lot.name),
                    "product_id": vals.get("product_id", lot.product_id.id),
                    "company_id": vals.get("company_id", lot.company_id.id),
                }
                self._check_serial_formats([lot_vals], exclude=lot)
                normalized.add(lot_vals["name"])
            if "name" in vals and len(normalized) == 1:
                vals = dict(vals, name=normalized.pop())
        try:
            with self.env.cr.savepoint(flush=False):
                result = super().write(vals)
                self.flush_recordset(["name", "product_id", "company_id"])
                return result
        except pg_errors.UniqueViolation as error:
            self._raise_if_serial_race(error)
            raise

    @api.ondelete(at_uninstall=False)
    def _unlink_except_serial_history(self):
        with_history = self.filtered("serial_event_ids")
        if with_history:
            raise UserError(
                self.env._(
                    "Serial numbers with a movement history cannot be deleted; archive "
                    "them instead: %(serials)s",
                    serials=", ".join(with_history.mapped("display_name")),
                )
            )

    def action_view_serial_events(self):
        return self._serial_records_action("serialized_inventory.serial_event_action")

    def action_view_warranties(self):
        return self._serial_records_action("serialized_inventory.serial_warranty_action")

    def _serial_records_action(self, xml_id):
        """The window action ``xml_id`` on this serial's records."""
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(xml_id)
        action["domain"] = [("lot_id", "=", self.id)]
        action["context"] = {"default_lot_id": self.id}
        return action

    @api.model
    def _search_display_name(self, operator, value):
        """A scanned GS1 label, Digital Link or EPC URN finds its serial by name."""
        if operator in ("ilike", "=", "=ilike") and isinstance(value, str):
            parsed = scan.normalize(value)
            if not parsed.error and parsed.serial:
                return [("name", "=", parsed.serial)]
        return super()._search_display_name(operator, value)

    @api.model
    def _get_next_serial(self, company, product):
        rule = product._get_serial_format_rule()
        if rule.mode == "generate":
            return rule._generate(product, 1)[0]
        return super()._get_next_serial(company, product)

    @api.model
    def _check_serial_formats(self, vals_list, exclude=None):
        """Check the serials of products with a format rule before they are
        written: every invalid one is reported at once, with its line, and
        names are normalised (upper case) as the rule says."""
        self._check_serial_names(vals_list)
        by_product = defaultdict(list)
        for vals in vals_list:
            if vals.get("product_id") and vals.get("name"):
                by_product[vals["product_id"]].append(vals)
        errors = []
        for product_id, product_vals in by_product.items():
            product = self.env["product.product"].browse(product_id)
            rule = product._get_serial_format_rule()
            if rule:
                engine = rule._engine()
                for vals in product_vals:
                    vals["name"] = engine.normalize(vals["name"])
            names = [vals["name"] for vals in product_vals]
            product_errors = self._serial_entry_errors(product, names)
            if not product_errors and rule and rule.uniqueness_scope != "product":
                product_errors = self._serial_scope_clashes(rule, product, product_vals, exclude)
            errors += product_errors
        if errors:
            raise ValidationError("\n\n".join(errors))

    @api.model
    def _check_serial_names(self, vals_list):
        """Every name written, with or without a format rule: surrounding
        spaces dropped, then refused when empty, too long, holding control
        characters or mixing lookalike alphabets (`serial_format.serial_name_error`)."""
        errors = []
        for vals in vals_list:
            if "name" not in vals:
                continue
            product = self.env["product.product"].browse(vals.get("product_id"))
            errors += self._serial_name_errors(product, [vals["name"]])
            vals["name"] = serial_format.clean_serial_name(vals["name"])
        if errors:
            raise ValidationError("\n".join(errors))

    @api.model
    def _check_active_products(self, vals_list):
        """No new serial for an archived product (its serials already made
        stay, and can still be recalled, claimed or printed)."""
        products = self.env["product.product"].browse(
            {vals["product_id"] for vals in vals_list if vals.get("product_id")}
        )
        archived = products.with_context(active_test=False).filtered(lambda p: not p.active)
        if archived:
            raise ValidationError(
                self.env._(
                    "Archived product %(products)s: no new serial or lot number is made for it "
                    "(%(serials)s); restore the product first.",
                    products=", ".join(archived.mapped("display_name")),
                    serials=", ".join(
                        serial_format.shown_value(vals.get("name") or "")
                        for vals in vals_list
                        if vals.get("product_id") in archived.ids
                    ),
                )
            )

    @api.model
    def _serial_name_errors(self, product, names):
        """Why ``names`` cannot be serial numbers (of ``product``, if any): one
        message each, naming the value; [] if none."""
        errors = []
        # outside the call: Babel's extraction evaluates the call's arguments
        of_product = f" ({product.display_name})" if product else ""
        for name in names:
            message = serial_format.serial_name_error(name)
            if message:
                errors.append(
                    self.env._(
                        "Serial number %(serial)s%(product)s is refused: %(reason)s.",
                        serial=serial_format.shown_value(name),
                        product=of_product,
                        reason=self.env._(message.template, **message.params),  # pylint: disable=translation-required
                    )
                )
        return errors

    @api.model
    def _serial_entry_errors(self, product, names):
        """Why serials entered for a product are refused (GS1 AI (21) when its
        barcode is a GTIN, its format rule), every bad one at once; [] if none."""
        errors = self._serial_name_errors(product, names)
        if errors:
            return errors
        errors = self._gs1_serial_errors(product, names)
        rule = product._get_serial_format_rule()
        invalid = rule._invalid_serials(product, names) if rule else []
        if invalid:
            errors.append(rule._invalid_message(product, invalid, len(names)))
        return errors

    def _gs1_serial_errors(self, product, names):
        """A serial of a product whose barcode is a GTIN goes into GS1 AI (21)."""
        if product.tracking != "serial" or not gs1.gtin14(product.barcode):
            return []
        errors = []
        for name in names:
            message = serial_format.gs1_ai21_error(name)
            if message:
                errors.append(
                    self.env._(
                        "Serial number %(serial)s of %(product)s cannot be encoded in a GS1 "
                        "barcode with its GTIN %(gtin)s: %(reason)s",
                        serial=name,
                        product=product.display_name,
                        gtin=product.barcode,
                        reason=self.env._(message.template, **message.params),  # pylint: disable=translation-required
                    )
                )
        return errors

    def _serial_scope_clashes(self, rule, product, product_vals, exclude):
        domain = [("name", "in", [vals["name"] for vals in product_vals])]
        if rule.uniqueness_scope == "company":
            company = product.company_id or self.env.company
            domain.append(("company_id", "in", [company.id, False]))
        if exclude:
            domain.append(("id", "not in", exclude.ids))
        clashes = (
            self.sudo().with_context(active_test=False).search_fetch(domain, ["name", "product_id"])
        )
        clashes = clashes.filtered(lambda lot: lot.product_id != product)
        if rule.uniqueness_scope == "company":
            reason = self.env._(
                "Serial number %(serial)s of %(product)s is already used by %(other)s: format "
                "rule %(rule)s wants serials unique across the company's products."
            )
        else:
            reason = self.env._(
                "Serial number %(serial)s of %(product)s is already used by %(other)s: format "
                "rule %(rule)s wants serials unique across all products."
            )
        return [
            reason
            % {
                "serial": lot.name,
                "product": product.display_name,
                "other": lot.product_id.display_name,
                "rule": rule.name,
            }
            for lot in clashes
        ]

    @api.model
    def _check_serial_duplicates(self, vals_list):
        """Refuse, before inserting, serials that already exist for the product.

        Same rule as ``_check_unique_lot`` (per product and company, a lot with
        no company clashing with all), checked before the INSERT so that the
        user gets the named error instead of the database's.
        """
        keys = [
            (vals.get("product_id"), vals.get("name"), vals.get("company_id"))
            for vals in vals_list
            if vals.get("product_id") and vals.get("name")
        ]
        if not keys:
            return
        products = self.env["product.product"].browse({k[0] for k in keys})
        seen = defaultdict(set)
        existing = (
            self.sudo()
            .with_context(active_test=False)
            .search_fetch(
                [
                    ("product_id", "in", products.ids),
                    ("name", "in", list({k[1] for k in keys})),
                ],
                ["name", "product_id", "company_id"],
            )
        )
        for lot in existing:
            seen[(lot.product_id.id, lot.name)].add(lot.company_id.id)
        clashes = []
        for product_id, name, company_id in keys:
            if company_id is None:
                company_id = products.browse(product_id).company_id.id
            companies = seen[(product_id, name)]
            if companies and (not company_id or company_id in companies or False in companies):
                clashes.append((product_id, name))
            companies.add(company_id or False)
        if clashes:
            raise ValidationError(self._serial_duplicate_message(clashes))

    def _serial_duplicate_message(self, clashes):
        products = self.env["product.product"].browse({c[0] for c in clashes})
        names = dict(zip(products.ids, products.mapped("display_name"), strict=True))
        return self.env._(
            "These serial numbers already exist for their product (a serial number "
            "must be unique per product and company):\n%(lines)s",
            lines="\n".join(
                self.env._(
                    " - Product: %(product)s, Serial: %(serial)s", product=names[p], serial=n
                )
                for p, n in clashes
            ),
        )

    def _raise_if_serial_race(self, error):
        """Turn the unique index's error, raised when another transaction
        committed the same serial meanwhile, into a named validation error."""
        if error.diag.constraint_name != f"{self._table}_{UNIQUE_CONSTRAINT}":
            return
        match = _UNIQUE_DETAIL_RE.search(error.diag.message_detail or "")
        if not match:
            raise ValidationError(
                self.env._("A serial number must be unique per product and company.")
            ) from error
        clash = (int(match.group(1)), match.group(2))
        raise ValidationError(self._serial_duplicate_message([clash])) from error

    def _apply_serial_events(self, lot_updates):
        """Write the bookkeeping fields of serials after movements.

        :param lot_updates: ``{lot_id: vals}``; lots sharing the same values are
            written together, so a delivery of 10,000 serials to one customer
            is one UPDATE.
        """
        by_vals = defaultdict(list)
        for lot_id, vals in lot_updates.items():
            by_vals[tuple(sorted(vals.items()))].append(lot_id)
        lots = self.sudo()
        for vals, lot_ids in by_vals.items():
            lots.browse(lot_ids).write(dict(vals))

    def _sync_serial_containers(self, lines=None):
        """Bring the serials' case and pallet up to date with their quants and
        write a Packed/Unpacked event for each change, in a constant number of
        queries: one read of the quants, one INSERT of the events and one
        UPDATE per (case, pallet) pair.

        A unit sits in the package of its positive quant at its current
        location (Odoo keeps quants at customer locations too). When the unit
        left its direct container (case, or pallet for a unit put straight on
        it), it is unpacked from that one and packed into the new one; when its
        case went on or off a pallet, it is unpacked/packed through that case.

        :param lines: the done move lines that moved or repacked the serials,
            their transfer is recorded on the events
        """
        lots = self.filtered(lambda lot: lot.product_id.tracking == "serial")
        if not lots:
            return
        self.env["stock.quant"].flush_model(["lot_id", "package_id", "location_id", "quantity"])
        self.env.cr.execute(
            SQL(
                """
            SELECT lot_id, location_id, package_id FROM stock_quant
             WHERE lot_id = ANY(%s) AND quantity > 0
                """,
                lots.ids,
            )
        )
        found = defaultdict(list)
        for lot_id, location_id, package_id in self.env.cr.fetchall():
            found[lot_id].append((location_id, package_id))
        Package = self.env["stock.quant.package"]
        line_of = {line.lot_id.id: line for line in (lines or []) if line.lot_id}
        rows = []
        by_containers = defaultdict(list)
        for lot in lots:
            quants = found.get(lot.id, [])
            here = [q for q in quants if q[0] == lot.current_location_id.id] or quants
            # Odoo keeps one serial once per location (stock.quant.check_quantity):
            # a unit is in one package at most where it is
            package_ids = sorted(package_id for _location, package_id in here if package_id)
            package = Package.browse(package_ids[:1])
            case, pallet = (
                (Package, package)
                if package.sscc_level == "pallet"
                else (package, package.parent_id)
            )
            old_case, old_pallet = lot.sscc_case_id, lot.sscc_pallet_id
            if (case, pallet) == (old_case, old_pallet):
                continue
            by_containers[(case.id, pallet.id)].append(lot.id)
            line = line_of.get(lot.id)
            base = {"lot": lot, "line": line}
            old_direct, new_direct = old_case or old_pallet, case or pallet
            if old_direct != new_direct:
                if old_direct:
                    rows.append(dict(base, event_type=lifecycle.UNPACK, package=old_direct))
                if new_direct:
                    rows.append(dict(base, event_type=lifecycle.PACK, package=new_direct))
            else:  # same case, on or off a pallet
                if old_pallet:
                    rows.append(
                        dict(base, event_type=lifecycle.UNPACK, package=old_pallet, inner=case)
                    )
                if pallet:
                    rows.append(dict(base, event_type=lifecycle.PACK, package=pallet, inner=case))
        for row in rows:
            row.setdefault("inner", Package)
        self.env["serial.event"].sudo()._record_aggregations(rows)
        for (case_id, pallet_id), lot_ids in by_containers.items():
            self.sudo().browse(lot_ids).write(
                {"sscc_case_id": case_id or False, "sscc_pallet_id": pallet_id or False}
            )

    def _warranty_recall_blocking(self):
        """``{lot id: reason}`` of the serials an active recall campaign holds:
        their warranty claims are flagged."""
        return {
            lot_id: self.env._("%(recall)s, %(reason)s", recall=recall.name, reason=recall.reason)
            for lot_id, recall in self.env["serial.recall"]._active_by_lot(self.ids).items()
        }

    def _search_recall_blocked(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on recalled serials."))
        query = self.env["serial.recall.line"].sudo()._search([("recall_id.state", "=", "active")])
        lots = query.subselect(SQL.identifier(query.table, "lot_id"))
        blocked = (operator == "=") == value
        return [("id", "in" if blocked else "not in", lots)]

    def _compute_recall(self):
        active = self.env["serial.recall"]._active_by_lot(self.ids)
        for lot in self:
            lot.recall_blocked = lot.id in active
            lot.recall_id = active.get(lot.id, False)
