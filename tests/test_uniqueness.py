# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import threading
import time

from psycopg2 import errors as pg_errors

import odoo
from odoo.exceptions import ValidationError
from odoo.tests import BaseCase, tagged
from odoo.tools import mute_logger

from .common import SerialCommon


@tagged("post_install", "-at_install")
class TestUniqueness(SerialCommon):
    def test_duplicate_is_refused_with_the_names(self):
        self.env["stock.lot"].create({"name": "UQ-1", "product_id": self.product.id})
        with self.assertRaisesRegex(ValidationError, "SI Scanner.*UQ-1"):
            self.env["stock.lot"].create({"name": "UQ-1", "product_id": self.product.id})

    def test_duplicates_within_one_batch(self):
        with self.assertRaisesRegex(ValidationError, "UQ-2"):
            self.env["stock.lot"].create(
                [
                    {"name": "UQ-2", "product_id": self.product.id},
                    {"name": "UQ-2", "product_id": self.product.id},
                ]
            )

    def test_rename_onto_existing_serial(self):
        self.env["stock.lot"].create({"name": "UQ-3", "product_id": self.product.id})
        other = self.env["stock.lot"].create({"name": "UQ-4", "product_id": self.product.id})
        with self.assertRaises(ValidationError), mute_logger("odoo.sql_db"):
            other.name = "UQ-3"
        self.assertEqual(other.name, "UQ-4")

    def test_same_serial_in_other_company_or_product_is_fine(self):
        other_product = self.env["product.product"].create(
            {"name": "SI Scanner 2", "is_storable": True, "tracking": "serial"}
        )
        self.env["stock.lot"].create({"name": "UQ-5", "product_id": self.product.id})
        self.env["stock.lot"].create({"name": "UQ-5", "product_id": other_product.id})
        company_b = self.env["res.company"].create({"name": "SI Company B"})
        shared = self.env["product.product"].create(
            {"name": "SI Shared", "is_storable": True, "tracking": "serial", "company_id": False}
        )
        self.env["stock.lot"].create(
            {"name": "UQ-6", "product_id": shared.id, "company_id": self.env.company.id}
        )
        self.env["stock.lot"].create(
            {"name": "UQ-6", "product_id": shared.id, "company_id": company_b.id}
        )

    def test_database_enforces_uniqueness(self):
        """The index holds even for code that bypasses the ORM checks."""
        lot = self.env["stock.lot"].create({"name": "UQ-7", "product_id": self.product.id})
        self.env.flush_all()
        with self.assertRaises(pg_errors.UniqueViolation), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    "INSERT INTO stock_lot (name, product_id, company_id, lifecycle_state,"
                    " active) SELECT name, product_id, company_id, 'new', true"
                    " FROM stock_lot WHERE id = %s",
                    [lot.id],
                )


@tagged("post_install", "-at_install")
class TestUniquenessRace(BaseCase):
    """Two real transactions create the same serial at the same time: one
    commits, the other gets the named validation error (native Odoo 18
    commits both)."""

    def setUp(self):
        super().setUp()
        self.db = odoo.tests.get_db_name()
        with self._cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            self.product_id = (
                env["product.product"]
                .create({"name": "SI Race", "is_storable": True, "tracking": "serial"})
                .id
            )
        self.addCleanup(self._cleanup)

    def _cursor(self):
        return odoo.sql_db.db_connect(self.db).cursor()

    def _cleanup(self):
        with self._cursor() as cr:
            cr.execute("DELETE FROM stock_lot WHERE product_id = %s", [self.product_id])
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            env["product.product"].browse(self.product_id).product_tmpl_id.unlink()

    def test_concurrent_creation(self):
        first_inserted = threading.Event()
        results = {}

        def first():
            # leaving the cursor's block commits
            with self._cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                env["stock.lot"].create({"name": "RACE-1", "product_id": self.product_id})
                env.flush_all()
                first_inserted.set()
                # let the second transaction pass the ORM checks and block on
                # the index before this one commits
                second_waiting.wait(10)
                time.sleep(0.5)
            results["first"] = "committed"

        def second():
            first_inserted.wait(10)
            try:
                with self._cursor() as cr, mute_logger("odoo.sql_db"):
                    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                    # take the snapshot now: the first serial stays invisible to
                    # this transaction's ORM checks, only the index can catch it
                    cr.execute("SELECT 1")
                    second_waiting.set()
                    env["stock.lot"].create({"name": "RACE-1", "product_id": self.product_id})
                results["second"] = "committed"
            except ValidationError as error:
                results["second"] = str(error)

        second_waiting = threading.Event()
        threads = [threading.Thread(target=first), threading.Thread(target=second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        self.assertEqual(results.get("first"), "committed")
        self.assertIn("RACE-1", results.get("second", ""))
        self.assertIn("SI Race", results["second"])
        with self._cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM stock_lot WHERE product_id = %s AND name = 'RACE-1'",
                [self.product_id],
            )
            self.assertEqual(cr.fetchone()[0], 1)
