# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ..lib import recall as rules

_logger = logging.getLogger(__name__)

# Notices sent per run of the scheduled action (each run commits).
BATCH = 100


def _error_text(error):
    """What went wrong, short: the error's first line and, for an error
    raised while handling another (a rendering error wraps the template's
    exception), the exception at its origin."""
    root = error
    while (root.__cause__ or root.__context__) is not None:
        root = root.__cause__ or root.__context__
    first = (str(error).strip().splitlines() or [type(error).__name__])[0]
    if root is error:
        return first[:500]
    return f"{first[:200]} … {type(root).__name__}: {root}"[:500]


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
        counts = dict(
            self.env["serial.recall.line"]._read_group(
                [("notice_id", "in", self.ids)], ["notice_id"], ["__count"]
            )
        )
        for notice in self:
            notice.line_count = counts.get(notice, 0)

    @api.model
    def _queue(self, recall):
        """One queued notice per customer of ``recall`` with open lines that
        no notice lists yet, each linked to its lines at once (so a second
        click finds nothing left to queue); returns how many were queued."""
        Line = self.env["serial.recall.line"]
        Line.flush_model()
        # a second click running at the same time waits here, then finds
        # the lines taken (or fails to serialize and is retried)
        self.env.cr.execute(
            SQL("SELECT id FROM serial_recall WHERE id = %s FOR NO KEY UPDATE", recall.id)
        )
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
        notices._attach_lines()
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

    def _attach_lines(self):
        """Link each notice to its customer's open lines that no notice lists
        yet, in one UPDATE for the batch."""
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
        customer, who gets it by email; the lines become notified. A notice
        that cannot be rendered or posted is marked failed with the error
        and the others go on: the job never stalls on one notice."""
        now = fields.Datetime.now()
        self._attach_lines()  # notices queued before lines were linked when queued
        without_email = self.filtered(lambda notice: not notice.partner_id.email)
        without_email.write(
            {"state": "failed", "failure_reason": self.env._("The customer has no email address.")}
        )
        for recall, notices in (self - without_email).grouped("recall_id").items():
            rendered, errors = notices._render_notices(recall.mail_template_id)
            sent = self.browse()
            for notice in notices - self.browse(list(errors)):
                try:
                    with self.env.cr.savepoint():
                        notice._post_notice(rendered, now)
                    sent |= notice
                except Exception as error:  # any failure is the notice's own
                    errors[notice.id] = _error_text(error)
            failed = self.browse(list(errors))
            for notice in failed:
                notice.write({"state": "failed", "failure_reason": errors[notice.id]})
            if sent:
                lines = sent.line_ids.filtered(lambda line: line.status == rules.OPEN)
                lines.sudo().write({"status": rules.NOTIFIED, "date_notified": now})
                recall.message_post(
                    body=self.env._(
                        "Recall notice emailed to %(customers)s.",
                        customers=", ".join(sent.partner_id.mapped("display_name")),
                    )
                )
            for notice in failed:
                recall.message_post(
                    body=self.env._(
                        "The recall notice to %(customer)s could not be sent: %(error)s",
                        customer=notice.partner_id.display_name,
                        error=notice.failure_reason,
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

    def _render_notices(self, template):
        """``({field: {notice id: value}}, {notice id: error})``: the
        template rendered for all the notices at once, or one by one when
        that fails, so that only the notices whose rendering fails are left
        out."""
        names = ("subject", "body_html", "email_from")
        try:
            with self.env.cr.savepoint():
                return {name: template._render_field(name, self.ids) for name in names}, {}
        except Exception as error:  # found out notice by notice below
            _logger.info("Recall notices %s rendered one by one: %s", self.ids, error)
        rendered, errors = {name: {} for name in names}, {}
        for notice in self:
            try:
                with self.env.cr.savepoint():
                    for name in names:
                        rendered[name].update(template._render_field(name, notice.ids))
            except Exception as error:  # any failure is the notice's own
                errors[notice.id] = _error_text(error)
        return rendered, errors

    def _post_notice(self, rendered, now):
        """Post the rendered notice on the customer (queued for the mail
        queue, not sent inside this transaction)."""
        self.ensure_one()
        partner = self.partner_id.sudo().with_context(mail_notify_force_send=False)
        message = partner.message_post(
            body=rendered["body_html"][self.id],
            subject=rendered["subject"][self.id],
            email_from=rendered["email_from"][self.id] or None,
            partner_ids=self.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            email_layout_xmlid="mail.mail_notification_light",
        )
        self.write({"state": "sent", "date_sent": now, "message_id": message.id})

    def action_retry(self):
        """Queue failed notices again (once the customer has an email)."""
        if not self.env.user.has_group("serialized_inventory.group_recall_manager"):
            raise AccessError(
                self.env._(
                    "Only recall managers can send recall notices again (%(customers)s).",
                    customers=", ".join(self.partner_id.mapped("display_name")),
                )
            )
        self.filtered(lambda notice: notice.state == "failed").write(
            {"state": "queued", "failure_reason": False}
        )
        self.env.ref("serialized_inventory.ir_cron_serial_recall_notices")._trigger()
        return True
