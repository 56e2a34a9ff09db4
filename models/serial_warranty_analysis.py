# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models, tools
from odoo.tools import SQL

from .serial_warranty_claim import COST_GROUP, COUNTED_STATES

# Ratio measures: the pivot and list views add the parts up before dividing.
RATIOS = {
    "claim_rate:avg": ("claim_count", "unit_count"),
    "cost_per_unit:avg": ("cost", "unit_count"),
}


class SerialWarrantyAnalysis(models.Model):
    """Failure analytics: one row per delivered unit and one per claim, so
    that any grouping (product, receipt batch, supplier, customer, month)
    gives units delivered, claims, claim rate, mean days from delivery to
    claim and cost per unit."""

    _name = "serial.warranty.analysis"
    _description = "Warranty Failure Analysis"
    _auto = False
    _order = "date desc"
    _rec_name = "lot_id"

    date = fields.Date(readonly=True, help="Delivery date of a unit, claim date of a claim.")
    row_type = fields.Selection(
        [("unit", "Delivered Unit"), ("claim", "Claim")], string="Row", readonly=True
    )
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    lot_id = fields.Many2one("stock.lot", string="Serial Number", readonly=True)
    receipt_id = fields.Many2one(
        "stock.picking",
        string="Receipt (Batch)",
        readonly=True,
        help="The receipt the serial first came in with: the supplier's batch.",
    )
    supplier_id = fields.Many2one(
        "res.partner", readonly=True, help="Partner of the serial's receipt."
    )
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    unit_count = fields.Integer(string="Units Delivered", readonly=True, aggregator="sum")
    claim_count = fields.Integer(string="Claims", readonly=True, aggregator="sum")
    claim_rate = fields.Float(readonly=True, aggregator="avg", help="Claims / units delivered.")
    days_to_claim = fields.Float(
        string="Days Delivery to Claim",
        readonly=True,
        aggregator="avg",
        help="Mean days from the delivery of the unit to the claim.",
    )
    currency_id = fields.Many2one("res.currency", readonly=True)
    cost = fields.Monetary(readonly=True, aggregator="sum", groups=COST_GROUP)
    cost_per_unit = fields.Monetary(
        readonly=True,
        aggregator="avg",
        groups=COST_GROUP,
        help="Cost of the claims / units delivered.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE VIEW %(table)s AS (
                WITH receipt AS (
                    SELECT DISTINCT ON (lot_id) lot_id, picking_id, partner_id
                      FROM serial_event
                     WHERE event_type = 'receipt'
                  ORDER BY lot_id, date, id
                ), row_ AS (
                    SELECT w.id * 2 AS id, 'unit' AS row_type, w.delivery_date AS date,
                           w.lot_id, w.product_id, w.partner_id, w.company_id,
                           1 AS unit_count, 0 AS claim_count, NULL::float AS days_to_claim,
                           0::numeric AS cost
                      FROM serial_warranty w
                     WHERE w.policy_type = 'standard'
                       AND COALESCE(w.start_source, '') NOT IN ('transfer', 'resumed')
                    UNION ALL
                    SELECT c.id * 2 + 1, 'claim', c.claim_date,
                           c.lot_id, c.product_id, c.commercial_partner_id, c.company_id,
                           0, 1, (c.claim_date - c.delivery_date)::float,
                           COALESCE(c.cost_company, 0)
                      FROM serial_warranty_claim c
                     WHERE c.state IN %(states)s AND c.product_id IS NOT NULL
                )
                SELECT row_.id, row_.row_type, row_.date, row_.lot_id, row_.product_id,
                       tmpl.categ_id, receipt.picking_id AS receipt_id,
                       receipt.partner_id AS supplier_id, row_.partner_id, row_.company_id,
                       company.currency_id, row_.unit_count, row_.claim_count,
                       row_.claim_count::float AS claim_rate, row_.days_to_claim, row_.cost,
                       row_.cost AS cost_per_unit
                  FROM row_
                  JOIN product_product product ON product.id = row_.product_id
                  JOIN product_template tmpl ON tmpl.id = product.product_tmpl_id
                  JOIN res_company company ON company.id = row_.company_id
             LEFT JOIN receipt ON receipt.lot_id = row_.lot_id
            )
                """,
                table=SQL.identifier(self._table),
                states=COUNTED_STATES,
            )
        )

    def _read_group_select(self, aggregate_spec, query):
        if aggregate_spec not in RATIOS:
            return super()._read_group_select(aggregate_spec, query)
        numerator, denominator = RATIOS[aggregate_spec]
        return SQL(
            "COALESCE(SUM(%s)::float / NULLIF(SUM(%s), 0), 0)",
            self._field_to_sql(self._table, numerator, query),
            self._field_to_sql(self._table, denominator, query),
        )
