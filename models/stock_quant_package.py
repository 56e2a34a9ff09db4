# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
from collections import defaultdict

from markupsafe import Markup
from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..lib import scan, sscc

SSCC_INDEX = "stock_quant_package_sscc_uniq"
# Context key: move cases off their pallet without syncing their serials (the
# caller syncs them with the move lines that split the pallet).
SKIP_SYNC = "serialized_inventory_skip_container_sync"


class StockQuantPackage(models.Model):
    """Cases and pallets: packages of a type with an SSCC level are named by an
    SSCC, generated from the company's sequence; a case (or any package but a
    pallet) can be put on a pallet (``parent_id``)."""

    _inherit = "stock.quant.package"
    _parent_store = True

    parent_id = fields.Many2one(
        "stock.quant.package",
        string="Pallet",
        index=True,
        ondelete="restrict",
        copy=False,
        domain="[('sscc_level', '=', 'pallet'), ('id', '!=', id)]",
        help="The pallet this package is on.",
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("stock.quant.package", "parent_id", string="Packages on Pallet")
    sscc_level = fields.Selection(related="package_type_id.sscc_level", store=True, index=True)
    # recomputed from the cases of a pallet that holds no quant itself
    location_id = fields.Many2one(recursive=True)
    company_id = fields.Many2one(recursive=True)
    name_proposal = fields.Char(
        store=False, help="The name proposed when the form opened, as long as it is kept."
    )
    contained_quant_ids = fields.Many2many(
        "stock.quant",
        compute="_compute_contents",
        string="All Contents",
        help="What the package holds, in its cases too.",
    )
    contained_serial_count = fields.Integer(compute="_compute_contents", string="Serials")
    contained_package_count = fields.Integer(compute="_compute_contents", string="Cases")
    contents_summary = fields.Html(compute="_compute_contents", sanitize=False)

    @api.depends(
        "quant_ids.location_id",
        "quant_ids.company_id",
        "child_ids.location_id",
        "child_ids.company_id",
    )
    def _compute_package_info(self):
        result = super()._compute_package_info()
        for package in self:
            if not package.quant_ids and package.child_ids:
                package.location_id = package.child_ids[0].location_id
                companies = package.child_ids.company_id
                package.company_id = companies if len(companies) == 1 else False
        return result

    @api.depends("quant_ids", "child_ids")
    def _compute_contents(self):
        # records being edited in a form are new records: read their origin's
        origins = self._origin
        quants = self.env["stock.quant"]
        if origins:
            quants = quants.search([("package_id", "child_of", origins.ids), ("quantity", ">", 0)])
        inner = defaultdict(lambda: self.env["stock.quant"])
        for quant in quants:
            for package_id in map(int, quant.package_id.parent_path.split("/")[:-1]):
                inner[package_id] |= quant
        for package in self:
            contained = inner[package._origin.id] if package._origin else quants.browse()
            package.contained_quant_ids = contained
            serials = contained.filtered(lambda q: q.lot_id and q.product_id.tracking == "serial")
            package.contained_serial_count = len(serials.lot_id)
            package.contained_package_count = len(package.child_ids)
            package.contents_summary = package._contents_table(contained)

    def _contents_table(self, quants):
        """HTML table of the quants' quantity per product, serials counted."""
        if not quants:
            return False
        totals = defaultdict(float)
        serials = defaultdict(set)
        for quant in quants:
            totals[quant.product_id] += quant.quantity
            if quant.lot_id:
                serials[quant.product_id].add(quant.lot_id.id)
        rows = Markup("").join(
            Markup("<tr><td>%s</td><td class='text-end'>%s</td><td class='text-end'>%s</td></tr>")
            % (
                product.display_name,
                len(serials[product]) if product.tracking == "serial" else "",
                f"{quantity:g} {product.uom_id.name}",
            )
            for product, quantity in sorted(totals.items(), key=lambda item: item[0].display_name)
        )
        head = Markup(
            "<thead><tr><th>%s</th><th class='text-end'>%s</th><th class='text-end'>%s</th></tr>"
            "</thead>"
        ) % (self.env._("Product"), self.env._("Serials"), self.env._("Quantity"))
        return Markup(
            "<table class='table table-sm o_sscc_contents'>%s<tbody>%s</tbody></table>"
        ) % (
            head,
            rows,
        )

    @api.constrains("parent_id", "package_type_id")
    def _check_nesting(self):
        """Only pallets hold packages, a pallet is on no pallet, no cycle, and a
        package joins a pallet where the pallet's other contents are."""
        for package in self:
            if package.child_ids and package.sscc_level != "pallet":
                raise ValidationError(
                    self.env._(
                        "Only pallets hold other packages: %(package)s holds %(children)s.",
                        package=package.name,
                        children=", ".join(package.child_ids[:10].mapped("name")),
                    )
                )
            parent = package.parent_id
            if not parent:
                continue
            if package.sscc_level == "pallet":
                raise ValidationError(
                    self.env._(
                        "Pallet %(package)s cannot be put on pallet %(parent)s.",
                        package=package.name,
                        parent=parent.name,
                    )
                )
            if parent.sscc_level != "pallet":
                raise ValidationError(
                    self.env._(
                        "%(package)s can only be put on a pallet; %(parent)s is not one (its "
                        "package type has no SSCC level Pallet).",
                        package=package.name,
                        parent=parent.name,
                    )
                )
            if package._has_cycle():
                raise ValidationError(
                    self.env._("Package %(package)s cannot contain itself.", package=package.name)
                )
            where = (parent.child_ids - package).location_id | parent.quant_ids.location_id
            if package.location_id and where and where != package.location_id:
                raise ValidationError(
                    self.env._(
                        "%(package)s is in %(location)s and pallet %(parent)s in %(where)s: "
                        "a package goes on a pallet where the pallet is.",
                        package=package.name,
                        location=package.location_id.display_name,
                        parent=parent.name,
                        where=", ".join(where.mapped("display_name")),
                    )
                )

    def init(self):
        result = super().init()
        # the index name is SSCC_INDEX
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS stock_quant_package_sscc_uniq
                ON stock_quant_package (name) WHERE sscc_level IS NOT NULL
            """
        )
        return result

    @api.model
    def default_get(self, fields_list):
        defaults = super().default_get(fields_list)
        if "name_proposal" in fields_list and defaults.get("name"):
            defaults["name_proposal"] = defaults["name"]
        return defaults

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [dict(vals) for vals in vals_list]
        levels = self.env["stock.package.type"]._sscc_levels(
            vals.get("package_type_id") for vals in vals_list
        )
        to_name = []
        for vals in vals_list:
            proposal = vals.pop("name_proposal", None)
            if not levels.get(vals.get("package_type_id")):
                continue
            if not vals.get("name") or vals["name"] == proposal:
                to_name.append(vals)
            else:
                vals["name"] = self._sscc_from_name(vals["name"])
        for vals, code in zip(to_name, self._generate_sscc(len(to_name)), strict=True):
            vals["name"] = code
        self._check_sscc_duplicates(
            [vals["name"] for vals in vals_list if levels.get(vals.get("package_type_id"))]
        )
        try:
            with self.env.cr.savepoint(flush=False):
                packages = super().create(vals_list)
                packages.flush_recordset(["name", "sscc_level"])
        except pg_errors.UniqueViolation as error:
            self._raise_if_sscc_race(error)
            raise
        return packages

    def write(self, vals):
        vals = dict(vals)
        vals.pop("name_proposal", None)
        if vals.get("name"):
            ptype = (
                self.env["stock.package.type"].browse(vals["package_type_id"])
                if "package_type_id" in vals
                else self.package_type_id
            )
            if any(ptype.mapped("sscc_level")):
                vals["name"] = self._sscc_from_name(vals["name"])
                self._check_sscc_duplicates([vals["name"]] * len(self), exclude=self)
        if vals.get("parent_id"):
            moving = self.filtered(lambda p: p.parent_id and p.parent_id.id != vals["parent_id"])
            if moving:
                raise ValidationError(
                    self.env._(
                        "A package is on one pallet at a time: %(packages)s already on "
                        "%(pallets)s. Take it off its pallet first.",
                        packages=", ".join(moving.mapped("name")),
                        pallets=", ".join(moving.parent_id.mapped("name")),
                    )
                )
        pallets = self.filtered("child_ids") if vals.get("location_id") else self.browse()
        if pallets:
            self._relocate_pallets(pallets, vals["location_id"])
        others = self - pallets
        try:
            with self.env.cr.savepoint(flush=False):
                result = super(StockQuantPackage, others).write(vals)
                if pallets:
                    rest = {key: value for key, value in vals.items() if key != "location_id"}
                    super(StockQuantPackage, pallets).write(rest)
                self.flush_recordset(["name", "sscc_level"])
        except pg_errors.UniqueViolation as error:
            self._raise_if_sscc_race(error)
            raise
        if vals.get("package_type_id"):
            self._name_new_sscc_packages()
        if "parent_id" in vals and not self.env.context.get(SKIP_SYNC):
            self._contained_lots()._sync_serial_containers()
        return result

    @api.model
    def _search_display_name(self, operator, value):
        """A scanned or typed SSCC, with its (00) and symbology identifier or
        not, finds its package."""
        if operator in ("ilike", "=", "=ilike", "like", "=like") and isinstance(value, str):
            code = scan.sscc_of(value)
            if code:
                return [("name", "=", code)]
        return super()._search_display_name(operator, value)

    def unpack(self):
        """Unpacking a pallet takes its cases off it (they stay packed)."""
        self.child_ids.write({"parent_id": False})
        return super().unpack()

    def action_print_sscc_label(self):
        self.check_access("read")
        return self.env.ref("serialized_inventory.action_report_sscc_label").report_action(
            self, config=False
        )

    def action_view_contained_serials(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_production_lot_form")
        action["domain"] = [("id", "in", self.contained_quant_ids.lot_id.ids)]
        action["context"] = {"search_default_group_by_product": 1}
        return action

    # ------------------------------------------------------------------
    # SSCC names
    # ------------------------------------------------------------------

    @api.model
    def _generate_sscc(self, count, company=None):
        """``count`` new SSCCs of the company (the current one by default)."""
        if not count:
            return []
        company = company or self.env.company
        reason = sscc.prefix_error(company.sscc_extension_digit, company.gs1_company_prefix)
        if reason:
            raise UserError(
                self.env._(
                    "SSCCs cannot be generated for %(company)s: %(reason)s. Set the GS1 "
                    "Company Prefix and SSCC extension digit in the Inventory settings.",
                    company=company.name,
                    reason=self.env._(reason),  # pylint: disable=translation-required
                )
            )
        references = company._take_sscc_references(count)
        capacity = sscc.capacity(company.gs1_company_prefix)
        if references[-1] >= capacity:
            raise UserError(
                self.env._(
                    "The SSCC sequence of %(company)s is exhausted: GS1 Company Prefix "
                    "%(prefix)s leaves room for %(capacity)s serial references.",
                    company=company.name,
                    prefix=company.gs1_company_prefix,
                    capacity=capacity,
                )
            )
        return [
            sscc.make(company.sscc_extension_digit, company.gs1_company_prefix, reference)
            for reference in references
        ]

    @api.model
    def _sscc_from_name(self, name):
        """The SSCC a case or pallet is given by name (scanned or typed with its
        (00)), refused when it is not a valid SSCC."""
        code = scan.sscc_of(name)
        if code:
            return code
        raise ValidationError(
            self.env._(
                "%(name)s is not a valid SSCC for a case or pallet: %(reason)s. Leave the "
                "proposed name to have one generated.",
                name=name,
                reason=self.env._(sscc.error(name.strip())),  # pylint: disable=translation-required
            )
        )

    @api.model
    def _check_sscc_duplicates(self, names, exclude=None):
        """Refuse SSCCs given twice or already used by a case or pallet, before
        writing, with their names."""
        if not names:
            return
        seen, twice = set(), set()
        for name in names:
            (twice if name in seen else seen).add(name)
        domain = [("name", "in", list(seen)), ("sscc_level", "!=", False)]
        if exclude:
            domain.append(("id", "not in", exclude.ids))
        twice |= set(self.sudo().search(domain).mapped("name"))
        if twice:
            raise ValidationError(self._sscc_duplicate_message(sorted(twice)))

    def _sscc_duplicate_message(self, names):
        return self.env._(
            "An SSCC identifies one case or pallet for ever; these are already used: %(names)s",
            names=", ".join(names),
        )

    def _raise_if_sscc_race(self, error):
        """Another transaction committed the same SSCC meanwhile."""
        if error.diag.constraint_name == SSCC_INDEX:
            # "Key (name)=(106141411234567897) already exists."
            match = re.search(r"=\((\d+)\)", error.diag.message_detail or "")
            names = [match.group(1)] if match else []
            raise ValidationError(self._sscc_duplicate_message(names)) from error

    def _name_new_sscc_packages(self):
        """Packages whose type became a case or pallet one get an SSCC in place of
        a name that is not one (Odoo's PACK0000001, from Put in Pack)."""
        unnamed = self.filtered(lambda p: p.sscc_level and not sscc.is_valid(p.name))
        for package, code in zip(unnamed, self._generate_sscc(len(unnamed)), strict=True):
            package.name = code
        named = self.filtered("sscc_level") - unnamed
        self._check_sscc_duplicates(named.mapped("name"), exclude=named)

    # ------------------------------------------------------------------
    # Nesting and moves
    # ------------------------------------------------------------------

    def _contained_lots(self):
        """Serials of the positive quants of these packages and their cases."""
        if not self:
            return self.env["stock.lot"]
        return (
            self.env["stock.quant"]
            .search([("package_id", "child_of", self.ids), ("quantity", ">", 0)])
            .lot_id
        )

    def _relocate_pallets(self, pallets, location_id):
        """Moving a pallet by hand moves everything on it, cases kept on it."""
        location = self.env["stock.location"].browse(location_id)
        quants = self.env["stock.quant"].search(
            [("package_id", "child_of", pallets.ids), ("quantity", ">", 0)]
        )
        if not quants:
            raise UserError(
                self.env._(
                    "Pallet %(pallets)s holds nothing to move.",
                    pallets=", ".join(pallets.mapped("name")),
                )
            )
        quants.move_quants(location, message=self.env._("Pallet manually relocated"))

    def _detach_split_pallets(self):
        """Packages (``self``, just moved) whose pallet's contents are now in more
        than one location leave that pallet: part of it was moved away."""
        moved = self.filtered("parent_id")
        leaving = self.browse()
        for pallet in moved.parent_id:
            if len(pallet.child_ids.location_id | pallet.quant_ids.location_id) > 1:
                leaving |= pallet.child_ids & moved
        if leaving:
            leaving.with_context(**{SKIP_SYNC: True}).write({"parent_id": False})
