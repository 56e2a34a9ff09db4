# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import functools
import threading
import time

from psycopg2 import errors as pg_errors

import odoo
from odoo.exceptions import ValidationError
from odoo.tests import BaseCase, tagged
from odoo.tools import SQL, mute_logger

from ..models.stock_lot import UNIQUE_CONSTRAINT
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

    def test_duplicates_already_in_the_database_are_listed(self):
        """Installing or updating over a database that holds duplicates logs
        them as an error, rather than Odoo's bare "unable to add constraint"."""
        shared = self.env["product.product"].create(
            {"name": "SI Shared", "is_storable": True, "tracking": "serial", "company_id": False}
        )
        self.env["stock.lot"].create(
            [
                {"name": "UQ-8", "product_id": shared.id, "company_id": self.env.company.id},
                {"name": "UQ-9", "product_id": self.product.id},
            ]
        )
        self.env.flush_all()
        insert = (
            "INSERT INTO stock_lot (name, product_id, company_id, lifecycle_state, active)"
            " VALUES (%s, %s, %s, 'new', true)"
        )
        # a serial without a company beside the company's: the index lets it in
        self.env.cr.execute(insert, ["UQ-8", shared.id, None])
        with self.assertLogs("odoo.addons.serialized_inventory.models.stock_lot", "ERROR") as logs:
            self.env["stock.lot"].init()
        self.assertIn("Product: SI Shared", logs.output[0])
        self.assertIn("Serial: UQ-8", logs.output[0])
        self.assertNotIn("could not be created", logs.output[0])
        # twice in the company: the index could not have been created
        self.env.cr.execute(
            SQL(
                "ALTER TABLE stock_lot DROP CONSTRAINT %s",
                SQL.identifier(f"stock_lot_{UNIQUE_CONSTRAINT}"),
            )
        )
        self.env.cr.execute(insert, ["UQ-9", self.product.id, self.env.company.id])
        with self.assertLogs("odoo.addons.serialized_inventory.models.stock_lot", "ERROR") as logs:
            self.env["stock.lot"].init()
        self.assertIn(
            "unique index stock_lot_serial_product_company_uniq could not be", logs.output[0]
        )
        self.assertIn("Product: SI Shared", logs.output[0])
        self.assertRegex(logs.output[0], r"Product: SI Scanner \(id \d+\), Serial: UQ-9")


@tagged("post_install", "-at_install")
class TestUniquenessRace(BaseCase):
    """Two real transactions create clashing serials at the same time: one
    commits, the other is refused with the named validation error (native
    Odoo 18 commits both). For the unique index's own key the index refuses;
    for the clashes only Python can judge (a serial without a company, a
    format rule's company-wide or global scope) the serial's claim makes the
    second transaction fail, and Odoo's retry of the request then refuses it
    by name."""

    def setUp(self):
        super().setUp()
        self.db = odoo.tests.get_db_name()
        with self._cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            products = env["product.product"].create(
                [
                    {"name": name, "is_storable": True, "tracking": "serial"}
                    for name in ("SI Race", "SI Race Twin")
                ]
            )
            products[1].company_id = env.company
            self.product_id, self.twin_id = products.ids
            self.company_id = env.company.id
            self.rule_id = (
                env["serial.format.rule"]
                .create({"name": "SI Race Rule", "template": "RACE-{seq:1}", "mode": "validate"})
                .id
            )
        self.addCleanup(self._cleanup)

    def _cursor(self):
        return odoo.sql_db.db_connect(self.db).cursor()

    def _cleanup(self):
        with self._cursor() as cr:
            products = [self.product_id, self.twin_id]
            cr.execute("DELETE FROM stock_lot WHERE product_id = ANY(%s)", [products])
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            env["product.product"].browse(products).product_tmpl_id.unlink()
            env["serial.format.rule"].browse(self.rule_id).unlink()

    def _set_scope(self, scope):
        with self._cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            env["serial.format.rule"].browse(self.rule_id).uniqueness_scope = scope
            env["product.product"].browse([self.product_id, self.twin_id]).write(
                {"serial_format_rule_id": self.rule_id}
            )

    @staticmethod
    def _run_together(*targets):
        """Run each target in its own thread, as concurrent requests."""
        threads = [threading.Thread(target=target) for target in targets]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)

    def _race(self, first_vals, second_vals, retry=True):
        """Create ``first_vals`` and ``second_vals`` in two transactions at
        once, the second one's checks blind to the first: what became of the
        second (``"committed"`` or the error), and the serials committed."""
        first_inserted = threading.Event()
        second_waiting = threading.Event()
        results = {}

        def first():
            # leaving the cursor's block commits
            with self._cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                env["stock.lot"].create(first_vals)
                env.flush_all()
                first_inserted.set()
                # let the second transaction pass the ORM checks and block
                # before this one commits
                second_waiting.wait(10)
                time.sleep(0.5)
            results["first"] = "committed"

        def second():
            first_inserted.wait(10)
            try:
                with self._cursor() as cr, mute_logger("odoo.sql_db", "odoo.service.model"):
                    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                    # take the snapshot now: the first serial stays invisible to
                    # this transaction's ORM checks
                    cr.execute("SELECT 1")
                    second_waiting.set()
                    create = functools.partial(env["stock.lot"].create, second_vals)
                    # as Odoo runs an RPC or HTTP request
                    odoo.service.model.retrying(create, env) if retry else create()
                results["second"] = "committed"
            except ValidationError as error:
                results["second"] = str(error)

        self._run_together(first, second)
        self.assertEqual(results.get("first"), "committed")
        with self._cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM stock_lot WHERE name = %s AND product_id = ANY(%s)",
                [first_vals["name"], [self.product_id, self.twin_id]],
            )
            return results.get("second", ""), cr.fetchone()[0]

    def test_concurrent_creation(self):
        """The unique index refuses, without even a retry."""
        second, count = self._race(
            {"name": "RACE-1", "product_id": self.product_id},
            {"name": "RACE-1", "product_id": self.product_id},
            retry=False,
        )
        self.assertIn("RACE-1", second)
        self.assertIn("SI Race", second)
        self.assertEqual(count, 1)

    def test_concurrent_serial_without_and_with_company(self):
        second, count = self._race(
            {"name": "RACE-2", "product_id": self.product_id, "company_id": False},
            {"name": "RACE-2", "product_id": self.product_id, "company_id": self.company_id},
        )
        self.assertRegex(second, r"Product: SI Race, Serial: RACE-2")
        self.assertEqual(count, 1)

    def test_concurrent_company_scope(self):
        self._set_scope("company")
        second, count = self._race(
            {"name": "RACE-3", "product_id": self.product_id, "company_id": self.company_id},
            {"name": "RACE-3", "product_id": self.twin_id},
        )
        self.assertRegex(
            second, r"RACE-3 of SI Race Twin is already used by SI Race: .*the company's"
        )
        self.assertEqual(count, 1)

    def test_concurrent_global_scope(self):
        self._set_scope("global")
        second, count = self._race(
            {"name": "RACE-4", "product_id": self.twin_id},
            {"name": "RACE-4", "product_id": self.product_id, "company_id": False},
        )
        self.assertRegex(
            second, r"RACE-4 of SI Race is already used by SI Race Twin: .*all products"
        )
        self.assertEqual(count, 1)

    def test_concurrent_rename(self):
        """A rename claims the new name too."""
        with self._cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            lot_id = env["stock.lot"].create({"name": "RACE-5-OLD", "product_id": self.twin_id}).id
        self._set_scope("global")
        first_renamed = threading.Event()
        results = {}

        def first():
            with self._cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                env["stock.lot"].browse(lot_id).name = "RACE-5"
                env.flush_all()
                first_renamed.set()
                time.sleep(1)

        def second():
            with self._cursor() as cr, mute_logger("odoo.sql_db", "odoo.service.model"):
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                cr.execute("SELECT 1")
                first_renamed.wait(10)
                create = functools.partial(
                    env["stock.lot"].create, {"name": "RACE-5", "product_id": self.product_id}
                )
                try:
                    odoo.service.model.retrying(create, env)
                    results["second"] = "committed"
                except ValidationError as error:
                    results["second"] = str(error)

        self._run_together(first, second)
        self.assertIn("RACE-5 of SI Race is already used by SI Race Twin", results["second"])
