# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import format_datetime

from ..lib import warranty_report as layout


class ReportWarranty(models.AbstractModel):
    """The warranty report wizard's figures drawn with ReportLab."""

    _name = "report.serialized_inventory.report_warranty"
    _description = "Warranty Report"

    @api.model
    def _render_reportlab(self, wizards, data):
        wizard = wizards[:1]
        company = wizard.company_id or self.env.company
        header = layout.PageHeader(
            company=company.name,
            subtitle=self.env._(
                "Warranty report, printed %(date)s",
                date=format_datetime(self.env, fields.Datetime.now()),
            ),
            page_label=self.env._("Page %(page)s of %(pages)s"),
        )
        return layout.to_pdf(
            wizard._report(),
            header,
            page_size="letter" if company.paperformat_id.format == "Letter" else "a4",
        )
