# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Serial lookups are index scans: a btree on stock_lot.name for exact
lookups, and Odoo's trigram index for name_search once the database has
pg_trgm (which the project's PostgreSQL set-up creates)."""

from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from ..models.stock_lot import NAME_INDEX

ROWS = 20000
TRIGRAM_INDEX = "stock_lot__name_index"  # odoo.tools.sql.make_index_name


@tagged("post_install", "-at_install")
class TestLotLookupIndex(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        product = cls.env["product.product"].create(
            {"name": "SI Indexed", "is_storable": True, "tracking": "serial"}
        )
        cls.env.flush_all()
        cls.env.cr.execute(
            SQL(
                """
                INSERT INTO stock_lot (name, product_id, company_id, active, lifecycle_state,
                                       create_uid, create_date, write_uid, write_date)
                SELECT 'IX' || lpad(i::text, 8, '0'), %(product)s, %(company)s, true, 'new',
                       %(uid)s, now(), %(uid)s, now()
                  FROM generate_series(1, %(rows)s) i
                """,
                product=product.id,
                company=cls.env.company.id,
                uid=cls.env.uid,
                rows=ROWS,
            )
        )
        cls.env.cr.execute("ANALYZE stock_lot")

    def index_definition(self, name):
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'stock_lot' AND indexname = %s",
            [name],
        )
        row = self.env.cr.fetchone()
        return row and row[0]

    def plan(self, domain):
        """EXPLAIN of the query the ORM runs for ``domain`` (record rules included)."""
        query = self.env["stock.lot"]._search(domain)
        self.env.cr.execute(SQL("EXPLAIN %s", query.select()))
        return "\n".join(row[0] for row in self.env.cr.fetchall())

    def test_exact_lookup_is_an_index_scan(self):
        self.assertIn("USING btree (name)", self.index_definition(NAME_INDEX))
        plan = self.plan([("name", "=", "IX00012345")])
        self.assertIn(NAME_INDEX, plan)
        self.assertNotIn("Seq Scan on stock_lot", plan)
        self.assertEqual(
            self.env["stock.lot"].search([("name", "=", "IX00012345")]).name, "IX00012345"
        )

    def test_init_creates_the_index_on_upgrade(self):
        self.env.cr.execute(SQL("DROP INDEX %s", SQL.identifier(NAME_INDEX)))
        self.assertIsNone(self.index_definition(NAME_INDEX))
        self.env["stock.lot"].init()  # what -u runs
        self.assertIn("USING btree (name)", self.index_definition(NAME_INDEX))

    def test_name_search_uses_odoos_trigram_index(self):
        self.assertTrue(
            self.env.registry.has_trigram,
            "The database has no pg_trgm: create it (CREATE EXTENSION pg_trgm, see README) "
            "and update the addon so that Odoo adds its trigram index on stock_lot.name.",
        )
        self.assertIn("gin (name gin_trgm_ops)", self.index_definition(TRIGRAM_INDEX))
        plan = self.plan([("name", "ilike", "X00012345")])
        self.assertIn(TRIGRAM_INDEX, plan)
        self.assertNotIn("Seq Scan on stock_lot", plan)
