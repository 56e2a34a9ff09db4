# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL

from ..lib import recall as rules

# Notices sent per run of the scheduled action (each run commits).
BATCH = 100


class SerialRecallNotice(models.Model):
    """The recall notice of one customer: exactly their affected serials,
    sent by email from the campaign's template and logged on the customer."""

    _name = "serial.recall.notice"
    _description = "Recall Notice"
    _order = "recall_id desc, partner_id"
    _rec_name = "partner_id"
    _check_company_auto = True

    recall_id = fields.Many2one(
        "serial.recall", required=True, readonly=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="recall_id.company_id", store=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True)
    email = fields.Char(related="partner_id.email")
    phone = fields.Char(related="partner_id.phone")
    line_ids = fields.One2many("serial.recall.line", "notice_id", string="Serials")
    line_count = fields.Integer(compute="_compute_line_count", string="Serials Listed")
    state = fields.Selection(
        selection=[
            ("queued", "Queued"),
            ("sent", "Sent"),
            ("failed", "Not Sent"),
        ],
        default="queued",
        required=True,
        readonly=True,
        index=True,
    )
    failure_reason = fields.Char(readonly=True)
    date_sent = fields.Datetime(readonly=True)
    message_id = fields.Many2one("mail.message", readonly=True)

    def _compute_line_count(self):
        Line = self.env["serial.recall.line"]
        counts = dict(Line._read_group([("notice_id", "in", self.ids)], ["notice_id"], ["__count"]))
        queued = self.filtered(lambda notice: notice.state == "queued")
        pending = {}
        if queued:
            pending = {
                (recall.id, partner.id): count
                for recall, partner, count in Line._read_group(
                    [
                        ("recall_id", "in", queued.recall_id.ids),
                        ("partner_id", "in", queued.partner_id.ids),
                        *self._pending_lines_domain(),
                    ],
                    ["recall_id", "partner_id"],
                    ["__count"],
                )
            }
        for notice in self:
            notice.line_count = counts.get(notice, 0) + (
                pending.get((notice.recall_id.id, notice.partner_id.id), 0)
                if notice.state == "queued"
                else 0
            )

    @api.model
    def _queue(self, recall):
        """One queued notice per customer of ``recall`` with open lines that
        no notice lists yet; returns how many were queued."""
        Line = self.env["serial.recall.line"]
        Line.flush_model()
        self.env.cr.execute(
            SQL(
                """
            SELECT DISTINCT partner_id FROM serial_recall_line
             WHERE recall_id = %s AND partner_id IS NOT NULL AND notice_id IS NULL
               AND status = %s AND NOT COALESCE(written_off, FALSE) AND place = %s
                """,
                recall.id,
                rules.OPEN,
                rules.CUSTOMER,
            )
        )
        partner_ids = [row[0] for row in self.env.cr.fetchall()]
        if not partner_ids:
            return 0
        notices = self.sudo().create(
            [{"recall_id": recall.id, "partner_id": partner_id} for partner_id in partner_ids]
        )
        self.env.ref("serialized_inventory.ir_cron_serial_recall_notices")._trigger()
        return len(notices)

    @api.model
    def _cron_send(self, batch=BATCH):
        """Send queued notices, ``batch`` at a time, reporting progress to the
        scheduler (which runs the job again while some are left)."""
        queued = self.search([("state", "=", "queued")], order="id")
        queued[:batch]._send()
        remaining = len(queued) - min(batch, len(queued))
        self.env["ir.cron"]._notify_progress(done=min(batch, len(queued)), remaining=remaining)
        if remaining:
            self.env.ref("serialized_inventory.ir_cron_serial_recall_notices")._trigger()

    def _pending_lines_domain(self):
        """The lines a queued notice will list: its customer's open lines at
        the customer's, not written off, that no notice lists yet."""
        return [
            ("notice_id", "=", False),
            ("status", "=", rules.OPEN),
            ("written_off", "=", False),
            ("place", "=", rules.CUSTOMER),
        ]

    def _attach_lines(self):
        """Link each notice to its lines (one UPDATE for the batch: done when
        sent, not when queued, so that queuing thousands stays quick)."""
        if not self:
            return
        Line = self.env["serial.recall.line"]
        Line.flush_model()
        self.flush_recordset()
        self.env.cr.execute(
            SQL(
                """
            UPDATE serial_recall_line AS line SET notice_id = notice.id
              FROM serial_recall_notice AS notice
             WHERE notice.id = ANY(%s) AND line.recall_id = notice.recall_id
               AND line.partner_id = notice.partner_id AND line.notice_id IS NULL
               AND line.status = %s AND NOT COALESCE(line.written_off, FALSE)
               AND line.place = %s
                """,
                self.ids,
                rules.OPEN,
                rules.CUSTOMER,
            )
        )
        Line.invalidate_model(["notice_id"])
        self.invalidate_recordset(["line_ids"])

    def _send(self):
        """Render each notice with its campaign's template and post it on the
        customer, who gets it by email; the lines become notified."""
        now = fields.Datetime.now()
        self._attach_lines()
        without_email = self.filtered(lambda notice: not notice.partner_id.email)
        without_email.write(
            {"state": "failed", "failure_reason": self.env._("The customer has no email address.")}
        )
        for recall, notices in (self - without_email).grouped("recall_id").items():
            template = recall.mail_template_id
            rendered = {
                name: template._render_field(name, notices.ids)
                for name in ("subject", "body_html", "email_from")
            }
            for notice in notices:
                # queued for the mail queue, not sent inside this transaction
                partner = notice.partner_id.sudo().with_context(mail_notify_force_send=False)
                message = partner.message_post(
                    body=rendered["body_html"][notice.id],
                    subject=rendered["subject"][notice.id],
                    email_from=rendered["email_from"][notice.id] or None,
                    partner_ids=notice.partner_id.ids,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                    email_layout_xmlid="mail.mail_notification_light",
                )
                notice.write({"state": "sent", "date_sent": now, "message_id": message.id})
            lines = notices.line_ids.filtered(lambda line: line.status == rules.OPEN)
            lines.sudo().write({"status": rules.NOTIFIED, "date_notified": now})
            recall.message_post(
                body=self.env._(
                    "Recall notice emailed to %(customers)s.",
                    customers=", ".join(notices.partner_id.mapped("display_name")),
                )
            )
        for recall, notices in without_email.grouped("recall_id").items():
            recall.message_post(
                body=self.env._(
                    "No recall notice could be emailed to %(customers)s: no email address. "
                    "Reach them another way.",
                    customers=", ".join(notices.partner_id.mapped("display_name")),
                )
            )

    def action_retry(self):
        """Queue failed notices again (once the customer has an email)."""
        self.filtered(lambda notice: notice.state == "failed").write(
            {"state": "queued", "failure_reason": False}
        )
        self.env.ref("serialized_inventory.ir_cron_serial_recall_notices")._trigger()
        return True
