# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..lib import warranty as rules
from ..lib import warranty_report as layout
from ..models.serial_warranty_claim import COUNTED_STATES

HORIZONS = (30, 60, 90)
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SerialWarrantyReportWizard(models.TransientModel):
    """The accountant's warranty report: warranties in force at a date,
    expiring soon, claims of a period and the provision, as PDF and XLSX."""

    _name = "serial.warranty.report.wizard"
    _description = "Warranty Report"
    _check_company_auto = True

    date = fields.Date(
        string="At Date",
        required=True,
        default=fields.Date.context_today,
        help="Warranties in force, expiring and the provision are computed at this date.",
    )
    date_from = fields.Date(
        string="Claims From",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1),
    )
    date_to = fields.Date(string="Claims To", required=True, default=fields.Date.context_today)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    product_ids = fields.Many2many(
        "product.product",
        string="Products",
        domain="[('tracking', '=', 'serial')]",
        help="Empty: all products.",
    )
    categ_ids = fields.Many2many(
        "product.category", string="Product Categories", help="Empty: all categories."
    )
    xlsx_attachment_id = fields.Many2one("ir.attachment", string="XLSX", readonly=True)

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise UserError(self.env._("The claim period ends before it starts."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_print_pdf(self):
        self.ensure_one()
        return self.env.ref("serialized_inventory.action_report_warranty").report_action(self)

    def action_export_xlsx(self):
        """The XLSX as an attachment of the wizard, downloaded by the browser."""
        self.ensure_one()
        attachment = self.env["ir.attachment"].create(
            {
                "name": self._file_name("xlsx"),
                "raw": layout.to_xlsx(self._report()),
                "mimetype": XLSX_MIMETYPE,
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        self.xlsx_attachment_id = attachment
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def action_open_in_force(self):
        return self._warranty_action(self._warranty_domain_in_force())

    def action_open_claims(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "serialized_inventory.serial_warranty_claim_action"
        )
        action.update(domain=self._claim_domain_period(), context={})
        return action

    def _warranty_action(self, domain):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "serialized_inventory.serial_warranty_action"
        )
        action.update(domain=domain, context={})
        return action

    # ------------------------------------------------------------------
    # Domains: the report counts what these list actions show
    # ------------------------------------------------------------------

    def _product_domain(self):
        domain = [("company_id", "=", self.company_id.id)]
        if self.product_ids:
            domain.append(("product_id", "in", self.product_ids.ids))
        if self.categ_ids:
            domain.append(("product_id.categ_id", "child_of", self.categ_ids.ids))
        return domain

    def _warranty_domain_in_force(self):
        return self._product_domain() + self.env["serial.warranty"]._domain_in_force(self.date)

    def _warranty_domain_expiring(self, days):
        return self._product_domain() + self.env["serial.warranty"]._domain_expiring(
            self.date, days
        )

    def _warranty_domain_delivered(self):
        return [
            *self._product_domain(),
            ("policy_type", "=", "standard"),
            ("start_source", "not in", ("transfer", "resumed")),
            ("delivery_date", "<=", self.date),
        ]

    def _claim_domain_to_date(self):
        return [
            *self._product_domain(),
            ("state", "in", COUNTED_STATES),
            ("claim_date", "<=", self.date),
        ]

    def _claim_domain_resolved(self):
        return [
            *self._product_domain(),
            ("state", "=", "resolved"),
            ("resolved_date", "<=", self.date),
        ]

    def _claim_domain_period(self):
        return [
            *self._product_domain(),
            ("state", "not in", ("draft", "cancelled")),
            ("claim_date", ">=", self.date_from),
            ("claim_date", "<=", self.date_to),
        ]

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------

    def _figures(self):
        """Per product: the counts and amounts of the report, each from one
        grouped query on the domain of its list action."""
        self.ensure_one()
        Warranty = self.env["serial.warranty"]
        Claim = self.env["serial.warranty.claim"]
        rows = defaultdict(lambda: defaultdict(float))

        def group(model, domain, aggregates, names):
            for product, *values in model._read_group(domain, ["product_id"], aggregates):
                for name, value in zip(names, values, strict=True):
                    rows[product][name] = value or 0

        group(
            Warranty,
            self._warranty_domain_in_force(),
            ["__count", "lot_id:count_distinct"],
            ["in_force", "units"],
        )
        for days in HORIZONS:
            group(Warranty, self._warranty_domain_expiring(days), ["__count"], [f"exp{days}"])
        group(Warranty, self._warranty_domain_delivered(), ["__count"], ["delivered"])
        group(Claim, self._claim_domain_to_date(), ["__count"], ["claims"])
        group(
            Claim,
            self._claim_domain_resolved(),
            ["__count", "cost_company:sum"],
            ["resolved", "resolved_cost"],
        )
        group(
            Claim,
            self._claim_domain_period(),
            ["__count", "cost_company:sum"],
            ["period_claims", "period_cost"],
        )
        result = []
        for product in sorted(rows, key=lambda p: (p.display_name or "", p.id or 0)):
            values = rows[product]
            provision = rules.ProductProvision(
                units_under_warranty=int(values["units"]),
                units_delivered=int(values["delivered"]),
                claims=int(values["claims"]),
                resolved_claims=int(values["resolved"]),
                resolved_cost=values["resolved_cost"],
            )
            result.append((product, values, provision))
        return result

    def _report(self):
        """The report's tables, translated, for the PDF and the XLSX."""
        self.ensure_one()
        figures = self._figures()
        currency = self.company_id.currency_id
        no_product = self.env._("(no serial found)")

        def name(product):
            return product.display_name if product else no_product

        def money(value):
            return currency.round(value)

        in_force_rows, provision_rows, claim_rows = [], [], []
        for product, values, provision in figures:
            if values["in_force"]:
                in_force_rows.append(
                    [
                        name(product),
                        int(values["in_force"]),
                        int(values["units"]),
                        *(int(values[f"exp{days}"]) for days in HORIZONS),
                    ]
                )
            if values["units"] or values["delivered"] or values["claims"]:
                provision_rows.append(
                    [
                        name(product),
                        provision.units_under_warranty,
                        provision.units_delivered,
                        provision.claims,
                        provision.claim_rate,
                        provision.resolved_claims,
                        money(provision.average_cost),
                        money(provision.provision),
                    ]
                )
            if values["period_claims"]:
                claim_rows.append(
                    [name(product), int(values["period_claims"]), money(values["period_cost"])]
                )

        def total(rows, index):
            return sum(row[index] for row in rows)

        count = layout.INT
        tables = [
            layout.ReportTable(
                title=self.env._("Warranties in force at %(date)s", date=self.date),
                sheet=self.env._("Summary"),
                columns=[
                    layout.Column(self.env._("Product"), width=3),
                    layout.Column(self.env._("Warranties in Force"), count),
                    layout.Column(self.env._("Units under Warranty"), count),
                    *(
                        layout.Column(self.env._("Expiring within %(days)s Days", days=days), count)
                        for days in HORIZONS
                    ),
                ],
                rows=in_force_rows,
                totals=[self.env._("Total"), *(total(in_force_rows, i) for i in range(1, 6))],
            ),
            layout.ReportTable(
                title=self.env._(
                    "Claims from %(start)s to %(end)s", start=self.date_from, end=self.date_to
                ),
                sheet=self.env._("Summary"),
                columns=[
                    layout.Column(self.env._("Product"), width=3),
                    layout.Column(self.env._("Claims"), count),
                    layout.Column(self.env._("Cost"), layout.MONEY, width=1.5),
                ],
                rows=claim_rows,
                totals=[self.env._("Total"), total(claim_rows, 1), money(total(claim_rows, 2))],
            ),
            layout.ReportTable(
                title=self.env._("Provision at %(date)s", date=self.date),
                sheet=self.env._("Summary"),
                columns=[
                    layout.Column(self.env._("Product"), width=3),
                    layout.Column(self.env._("Units under Warranty"), count),
                    layout.Column(self.env._("Units Delivered"), count),
                    layout.Column(self.env._("Claims"), count),
                    layout.Column(self.env._("Claim Rate"), layout.RATE),
                    layout.Column(self.env._("Resolved Claims"), count),
                    layout.Column(self.env._("Average Claim Cost"), layout.MONEY, width=1.5),
                    layout.Column(self.env._("Provision"), layout.MONEY, width=1.5),
                ],
                rows=provision_rows,
                totals=[
                    self.env._("Total"),
                    total(provision_rows, 1),
                    total(provision_rows, 2),
                    total(provision_rows, 3),
                    None,
                    total(provision_rows, 5),
                    None,
                    money(total(provision_rows, 7)),
                ],
            ),
            self._claim_detail_table(),
        ]
        return layout.Report(
            title=self.env._("Warranty Report"),
            parameters=[
                (self.env._("Company"), self.company_id.name),
                (self.env._("At Date"), self.date.isoformat()),
                (self.env._("Claims From"), self.date_from.isoformat()),
                (self.env._("Claims To"), self.date_to.isoformat()),
                (
                    self.env._("Products"),
                    ", ".join(self.product_ids.mapped("display_name")) or self.env._("All"),
                ),
                (
                    self.env._("Product Categories"),
                    ", ".join(self.categ_ids.mapped("complete_name")) or self.env._("All"),
                ),
                (self.env._("Currency"), currency.name),
            ],
            tables=tables,
            currency=currency.symbol or currency.name,
            currency_before=currency.position == "before",
            notes_title=self.env._("Method"),
            empty=self.env._("Nothing to report."),
            notes=self._method_notes(),
        )

    def _claim_detail_table(self):
        claims = self.env["serial.warranty.claim"].search_fetch(
            self._claim_domain_period(),
            [
                "name",
                "claim_date",
                "serial_name",
                "product_id",
                "commercial_partner_id",
                "state",
                "resolution",
                "cost_company",
            ],
            order="claim_date, id",
        )
        states = dict(claims._fields["state"]._description_selection(self.env))
        resolutions = dict(claims._fields["resolution"]._description_selection(self.env))
        return layout.ReportTable(
            title=self.env._("Claims of the period, one by one"),
            sheet=self.env._("Claims"),
            columns=[
                layout.Column(self.env._("Reference")),
                layout.Column(self.env._("Date"), layout.DATE),
                layout.Column(self.env._("Serial Number")),
                layout.Column(self.env._("Product")),
                layout.Column(self.env._("Customer")),
                layout.Column(self.env._("Status")),
                layout.Column(self.env._("Resolution")),
                layout.Column(self.env._("Cost"), layout.MONEY),
            ],
            rows=[
                [
                    claim.name,
                    claim.claim_date,
                    claim.serial_name,
                    claim.product_id.display_name or "",
                    claim.commercial_partner_id.display_name or "",
                    states.get(claim.state, ""),
                    resolutions.get(claim.resolution, ""),
                    claim.cost_company,
                ]
                for claim in claims
            ],
            totals=[
                self.env._("Total"),
                None,
                None,
                None,
                None,
                None,
                None,
                sum(claims.mapped("cost_company")),
            ],
        )

    def _method_notes(self):
        return [
            self.env._(
                "Warranties in force at the date: start date <= date <= end date, not waiting "
                "for registration, and not voided, suspended or transferred on or before the "
                "date (the 'In Force at' filter of the warranty list counts the same)."
            ),
            self.env._(
                "Units under warranty: distinct serials with a warranty in force at the date. "
                "Expiring within N days: warranties in force whose end date is at most N days "
                "after the date."
            ),
            self.env._(
                "Units delivered: standard warranties started by a delivery (or entered by hand) "
                "up to the date, one per delivery; resumed and transferred warranties are not "
                "new units."
            ),
            self.env._(
                "Claims: submitted, approved or resolved claims dated up to the date. Claim rate "
                "= claims / units delivered, per product."
            ),
            self.env._(
                "Average claim cost = total cost of the claims resolved up to the date / number "
                "of those claims, in company currency (costs converted at the claim date)."
            ),
            self.env._(
                "Provision = units under warranty x claim rate x average claim cost, per "
                "product; the total is the sum of the products' provisions."
            ),
            self.env._(
                "Claims of the period: claims dated in the period that are neither draft nor "
                "cancelled, with their cost (rejected claims count with their cost, usually 0)."
            ),
        ]

    def _file_name(self, extension):
        return f"warranty-report-{self.company_id.name}-{self.date}.{extension}".replace("/", "-")
