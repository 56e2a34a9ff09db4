# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import format_datetime

from ..lib import warranty_report as layout


class ReportSerialRecall(models.AbstractModel):
    """A recall campaign's affected serials grouped by customer, drawn with
    ReportLab."""

    _name = "report.serialized_inventory.report_serial_recall"
    _description = "Recall Campaign Report"

    @api.model
    def _render_reportlab(self, recalls, data):
        recall = recalls[:1]
        company = recall.company_id or self.env.company
        header = layout.PageHeader(
            company=company.name,
            subtitle=self.env._(
                "Recall %(recall)s, printed %(date)s",
                recall=recall.name,
                date=format_datetime(self.env, fields.Datetime.now()),
            ),
            page_label=self.env._("Page %(page)s of %(pages)s"),
        )
        return layout.to_pdf(
            recall._export_report(),
            header,
            page_size="letter" if company.paperformat_id.format == "Letter" else "a4",
        )
