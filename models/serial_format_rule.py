# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import functools

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..lib import serial_format

# How many clashing serials a refused change of uniqueness scope lists.
SCOPE_CLASHES_SHOWN = 20
# The options the compiled engine depends on.
ENGINE_FIELDS = ("template", "charset", "custom_charset", "case", "min_length", "max_length")


@functools.lru_cache(maxsize=256)
def _compile(template, charset, case, min_length, max_length):
    """The pure-Python engine of a rule; compiled once per set of options."""
    return serial_format.FormatRule(
        template,
        charset=charset,
        case=case,
        min_length=min_length or None,
        max_length=max_length or None,
    )


class SerialFormatRule(models.Model):
    """How the serial numbers of a product are built and checked.

    The rule of a serial-tracked product is its own, else its category's (or
    a parent category's), else its company's default; a product without one
    keeps Odoo's native behaviour.
    """

    _name = "serial.format.rule"
    _description = "Serial Format Rule"
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True)
    template = fields.Char(
        required=True,
        default="{model}-{yy}{mm}-{seq:6}{check:mod37_36}",
        help="Literal text and parts in braces: {mfr} manufacturer code, {model} product "
        "reference, {batch} batch code ({batch:4} for a fixed width), {yyyy} {yy} {mm} {dd} "
        "{ww} (ISO week) {ddd} (day of year), {seq:N} sequence of N digits, "
        "{check:luhn|gs1|mod11_2|mod97_10|mod37_36} check character; {{ and }} for braces.",
    )
    mode = fields.Selection(
        [("generate", "Generate and validate"), ("validate", "Validate only")],
        default="generate",
        required=True,
        help="Generate and validate: our own serials, generated from the sequence. "
        "Validate only: suppliers' serials, checked when they are entered.",
    )
    manufacturer_code = fields.Char(help="Value of the {mfr} part.")
    charset = fields.Selection(
        [
            ("upper_alnum", "Upper-case letters and digits"),
            ("digits", "Digits"),
            ("alnum", "Letters and digits"),
            ("gs1_ai82", "GS1 character set 82"),
            ("custom", "Custom"),
        ],
        string="Character Set",
        default="upper_alnum",
        required=True,
        help="Characters the manufacturer code, product reference and batch may use.",
    )
    custom_charset = fields.Char(string="Custom Characters")
    case = fields.Selection(
        [("upper", "Convert to upper case"), ("exact", "Exact")],
        default="upper",
        required=True,
    )
    min_length = fields.Integer(string="Minimum Length")
    max_length = fields.Integer(string="Maximum Length")
    uniqueness_scope = fields.Selection(
        [
            ("product", "Per product"),
            ("company", "Per company"),
            ("global", "All products"),
        ],
        default="product",
        required=True,
        help="Where a serial must be unique: Odoo's own rule (per product and company), "
        "or across every product of the company, or of all companies.",
    )
    sequence_scope = fields.Selection(
        [("product", "Per product"), ("rule", "Per rule")],
        default="product",
        required=True,
    )
    reset_period = fields.Selection(
        [("never", "Never"), ("yearly", "Yearly"), ("monthly", "Monthly")],
        default="never",
        required=True,
        help="When the sequence starts again from 1.",
    )
    preview = fields.Text(compute="_compute_preview", string="Next Serials")
    test_serial = fields.Char(string="Try a Serial")
    test_result = fields.Char(compute="_compute_test_result", string="Result")

    @api.depends(*ENGINE_FIELDS, "manufacturer_code", "sequence_scope", "reset_period")
    @api.depends_context("company")
    def _compute_preview(self):
        today = fields.Date.context_today(self)
        for rule in self:
            try:
                rule.preview = "\n".join(
                    rule._engine().generate(
                        self.env["serial.format.sequence"]._peek(
                            rule, self.env["product.product"], rule._period(today)
                        )
                        if rule.id
                        else 1,
                        5,
                        date=today,
                        mfr=rule.manufacturer_code or "MFR",
                        model="MODEL",
                        batch="BATCH",
                    )
                )
            except serial_format.FormatError as error:
                rule.preview = rule._translate(error.message)

    @api.depends(*ENGINE_FIELDS, "test_serial", "manufacturer_code")
    def _compute_test_result(self):
        for rule in self:
            if not rule.test_serial:
                rule.test_result = False
                continue
            try:
                result = rule._engine().validate(
                    rule.test_serial, mfr=rule.manufacturer_code or None
                )
            except serial_format.FormatError as error:
                rule.test_result = rule._translate(error.message)
                continue
            rule.test_result = (
                self.env._("Valid")
                if result.valid
                else self.env._("Invalid: %(reason)s", reason=rule._translate(result.message))
            )

    @api.constrains(*ENGINE_FIELDS)
    def _check_template(self):
        for rule in self:
            try:
                rule._engine()
            except serial_format.FormatError as error:
                raise ValidationError(
                    self.env._(
                        "Serial format rule %(rule)s: %(reason)s",
                        rule=rule.name,
                        reason=rule._translate(error.message),
                    )
                ) from error

    @api.constrains("uniqueness_scope")
    def _check_uniqueness_scope(self):
        """A rule made unique across the company's products or all products
        must hold for the serials its products already have."""
        for rule in self.filtered(lambda r: r.uniqueness_scope != "product"):
            clashes = rule._serials_used_by_other_products()
            if not clashes:
                continue
            shown = clashes[:SCOPE_CLASHES_SHOWN]
            raise ValidationError(
                self.env._(
                    "Serial format rule %(rule)s cannot want serials unique across %(scope)s: "
                    "%(count)s serial number(s) of its products are already used by other "
                    "products. Rename them first:\n%(lines)s%(more)s",
                    rule=rule.name,
                    scope=self.env._("the company's products")
                    if rule.uniqueness_scope == "company"
                    else self.env._("all products"),
                    count=len(clashes),
                    lines="\n".join(
                        self.env._(
                            " - Serial: %(serial)s, Products: %(products)s",
                            serial=row["name"],
                            products=", ".join(row["products"]),
                        )
                        for row in shown
                    ),
                    more=self.env._("\n(and %(count)s more)", count=len(clashes) - len(shown))
                    if len(clashes) > len(shown)
                    else "",
                )
            )

    # Business methods

    def _serials_used_by_other_products(self):
        """``[{name, products}]``: serials of the products following this rule
        that another product also has (in the same company, or without one, for
        a company-wide rule), as ``stock.lot._serial_scope_clashes`` refuses."""
        self.ensure_one()
        products = (
            self.env["product.product"]
            .sudo()
            .with_context(active_test=False)
            .search([("tracking", "=", "serial")])
            .filtered(lambda product: product._get_serial_format_rule() == self)
        )
        if not products:
            return []
        same_company = (
            SQL(
                "AND (lot.company_id IS NULL OR other.company_id IS NULL"
                " OR lot.company_id = other.company_id)"
            )
            if self.uniqueness_scope == "company"
            else SQL()
        )
        self.env["stock.lot"].flush_model(["name", "product_id", "company_id"])
        self.env.cr.execute(
            SQL(
                """
            SELECT lot.name, array_agg(DISTINCT lot.product_id) || array_agg(DISTINCT
                   other.product_id) AS product_ids
              FROM stock_lot lot
              JOIN stock_lot other ON other.name = lot.name AND other.product_id != lot.product_id
             WHERE lot.product_id = ANY(%(products)s) %(same_company)s
             GROUP BY lot.name
             ORDER BY lot.name
                """,
                products=products.ids,
                same_company=same_company,
            )
        )
        rows = self.env.cr.dictfetchall()
        every = self.env["product.product"].sudo().with_context(active_test=False)
        return [
            {
                "name": row["name"],
                "products": sorted(set(every.browse(row["product_ids"]).mapped("display_name"))),
            }
            for row in rows
        ]

    def _engine(self):
        self.ensure_one()
        return _compile(
            self.template or "",
            self.custom_charset or "" if self.charset == "custom" else self.charset,
            self.case,
            self.min_length,
            self.max_length,
        )

    def _translate(self, message):
        """Translate a message of the engine (English text with its template
        and parameters kept apart)."""
        template = getattr(message, "template", None)
        if template is None:
            return str(message)
        return self.env._(template, **message.params)  # pylint: disable=translation-required

    def _period(self, date):
        self.ensure_one()
        if self.reset_period == "yearly":
            return f"{date:%Y}"
        if self.reset_period == "monthly":
            return f"{date:%Y-%m}"
        return ""

    def _values(self, product):
        return {
            "mfr": self.manufacturer_code or None,
            "model": product.default_code or None,
        }

    def _sequence_product(self, product):
        return product if self.sequence_scope == "product" else product.browse()

    def _next_serial(self, product):
        """The serial ``_generate`` would give next, without taking its
        number (a proposal); ``False`` if the rule cannot build it."""
        self.ensure_one()
        date = fields.Date.context_today(self)
        first = self.env["serial.format.sequence"]._peek(
            self, self._sequence_product(product), self._period(date)
        )
        try:
            return self._engine().generate(first, 1, date=date, **self._values(product))[0]
        except serial_format.FormatError:
            return False

    def _generate(self, product, count, date=None):
        """Take ``count`` numbers of the sequence and build the serials."""
        self.ensure_one()
        date = date or fields.Date.context_today(self)
        first = self.env["serial.format.sequence"]._take(
            self, self._sequence_product(product), self._period(date), count
        )
        try:
            return self._engine().generate(first, count, date=date, **self._values(product))
        except serial_format.FormatError as error:
            raise ValidationError(
                self.env._(
                    "Cannot generate serials for %(product)s with rule %(rule)s: %(reason)s",
                    product=product.display_name,
                    rule=self.name,
                    reason=self._translate(error.message),
                )
            ) from error

    def _invalid_serials(self, product, names):
        """``[(line, serial, translated reason)]`` for the names (1-based lines)."""
        self.ensure_one()
        values = self._values(product)
        invalid = self._engine().validate_many(
            names, mfr=values["mfr"], model=values["model"], allow_duplicates=True
        )
        return [(line, serial, self._translate(message)) for line, serial, message in invalid]

    def _check_serials(self, product, names):
        """Raise one error listing every invalid serial of ``names``."""
        invalid = self._invalid_serials(product, names)
        if invalid:
            raise ValidationError(self._invalid_message(product, invalid, len(names)))

    def _invalid_message(self, product, invalid, total):
        lines = "\n".join(
            self.env._(" - %(serial)s: %(reason)s", serial=serial, reason=reason)
            if total == 1
            else self.env._(
                " - line %(line)s, %(serial)s: %(reason)s",
                line=line,
                serial=serial,
                reason=reason,
            )
            for line, serial, reason in invalid
        )
        return self.env._(
            "%(count)s serial number(s) of %(product)s do not follow the format rule "
            "%(rule)s (%(template)s):\n%(lines)s",
            count=len(invalid),
            product=product.display_name,
            rule=self.name,
            template=self.template,
            lines=lines,
        )
