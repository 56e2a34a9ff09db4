# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL


class SerialFormatSequence(models.Model):
    """The next sequence number of a format rule, per product and period
    when the rule says so. Numbers are taken with one atomic UPSERT, so two
    users generating at once never get overlapping ranges, and a rolled back
    transaction gives its numbers back with the serials it did not create."""

    _name = "serial.format.sequence"
    _description = "Serial Format Sequence"

    rule_id = fields.Many2one("serial.format.rule", required=True, ondelete="cascade", index=True)
    product_id = fields.Many2one("product.product", ondelete="cascade")
    period = fields.Char(help="Empty, the year (2026) or the month (2026-11) of a reset period.")
    next_number = fields.Integer(required=True, default=1)

    _sql_constraints = [
        (
            "key_uniq",
            "unique nulls not distinct (rule_id, product_id, period)",
            "A format rule has one sequence per product and period.",
        ),
    ]

    @api.model
    def _take(self, rule, product, period, count):
        """Reserve ``count`` consecutive numbers and return the first, in one
        round trip."""
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO serial_format_sequence AS seq
                   (rule_id, product_id, period, next_number,
                    create_uid, create_date, write_uid, write_date)
            VALUES (%(rule)s, %(product)s, %(period)s, 1 + %(count)s,
                    %(uid)s, %(now)s, %(uid)s, %(now)s)
            ON CONFLICT ON CONSTRAINT serial_format_sequence_key_uniq
            DO UPDATE SET next_number = seq.next_number + %(count)s,
                          write_uid = %(uid)s, write_date = %(now)s
            RETURNING next_number - %(count)s
                """,
                rule=rule.id,
                product=product.id or None,
                period=period,
                count=count,
                uid=self.env.uid,
                now=self.env.cr.now(),
            )
        )
        self.invalidate_model(["next_number"])
        return self.env.cr.fetchone()[0]

    @api.model
    def _peek(self, rule, product, period):
        """The number ``_take`` would return next, without taking it."""
        self.env.cr.execute(
            SQL(
                """
            SELECT next_number FROM serial_format_sequence
             WHERE rule_id = %s AND product_id IS NOT DISTINCT FROM %s
               AND period IS NOT DISTINCT FROM %s
                """,
                rule.id,
                product.id or None,
                period,
            )
        )
        row = self.env.cr.fetchone()
        return row[0] if row else 1
