#!/usr/bin/env python3
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=print-used
"""The accountant's warranty report over many warranties and claims.

In one transaction on ``bench_addon``, rolled back at the end: W warranties of
serials of P products (states, dates and customers spread over three years)
and C claims (every state, costs on the resolved ones) are inserted with SQL
(not timed), then the warranty report wizard is timed: its figures alone, the
PDF (ReportLab report type, through ``ir.actions.report._render``) and the
XLSX (figures + workbook), fastest of K runs each. The figures are checked
against independent SQL counts. Native Odoo has no warranty: there is nothing
to compare with. See bench/README.md.
"""

import gc
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from bench_serial_flows import (
    ADDON,
    BenchError,
    check,
    common_parser,
    open_addon_database,
)

import odoo

REPORT = "serialized_inventory.action_report_warranty"
TARGET = 5.0  # seconds, for each of the PDF and the XLSX


def parse_args(argv=None):
    parser = common_parser(f"Benchmark the warranty report of {ADDON}.")
    parser.set_defaults(sizes="100000")
    parser.add_argument("--claims", type=int, default=10000, help="claims (10000)")
    parser.add_argument("--products", type=int, default=20, help="products (20)")
    parser.add_argument("--customers", type=int, default=500, help="customers (500)")
    parser.add_argument("--repeat", type=int, default=3, help="fastest of K runs (3)")
    parser.add_argument(
        "--delivery",
        type=int,
        default=10000,
        help="serials of the delivery whose warranties the ledger hook creates (10000)",
    )
    parser.add_argument(
        "--period-days",
        type=int,
        default=365,
        help="claims of the last N days are listed one by one in the report (365; the "
        "claims span three years: 1100 lists every one)",
    )
    args = parser.parse_args(argv)
    args.sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    return args


def populate(env, warranties, claims, args, today):
    """Insert the dataset with set-based SQL; return the report's wizard."""
    cr = env.cr
    policy = env["serial.warranty.policy"].create({"name": "Bench 24 months", "duration": 24})
    product_ids = (
        env["product.product"]
        .create(
            [
                {
                    "name": f"Bench Warranty Product {index:02d}",
                    "is_storable": True,
                    "tracking": "serial",
                    "warranty_policy_id": policy.id,
                }
                for index in range(args.products)
            ]
        )
        .ids
    )
    partner_ids = (
        env["res.partner"]
        .create([{"name": f"Bench Customer {index}"} for index in range(args.customers)])
        .ids
    )
    company = env.company
    env.flush_all()
    params = {
        "products": product_ids,
        "partners": partner_ids,
        "company": company.id,
        "currency": company.currency_id.id,
        "policy": policy.id,
        "uid": env.uid,
        "today": today,
        "n": warranties,
        "claims": claims,
        "lots": [],
    }
    cr.execute(
        """
        INSERT INTO stock_lot (name, product_id, company_id, active, lifecycle_state,
                               create_uid, create_date, write_uid, write_date)
        SELECT 'BW' || lpad(i::text, 8, '0'),
               (%(products)s::int[])[1 + i %% cardinality(%(products)s::int[])],
               %(company)s, true, 'delivered', %(uid)s, now(), %(uid)s, now()
          FROM generate_series(1, %(n)s) i
        RETURNING id
        """,
        params,
    )
    params["lots"] = [row[0] for row in cr.fetchall()]
    # delivered over the last three years with 24-month terms: about two
    # thirds in force; every 20th returned 30 days after delivery (void)
    cr.execute(
        """
        INSERT INTO serial_warranty (lot_id, product_id, company_id, partner_id, policy_id,
                                     policy_type, state, delivery_date, start_date, end_date,
                                     closed_date, start_source,
                                     create_uid, create_date, write_uid, write_date)
        SELECT lot.id, lot.product_id, %(company)s,
               (%(partners)s::int[])[1 + lot.i %% cardinality(%(partners)s::int[])],
               %(policy)s, 'standard',
               CASE WHEN lot.i %% 20 = 0 THEN 'void'
                    WHEN d.ends < %(today)s THEN 'expired' ELSE 'active' END,
               d.delivered, d.delivered, d.ends,
               CASE WHEN lot.i %% 20 = 0 THEN d.delivered + 30 END,
               'delivery', %(uid)s, now(), %(uid)s, now()
          FROM (SELECT id, product_id, row_number() OVER (ORDER BY id) AS i
                  FROM stock_lot WHERE id = ANY(%(lots)s)) lot,
               LATERAL (SELECT (%(today)s::date - (lot.i %% 1095)::int) AS delivered) d0,
               LATERAL (SELECT d0.delivered,
                               (d0.delivered + interval '24 months' - interval '1 day')::date
                               AS ends) d
        """,
        params,
    )
    cr.execute(
        """
        INSERT INTO serial_warranty_claim (name, serial_name, lot_id, product_id, partner_id,
                                           commercial_partner_id, claim_date, description,
                                           state, resolution, company_id, currency_id, cost,
                                           cost_company, resolved_date, delivery_date,
                                           check_blocking, warranty_id,
                                           create_uid, create_date, write_uid, write_date)
        SELECT 'WCL/BENCH/' || j, lot.name, w.lot_id, w.product_id, w.partner_id,
               w.partner_id, c.claim_date, 'Bench claim',
               s.state, CASE WHEN s.state = 'resolved' THEN 'repair' END,
               %(company)s, %(currency)s,
               CASE WHEN s.state = 'resolved' THEN 20 + j %% 180 ELSE 0 END,
               CASE WHEN s.state = 'resolved' THEN 20 + j %% 180 ELSE 0 END,
               CASE WHEN s.state = 'resolved' THEN c.claim_date + 7 END,
               w.delivery_date, false, w.id,
               %(uid)s, now(), %(uid)s, now()
          FROM generate_series(1, %(claims)s) j
          JOIN serial_warranty w
            ON w.lot_id = (%(lots)s::int[])[1 + (j * 7) %% cardinality(%(lots)s::int[])]
          JOIN stock_lot lot ON lot.id = w.lot_id,
               LATERAL (SELECT LEAST(w.delivery_date + 1 + j %% 300, %(today)s::date)
                               AS claim_date) c,
               LATERAL (SELECT (ARRAY['submitted', 'approved', 'resolved', 'resolved',
                                      'resolved', 'rejected', 'draft', 'cancelled'])
                               [1 + j %% 8] AS state) s
        """,
        params,
    )
    cr.execute("ANALYZE stock_lot, serial_warranty, serial_warranty_claim")
    env.invalidate_all()
    return env["serial.warranty.report.wizard"].create(
        {
            "date": today,
            "date_from": today - timedelta(days=args.period_days),
            "date_to": today,
        }
    )


def expected_counts(env, wizard):
    """Independent SQL figures the report must agree with."""
    cr = env.cr
    day = wizard.date
    cr.execute(
        """
        SELECT count(*) FROM serial_warranty
         WHERE company_id = %s AND state != 'pending' AND start_date <= %s AND end_date >= %s
           AND (closed_date IS NULL OR closed_date > %s)
        """,
        [wizard.company_id.id, day, day, day],
    )
    in_force = cr.fetchone()[0]
    cr.execute(
        """
        SELECT count(*), COALESCE(sum(cost_company), 0) FROM serial_warranty_claim
         WHERE company_id = %s AND state NOT IN ('draft', 'cancelled')
           AND claim_date BETWEEN %s AND %s
        """,
        [wizard.company_id.id, wizard.date_from, wizard.date_to],
    )
    claims, cost = cr.fetchone()
    return in_force, claims, float(cost)


def measure_delivery_hook(env, size, today):
    """The warranties of a delivery of ``size`` serials, as the ledger hook
    creates them after the move is done (the delivery events inserted with
    SQL, the hook timed once: it creates them)."""
    cr = env.cr
    product = env["product.product"].search([("name", "=", "Bench Warranty Product 00")])
    customer = env["res.partner"].create({"name": "Bench Delivery Customer"})
    env.flush_all()
    cr.execute(
        """
        WITH lot AS (
            INSERT INTO stock_lot (name, product_id, company_id, active, lifecycle_state,
                                   create_uid, create_date, write_uid, write_date)
            SELECT 'BD' || lpad(i::text, 8, '0'), %(product)s, %(company)s, true, 'delivered',
                   %(uid)s, now(), %(uid)s, now()
              FROM generate_series(1, %(size)s) i
         RETURNING id
        )
        INSERT INTO serial_event (lot_id, product_id, date, event_type, lifecycle_state,
                                  partner_id, company_id, create_uid, create_date, write_uid,
                                  write_date)
        SELECT lot.id, %(product)s, %(now)s, 'delivery', 'delivered', %(customer)s,
               %(company)s, %(uid)s, now(), %(uid)s, now()
          FROM lot
        RETURNING id
        """,
        {
            "product": product.id,
            "company": env.company.id,
            "uid": env.uid,
            "size": size,
            "customer": customer.id,
            "now": odoo.fields.Datetime.to_datetime(today),
        },
    )
    events = env["serial.event"].browse([row[0] for row in cr.fetchall()])
    env.invalidate_all()
    gc.collect()
    queries = cr.sql_log_count
    started = time.perf_counter()
    created = env["serial.warranty"]._sync_from_serial_events(events)
    env.flush_all()
    seconds = time.perf_counter() - started
    check(len(created) == size, f"the hook created {len(created)} warranties, not {size}")
    return (
        f"delivery hook: warranties of {size:,} delivered serials",
        seconds,
        cr.sql_log_count - queries,
        "",
        "",
    )


def timed(env, function, repeat):
    best, result = None, None
    for _attempt in range(repeat):
        env.invalidate_all()
        gc.collect()
        queries = env.cr.sql_log_count
        started = time.perf_counter()
        result = function()
        seconds = time.perf_counter() - started
        if best is None or seconds < best[0]:
            best = (seconds, env.cr.sql_log_count - queries)
    return best, result


def measure(registry, warranties, claims, args):
    with registry.cursor() as cr:
        try:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            today = date.today()
            started = time.perf_counter()
            wizard = populate(env, warranties, claims, args, today)
            print(f"  inserted in {time.perf_counter() - started:.1f} s", flush=True)
            in_force, period_claims, period_cost = expected_counts(env, wizard)
            rows = []
            (seconds, queries), report = timed(env, wizard._report, args.repeat)
            in_force_table, period_table, provision_table, detail = report.tables
            check(in_force_table.totals[1] == in_force, "warranties in force differ from SQL")
            check(period_table.totals[1] == period_claims, "claims of the period differ")
            check(abs(period_table.totals[2] - period_cost) < 0.01, "claim costs differ")
            check(len(detail.rows) == period_claims, "claim detail rows differ")
            rows.append(("figures (`_report`)", seconds, queries, "", ""))
            (seconds, queries), (pdf, _kind) = timed(
                env,
                lambda: env["ir.actions.report"]._render(REPORT, wizard.ids),
                args.repeat,
            )
            check(pdf.startswith(b"%PDF"), "no PDF")
            rows.append(("PDF (figures + ReportLab)", seconds, queries, f"{len(pdf):,}", ""))
            (seconds, queries), _action = timed(env, wizard.action_export_xlsx, args.repeat)
            xlsx = wizard.xlsx_attachment_id.raw
            check(xlsx[:2] == b"PK", "no XLSX")
            rows.append(("XLSX (figures + xlsxwriter)", seconds, queries, f"{len(xlsx):,}", ""))
            rows.append(measure_delivery_hook(env, args.delivery, today))
            summary = (
                f"{in_force:,} warranties in force, {period_claims:,} claims in the period, "
                f"provision {provision_table.totals[-1]:,.2f}"
            )
            return rows, summary
        finally:
            cr.rollback()


def main(argv=None):
    args = parse_args(argv)
    addon, env_lines = open_addon_database(args)
    lines = [
        f"## Warranty report of `{ADDON}` (no native Odoo equivalent to compare with)",
        "",
        *env_lines,
        f"- Fastest of {args.repeat} runs; data inserted with SQL in one transaction, "
        "rolled back; target: PDF and XLSX each at most "
        f"{TARGET:.0f} s",
        "",
        "| warranties | claims | step | s | queries | bytes | target |",
        "|---:|---:|---|---:|---:|---:|---|",
    ]
    failed = False
    try:
        for size in args.sizes:
            print(f"W={size}, C={args.claims}...", flush=True)
            rows, summary = measure(addon, size, args.claims, args)
            for step, seconds, queries, size_bytes, _note in rows:
                target = ""
                if step.startswith(("PDF", "XLSX")):
                    ok = seconds <= TARGET
                    failed |= not ok
                    target = "met" if ok else "MISSED"
                lines.append(
                    f"| {size:,} | {args.claims:,} | {step} | {seconds:.2f} | {queries} "
                    f"| {size_bytes} | {target} |"
                )
            lines.append(f"\n- W={size:,}: {summary}")
    except BenchError as error:
        print(f"\nERROR: {error}", file=sys.stderr)
        return 1
    text = "\n".join(lines)
    print("\n" + text, flush=True)
    if args.output:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
