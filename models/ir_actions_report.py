# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

REPORTLAB = "reportlab-pdf"


class IrActionsReport(models.Model):
    """A report type drawn with ReportLab by a report model.

    A report of type ``reportlab-pdf`` named ``module.name`` is drawn by the
    ``_render_reportlab(records, data)`` method of the model
    ``report.module.name``, which returns the PDF bytes. It is printed from
    the Print menu and downloaded like Odoo's own PDF reports, through Odoo's
    ``/report/pdf/`` route (see ``_render_qweb_pdf``), and rendered in Python
    by ``_render``.
    """

    _inherit = "ir.actions.report"

    report_type = fields.Selection(
        selection_add=[(REPORTLAB, "PDF (ReportLab)")], ondelete={REPORTLAB: "set default"}
    )

    @api.model
    def _render_reportlab_pdf(self, report_ref, res_ids=None, data=None):
        report = self._get_report(report_ref)
        renderer = self.env.get(f"report.{report.report_name}")
        if renderer is None or not hasattr(renderer, "_render_reportlab"):
            raise UserError(
                self.env._(
                    "Report %(report)s has no ReportLab renderer (model report.%(name)s).",
                    report=report.name,
                    name=report.report_name,
                )
            )
        if isinstance(res_ids, int):
            res_ids = [res_ids]
        # a report printed with options (a wizard's) names its records in data["ids"]
        res_ids = res_ids or (data or {}).get("ids") or []
        # as the user who prints: a record they may not read is refused
        records = self.env[report.model].browse(res_ids)
        records.check_access("read")
        return renderer._render_reportlab(records, data or {}), "pdf"

    @api.model
    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        """Odoo's PDF route and its callers ask for ``_render_qweb_pdf``; a
        ReportLab report answers it with its own drawing."""
        if self._get_report(report_ref).report_type == REPORTLAB:
            return self._render_reportlab_pdf(report_ref, res_ids=res_ids, data=data)
        return super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)
