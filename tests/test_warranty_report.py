# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The warranty report and the failure analytics on a dataset whose figures
are computed by hand in the docstring of ``setUpClass``."""

import io
from datetime import date

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import WarrantyCommon
from .pdf_tools import pdf_text

REPORT = "serialized_inventory.action_report_warranty"


@tagged("post_install", "-at_install")
class TestWarrantyReport(WarrantyCommon):
    @classmethod
    def setUpClass(cls):
        """SI Scanner, 12 months: A1-A5 delivered on 2025-01-15 (until
        2026-01-14), A6 on 2025-03-01 to another customer (until 2026-02-28),
        A5 returned on 2025-06-01 (void). SI Router, 6 months: B1-B4 delivered
        on 2025-07-01 (until 2025-12-31).

        Claims: A1 2025-04-01 resolved 100, A2 2025-05-01 resolved 50, A3
        2025-11-15 submitted, B1 2025-11-20 resolved 30, B2 2025-11-25
        rejected, A4 2025-11-26 draft.

        At 2025-12-01, claims of November:
        - Scanner: in force A1-A4, A6 = 5; expiring within 30 days 0, 60
          days 4, 90 days 5; delivered 6; claims 3 (rate 0.5); resolved 2
          costing 150 (average 75); provision 5 x 0.5 x 75 = 187.5; November:
          1 claim (A3), cost 0.
        - Router: in force 4, expiring within 30/60/90 days 4; delivered 4;
          claims 1 (rate 0.25); resolved 1 costing 30; provision 4 x 0.25 x
          30 = 30; November: 2 claims (B1, B2), cost 30.
        - Totals: 9 in force, provision 217.5, 3 claims in November costing 30.
        """
        super().setUpClass()
        six_months = cls.env["serial.warranty.policy"].create(
            {"name": "SI 6 months", "duration": 6}
        )
        cls.router = cls.env["product.product"].create(
            {
                "name": "SI Router",
                "is_storable": True,
                "tracking": "serial",
                "warranty_policy_id": six_months.id,
            }
        )
        with freeze_time("2025-01-10 09:00:00"):
            _receipt, cls.a = cls.receive([f"A{i}" for i in range(1, 7)])
            _receipt, cls.b = cls.receive([f"B{i}" for i in range(1, 5)], product=cls.router)
        with freeze_time("2025-01-15 09:00:00"):
            delivery = cls.deliver(cls.a[:5])
        with freeze_time("2025-03-01 09:00:00"):
            cls.deliver(cls.a[5], partner=cls.other_customer)
        with freeze_time("2025-06-01 09:00:00"):
            cls.return_picking(delivery, cls.a[4])
        with freeze_time("2025-07-01 09:00:00"):
            cls.deliver(cls.b)
        cls.claims = {}
        for key, lot, day, cost, end in [
            ("c1", cls.a[0], "2025-04-01", 100, "resolved"),
            ("c2", cls.a[1], "2025-05-01", 50, "resolved"),
            ("c3", cls.a[2], "2025-11-15", 0, "submitted"),
            ("c4", cls.b[0], "2025-11-20", 30, "resolved"),
            ("c5", cls.b[1], "2025-11-25", 0, "rejected"),
            ("c6", cls.a[3], "2025-11-26", 0, "draft"),
        ]:
            claim = cls.env["serial.warranty.claim"].create(
                {
                    "serial_name": lot.name,
                    "partner_id": cls.customer.id,
                    "claim_date": day,
                    "description": "Broken",
                    "cost": cost,
                }
            )
            cls.claims[key] = claim
            if end == "draft":
                continue
            claim.action_submit()
            assert not claim.check_blocking, claim.check_ids.mapped("reason")
            if end == "rejected":
                claim.action_reject()
            elif end == "resolved":
                claim.action_approve()
                claim.resolution = "repair"
                with freeze_time(day):
                    claim.action_resolve()
        cls.accountant = new_test_user(
            cls.env,
            "si_report_accountant",
            groups="stock.group_stock_user,serialized_inventory.group_warranty_accountant",
        )
        cls.user = new_test_user(cls.env, "si_report_user", groups="stock.group_stock_user")

    def wizard(self, **values):
        return (
            self.env["serial.warranty.report.wizard"]
            .with_user(self.accountant)
            .create(
                dict(
                    {
                        "date": "2025-12-01",
                        "date_from": "2025-11-01",
                        "date_to": "2025-11-30",
                    },
                    **values,
                )
            )
        )

    def test_figures_per_product(self):
        figures = {
            product.name: (dict(values), provision)
            for product, values, provision in self.wizard()._figures()
        }
        self.assertEqual(set(figures), {"SI Scanner", "SI Router"})
        scanner, scanner_provision = figures["SI Scanner"]
        router, router_provision = figures["SI Router"]
        self.assertEqual(
            {key: scanner.get(key, 0) for key in ("in_force", "units", "exp30", "exp60", "exp90")},
            {"in_force": 5, "units": 5, "exp30": 0, "exp60": 4, "exp90": 5},
        )
        self.assertEqual(
            (
                scanner["delivered"],
                scanner["claims"],
                scanner["resolved"],
                scanner["resolved_cost"],
            ),
            (6, 3, 2, 150),
        )
        self.assertEqual(scanner_provision.claim_rate, 0.5)
        self.assertEqual(scanner_provision.average_cost, 75)
        self.assertEqual(scanner_provision.provision, 187.5)
        self.assertEqual((scanner["period_claims"], scanner["period_cost"]), (1, 0))
        self.assertEqual(
            {key: router.get(key, 0) for key in ("in_force", "exp30", "exp60", "exp90")},
            {"in_force": 4, "exp30": 4, "exp60": 4, "exp90": 4},
        )
        self.assertEqual(router_provision.claim_rate, 0.25)
        self.assertEqual(router_provision.provision, 30)
        self.assertEqual((router["period_claims"], router["period_cost"]), (2, 30))

    def test_totals_reconcile_with_the_list_views(self):
        wizard = self.wizard()
        report = wizard._report()
        in_force, period, provision, detail = report.tables
        self.assertEqual(in_force.totals, ["Total", 9, 9, 4, 8, 9])
        self.assertEqual(period.totals, ["Total", 3, 30])
        self.assertEqual(provision.totals[-1], 217.5)
        self.assertEqual(len(detail.rows), 3)
        # what the buttons open is what the report counts
        action = wizard.action_open_in_force()
        self.assertEqual(action["res_model"], "serial.warranty")
        Warranty = self.env["serial.warranty"].with_user(self.accountant)
        self.assertEqual(Warranty.search_count(action["domain"]), 9)
        for days, expected in ((30, 4), (60, 8), (90, 9)):
            self.assertEqual(
                Warranty.search_count(wizard._warranty_domain_expiring(days)), expected
            )
        action = wizard.action_open_claims()
        claims = (
            self.env["serial.warranty.claim"].with_user(self.accountant).search(action["domain"])
        )
        self.assertEqual(claims, self.claims["c3"] | self.claims["c4"] | self.claims["c5"])
        self.assertEqual(sum(claims.mapped("cost_company")), period.totals[2])
        # the list's "In Force Today" filter is the same domain, at today
        with freeze_time("2025-12-01"):
            today = self.wizard(date="2025-12-01")
            filter_domain = Warranty._domain_in_force(date(2025, 12, 1))
            self.assertEqual(Warranty.search_count(filter_domain + today._product_domain()), 9)

    def test_filters(self):
        self.assertEqual(
            [p.name for p, _v, _p in self.wizard(product_ids=[self.router.id])._figures()],
            ["SI Router"],
        )
        self.assertEqual(
            [p.name for p, _v, _p in self.wizard(categ_ids=[self.category.id])._figures()],
            ["SI Scanner"],
        )
        other_company = self.env["res.company"].create({"name": "SI Other Company"})
        self.accountant.company_ids |= other_company
        self.assertFalse(self.wizard(company_id=other_company.id)._figures())
        # a later date: the Router warranties have expired
        later = {p.name: v for p, v, _p in self.wizard(date="2026-01-01")._figures()}
        self.assertEqual(later["SI Router"].get("in_force", 0), 0)
        self.assertEqual(later["SI Scanner"]["in_force"], 5)

    def test_xlsx_read_back(self):
        wizard = self.wizard()
        action = wizard.action_export_xlsx()
        attachment = wizard.xlsx_attachment_id
        self.assertEqual(action["url"], f"/web/content/{attachment.id}?download=true")
        self.assertTrue(attachment.name.endswith(".xlsx"))
        self.assertEqual((attachment.res_model, attachment.res_id), (wizard._name, wizard.id))
        book = openpyxl.load_workbook(io.BytesIO(attachment.raw))
        self.assertEqual(book.sheetnames, ["Summary", "Claims", "Method"])
        rows = list(book["Summary"].iter_rows(values_only=True))
        self.assertEqual(rows[0][0], "Warranty Report")

        def table(title):
            start = next(i for i, row in enumerate(rows) if row[0] == title)
            end = next(i for i in range(start, len(rows)) if rows[i][0] == "Total")
            return rows[start + 1], rows[start + 2 : end + 1]

        header, body = table("Provision at 2025-12-01")
        self.assertEqual(
            header[:8],
            (
                "Product",
                "Units under Warranty",
                "Units Delivered",
                "Claims",
                "Claim Rate",
                "Resolved Claims",
                "Average Claim Cost",
                "Provision",
            ),
        )
        self.assertEqual(
            [row[:8] for row in body],
            [
                ("SI Router", 4, 4, 1, 0.25, 1, 30, 30),
                ("SI Scanner", 5, 6, 3, 0.5, 2, 75, 187.5),
                ("Total", 9, 10, 4, None, 3, None, 217.5),
            ],
        )
        _header, body = table("Warranties in force at 2025-12-01")
        self.assertEqual(body[-1][:6], ("Total", 9, 9, 4, 8, 9))
        _header, body = table("Claims from 2025-11-01 to 2025-11-30")
        self.assertEqual(body[-1][:3], ("Total", 3, 30))
        claims = list(book["Claims"].iter_rows(values_only=True))
        detail = [row for row in claims if row[0] and str(row[0]).startswith("WCL/")]
        self.assertEqual(
            [(row[1].date(), row[2], row[5], row[7]) for row in detail],
            [
                (date(2025, 11, 15), "A3", "Submitted", 0),
                (date(2025, 11, 20), "B1", "Resolved", 30),
                (date(2025, 11, 25), "B2", "Rejected", 0),
            ],
        )
        method = "\n".join(row[0] or "" for row in book["Method"].iter_rows(values_only=True))
        self.assertIn("Provision = units under warranty x claim rate x average claim cost", method)

    def test_pdf(self):
        wizard = self.wizard()
        action = wizard.action_print_pdf()
        self.assertEqual(action["report_type"], "reportlab-pdf")
        pdf, kind = (
            self.env["ir.actions.report"].with_user(self.accountant)._render(REPORT, wizard.ids)
        )
        self.assertEqual(kind, "pdf")
        text = " ".join(pdf_text(pdf).split())
        for expected in (
            "Warranty Report",
            "Provision at 2025-12-01",
            "SI Scanner 5 6 3 0.5000 2 $ 75.00 $ 187.50",
            "Total 9 10 4 3",
            "$ 217.50",
            "Provision = units under warranty x claim rate x average claim cost",
            "Claims of the period, one by one",
            f"{self.claims['c4'].name} 2025-11-20 B1 SI Router SI Customer Resolved",
            "Repair $ 30.00",
        ):
            self.assertIn(expected, text)

    def test_report_needs_the_cost_group(self):
        with self.assertRaises(AccessError):
            self.env["serial.warranty.report.wizard"].with_user(self.user).create(
                {"date": "2025-12-01"}
            )

    def test_failure_analysis(self):
        Analysis = self.env["serial.warranty.analysis"].with_user(self.accountant)
        self.env.flush_all()
        mine = [("product_id", "in", (self.product | self.router).ids)]
        groups = Analysis.read_group(
            mine,
            [
                "unit_count:sum",
                "claim_count:sum",
                "claim_rate:avg",
                "days_to_claim:avg",
                "cost:sum",
                "cost_per_unit:avg",
            ],
            ["product_id"],
        )
        by_product = {group["product_id"][1]: group for group in groups}
        scanner, router = by_product["SI Scanner"], by_product["SI Router"]
        self.assertEqual((scanner["unit_count"], scanner["claim_count"]), (6, 3))
        self.assertAlmostEqual(scanner["claim_rate"], 0.5)
        self.assertAlmostEqual(scanner["cost"], 150)
        self.assertAlmostEqual(scanner["cost_per_unit"], 25)
        # (76 + 106 + 304) / 3 days from delivery to claim
        self.assertAlmostEqual(scanner["days_to_claim"], 162)
        self.assertEqual((router["unit_count"], router["claim_count"]), (4, 1))
        self.assertAlmostEqual(router["claim_rate"], 0.25)
        self.assertAlmostEqual(router["cost_per_unit"], 7.5)
        self.assertAlmostEqual(router["days_to_claim"], 142)
        # by supplier (the partner of the serials' receipt) and receipt batch
        [supplier] = Analysis.read_group(
            mine, ["unit_count:sum", "claim_count:sum", "claim_rate:avg"], ["supplier_id"]
        )
        self.assertEqual(supplier["supplier_id"][0], self.vendor.id)
        self.assertAlmostEqual(supplier["claim_rate"], 0.4)
        batches = Analysis.read_group(mine, ["claim_rate:avg"], ["receipt_id"])
        self.assertEqual(sorted(round(group["claim_rate"], 4) for group in batches), [0.25, 0.5])
        # users outside the cost group get the counts, not the costs
        user_view = self.env["serial.warranty.analysis"].with_user(self.user)
        self.assertTrue(user_view.read_group(mine, ["claim_count:sum"], ["product_id"]))
        with self.assertRaises(AccessError):
            user_view.read_group(mine, ["cost:sum"], ["product_id"])


@tagged("post_install", "-at_install")
class TestWarrantyReportDownload(HttpCase):
    """The wizard's buttons as the web client follows them."""

    def test_xlsx_and_pdf_downloads(self):
        new_test_user(
            self.env,
            login="si_wr_accountant",
            groups="stock.group_stock_user,serialized_inventory.group_warranty_accountant",
        )
        self.authenticate("si_wr_accountant", "si_wr_accountant")

        def call(method, args):
            return self.make_jsonrpc_request(
                f"/web/dataset/call_kw/serial.warranty.report.wizard/{method}",
                {
                    "model": "serial.warranty.report.wizard",
                    "method": method,
                    "args": args,
                    "kwargs": {},
                },
            )

        wizard_id = call("create", [{"date": "2025-12-01"}])
        action = call("action_export_xlsx", [[wizard_id]])
        self.assertEqual(action["type"], "ir.actions.act_url")
        response = self.url_open(action["url"])
        self.assertEqual(response.status_code, 200)
        self.assertIn(".xlsx", response.headers["Content-Disposition"])
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        self.assertEqual(book["Summary"]["A1"].value, "Warranty Report")
        action = call("action_print_pdf", [[wizard_id]])
        self.assertEqual(action["report_type"], "reportlab-pdf")
        response = self.url_open(f"/report/pdf/{action['report_name']}/{wizard_id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Warranty Report", pdf_text(response.content))
