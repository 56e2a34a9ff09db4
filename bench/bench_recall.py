#!/usr/bin/env python3
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=print-used
"""The recall wizard, campaign and customer notices over a large ledger.

In one transaction on ``bench_addon``, rolled back at the end: N serials of P
serial-tracked products and five ledger events each (receipts from S
suppliers, internal moves, deliveries to C customers, customer returns,
scraps, transits, returns to vendor, two-level productions whose moves share
a procurement group) are inserted with SQL (not timed). Then, fastest of K
runs each: the recall wizard's scope resolution and preview for six scopes,
the campaign made from the biggest one, its start and the notices of its
customers (the button, one batch of the scheduled action, all batches). The
affected serials and the mails are checked against independent SQL counts.
Native Odoo has no recall; the baseline is what it offers on the same data to
find who received serials (a ``stock.lot`` search and a ``_read_group`` of done
move lines to customers). See bench/README.md.
"""

import gc
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from bench_serial_flows import (
    ADDON,
    BenchError,
    check,
    common_parser,
    open_addon_database,
)

import odoo

TARGET = 2.0  # seconds, action_preview of any scope
NOTIFY_TARGET = 2.0  # seconds, the Notify Customers button
EVENTS_PER_SERIAL = 5
# day offsets of the five events of a serial from its base date
OFFSETS = (0, 1, 5, 10, 20)


def parse_args(argv=None):
    parser = common_parser(f"Benchmark the recall feature of {ADDON}.")
    parser.set_defaults(sizes="200000")
    parser.add_argument("--products", type=int, default=20, help="products (20)")
    parser.add_argument("--suppliers", type=int, default=50, help="suppliers (50)")
    parser.add_argument("--customers", type=int, default=1000, help="customers (1000)")
    parser.add_argument(
        "--listed", type=int, default=5000, help="serials of the pasted list (5000)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="fastest of K runs (3)")
    parser.add_argument(
        "--notice-batch", type=int, default=100, help="notices per scheduled run (100)"
    )
    args = parser.parse_args(argv)
    args.sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    check(all(size >= 1000 for size in args.sizes), "--sizes: at least 1000 serials")
    return args


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

# Serial i follows the path of category i % 20: five events, each
# (event type, state after, source, destination, partner, production move).
# Locations: sup(plier), stock, shelf, dock, cust(omer), scrap, transit, prod.
_R = ("receipt", "in_stock", "sup", "stock", "supplier", None)
_I1 = ("internal", "in_stock", "stock", "shelf", None, None)
_I2 = ("internal", "in_stock", "shelf", "stock", None, None)
_I3 = ("internal", "in_stock", "stock", "dock", None, None)
_I4 = ("internal", "in_stock", "dock", "shelf", None, None)
_D = ("delivery", "delivered", "dock", "cust", "customer", None)
_PRODUCED = ("production", "in_stock", "prod", "stock", None, "produce")
_CONSUMED = ("consumption", "consumed", "shelf", "prod", None, "consume")
PATHS = {
    "delivered": (_R, _I1, _I2, _I3, _D),
    "returned": (
        _R,
        _I3,
        _D,
        ("customer_return", "returned", "cust", "stock", "customer", None),
        ("internal", "returned", "stock", "shelf", None, None),
    ),
    "scrapped": (_R, _I1, _I2, _I1, ("scrap", "scrapped", "shelf", "scrap", None, None)),
    "in_transit": (_R, _I1, _I2, _I3, ("transit", "in_transit", "dock", "transit", None, None)),
    "consumed": (_R, _I1, _I2, _I1, _CONSUMED),  # its production makes serial i + 1
    "produced_consumed": (_PRODUCED, _I1, _I2, _I1, _CONSUMED),  # makes serial i + 1
    "produced_delivered": (_PRODUCED, _I1, _I2, _I3, _D),
    "vendor_returned": (
        _R,
        _I1,
        _I2,
        _I3,
        ("vendor_return", "vendor_returned", "dock", "sup", "supplier", None),
    ),
    "in_stock": (_R, _I1, _I2, _I3, _I4),
}
CATEGORIES = (
    ["delivered"] * 11
    + ["returned"] * 2
    + ["scrapped", "in_transit", "consumed", "produced_consumed", "produced_delivered"]
    + ["vendor_returned", "in_stock"]
)
# a produced serial's base date follows the consumption of serial i - 1
BASE_SHIFT = {"produced_consumed": 20, "produced_delivered": 40}


def locations(env):
    company = env.company
    warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
    Location = env["stock.location"]
    stock = warehouse.lot_stock_id
    shelf, dock = Location.create(
        [
            {"name": "Bench Shelf", "location_id": stock.id, "usage": "internal"},
            {"name": "Bench Dock", "location_id": stock.id, "usage": "internal"},
        ]
    )
    others = Location.search([("company_id", "in", [company.id, False])])
    production = others.filtered(lambda loc: loc.usage == "production")[:1]
    scrap = others.filtered("scrap_location")[:1]
    transit = others.filtered(lambda loc: loc.usage == "transit")[:1]
    if not transit:
        transit = Location.create({"name": "Bench Transit", "usage": "transit"})
    check(production and scrap, "no production or scrap location in the database")
    return warehouse, {
        "sup": env.ref("stock.stock_location_suppliers").id,
        "stock": stock.id,
        "shelf": shelf.id,
        "dock": dock.id,
        "cust": env.ref("stock.stock_location_customers").id,
        "scrap": scrap.id,
        "transit": transit.id,
        "prod": production.id,
    }


def populate(env, size, args, start):
    """Insert the dataset with set-based SQL (not timed); return what the
    scopes need."""
    cr = env.cr
    warehouse, loc = locations(env)
    products = env["product.product"].create(
        [
            {"name": f"Bench Recall Product {index:02d}", "is_storable": True, "tracking": "serial"}
            for index in range(args.products)
        ]
    )
    suppliers = env["res.partner"].create(
        [
            {"name": f"Bench Supplier {index:02d}", "is_company": True}
            for index in range(args.suppliers)
        ]
    )
    customers = env["res.partner"].create(
        [
            {"name": f"Bench Customer {index:04d}", "email": f"customer{index:04d}@example.com"}
            for index in range(args.customers)
        ]
    )
    env.flush_all()
    company = env.company
    params = {
        "n": size,
        "products": products.ids,
        "suppliers": suppliers.ids,
        "customers": customers.ids,
        "company": company.id,
        "uid": env.uid,
        "start": start,
        "uom": products[0].uom_id.id,
        "out_type": warehouse.out_type_id.id,
    }
    templates = []
    for k, category in enumerate(CATEGORIES):
        for seq, (event_type, state, src, dst, partner, move) in enumerate(PATHS[category]):
            templates.append(
                cr.mogrify(
                    "(%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    [k, seq, event_type, state, loc[src], loc[dst], partner, move, OFFSETS[seq]],
                ).decode()
            )
    shifts = " ".join(
        f"WHEN {CATEGORIES.index(category)} THEN {days}" for category, days in BASE_SHIFT.items()
    )
    # the serials: product, supplier and customer spread independently of the path
    cr.execute(
        f"""
        CREATE TEMP TABLE bench_serial ON COMMIT DROP AS
        SELECT i, i %% 20 AS k, 'RC' || lpad(i::text, 8, '0') AS name,
               (%(products)s::int[])[1 + (i / 20 + i) %% cardinality(%(products)s::int[])]
                   AS product_id,
               (%(suppliers)s::int[])[1 + (i / 20) %% cardinality(%(suppliers)s::int[])]
                   AS supplier_id,
               (%(customers)s::int[])[1 + (i * 7 + i / 20) %% cardinality(%(customers)s::int[])]
                   AS customer_id,
               %(start)s::timestamp
                   + make_interval(days => (i / 20) %% 1000
                                           + CASE i %% 20 {shifts} ELSE 0 END,
                                   hours => i %% 24) AS base,
               NULL::int AS lot_id
          FROM generate_series(0, %(n)s - 1) i;
        CREATE TEMP TABLE bench_template (k int, seq int, event_type varchar, state varchar,
                                          src int, dst int, partner varchar, move varchar,
                                          offset_days int) ON COMMIT DROP;
        INSERT INTO bench_template VALUES {", ".join(templates)};
        -- indexed and analyzed before the joins below: without statistics the
        -- planner may take a nested loop over 200,000 x 200,000 rows
        CREATE INDEX ON bench_serial (name);
        ANALYZE bench_serial;
        WITH lot AS (
            INSERT INTO stock_lot (name, product_id, company_id, active, lifecycle_state,
                                   create_uid, create_date, write_uid, write_date)
            SELECT name, product_id, %(company)s, true, 'new', %(uid)s, now(), %(uid)s, now()
              FROM bench_serial
         RETURNING id, name
        )
        UPDATE bench_serial s SET lot_id = lot.id FROM lot WHERE lot.name = s.name;
        CREATE INDEX ON bench_serial (i);
        ANALYZE bench_serial;
        CREATE TEMP TABLE bench_event ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY s.i, t.seq) AS id, s.i, t.seq, s.lot_id,
               s.product_id, t.event_type, t.state, t.src, t.dst, t.move,
               s.base + make_interval(days => t.offset_days) AS date,
               CASE t.partner WHEN 'supplier' THEN s.supplier_id
                              WHEN 'customer' THEN s.customer_id END AS partner_id,
               CASE t.move WHEN 'consume' THEN s.i WHEN 'produce' THEN s.i - 1 END AS mo_key,
               NULL::int AS move_id, NULL::int AS picking_id, NULL::int AS move_line_id
          FROM bench_serial s JOIN bench_template t ON t.k = s.k;
        CREATE INDEX ON bench_event (id);
        ANALYZE bench_event;
        """,
        params,
    )
    # productions as manufacturing orders make them: the component's
    # consumption and the finished serial's production are moves of one group
    cr.execute(
        """
        CREATE TEMP TABLE bench_group ON COMMIT DROP AS
        WITH grp AS (
            INSERT INTO procurement_group (name, move_type, create_uid, create_date,
                                           write_uid, write_date)
            SELECT 'BENCH/MO/' || mo_key, 'direct', %(uid)s, now(), %(uid)s, now()
              FROM bench_event WHERE move = 'consume'
         RETURNING id, name
        )
        SELECT id, substr(name, 10)::int AS mo_key FROM grp;
        CREATE INDEX ON bench_group (mo_key);
        ANALYZE bench_group;
        WITH move AS (
            INSERT INTO stock_move (name, reference, product_id, product_uom, product_uom_qty,
                                    product_qty, quantity, location_id, location_dest_id,
                                    company_id, state, procure_method, date, group_id,
                                    origin, create_uid, create_date, write_uid, write_date)
            SELECT 'BENCH/MO/' || e.mo_key || '/' || e.id, 'BENCH/MO/' || e.mo_key,
                   e.product_id, %(uom)s, 1, 1, 1, e.src, e.dst, %(company)s, 'done',
                   'make_to_stock', e.date, g.id, e.id::text,
                   %(uid)s, now(), %(uid)s, now()
              FROM bench_event e JOIN bench_group g ON g.mo_key = e.mo_key
             WHERE e.move IS NOT NULL
         RETURNING id, origin
        )
        UPDATE bench_event e SET move_id = move.id FROM move WHERE move.origin::bigint = e.id;
        """,
        params,
    )
    # deliveries as native Odoo records them (a done transfer to the customer
    # with its move line), for the native baseline and the events' references
    cr.execute(
        """
        WITH picking AS (
            INSERT INTO stock_picking (name, origin, partner_id, picking_type_id, location_id,
                                       location_dest_id, company_id, state, move_type,
                                       scheduled_date, date, date_done,
                                       create_uid, create_date, write_uid, write_date)
            SELECT 'BENCH/OUT/' || e.id, e.id::text, e.partner_id, %(out_type)s, e.src, e.dst,
                   %(company)s, 'done', 'direct', e.date, e.date, e.date,
                   %(uid)s, now(), %(uid)s, now()
              FROM bench_event e WHERE e.event_type = 'delivery'
         RETURNING id, origin
        )
        UPDATE bench_event e SET picking_id = picking.id
          FROM picking WHERE picking.origin::bigint = e.id;
        CREATE INDEX ON bench_event (picking_id);
        ANALYZE bench_event;
        WITH line AS (
            INSERT INTO stock_move_line (picking_id, lot_id, product_id, product_uom_id,
                                         quantity, quantity_product_uom, location_id,
                                         location_dest_id, company_id, state, date, reference,
                                         picked, create_uid, create_date, write_uid, write_date)
            SELECT e.picking_id, e.lot_id, e.product_id, %(uom)s, 1, 1, e.src, e.dst,
                   %(company)s, 'done', e.date, 'BENCH/OUT/' || e.id, true,
                   %(uid)s, now(), %(uid)s, now()
              FROM bench_event e WHERE e.picking_id IS NOT NULL
         RETURNING id, picking_id
        )
        UPDATE bench_event e SET move_line_id = line.id
          FROM line WHERE line.picking_id = e.picking_id;
        """,
        params,
    )
    cr.execute(
        """
        INSERT INTO serial_event (lot_id, product_id, date, event_type, lifecycle_state,
                                  location_id, location_dest_id, picking_id, move_id,
                                  move_line_id, partner_id, user_id, company_id, reference,
                                  create_uid, create_date, write_uid, write_date)
        SELECT lot_id, product_id, date, event_type, state, src, dst, picking_id, move_id,
               move_line_id, partner_id, %(uid)s, %(company)s,
               COALESCE('BENCH/OUT/' || picking_id, 'BENCH/' || id),
               %(uid)s, now(), %(uid)s, now()
          FROM bench_event ORDER BY id;
        -- a temporary table with statistics, not CTEs: the planner's guesses
        -- for CTEs joined to the new serials made this UPDATE run for hours
        CREATE TEMP TABLE bench_last ON COMMIT DROP AS
        SELECT last.lot_id, last.state, last.dst, last.partner_id,
               dates.received, dates.delivered
          FROM (SELECT DISTINCT ON (lot_id) lot_id, state, dst, partner_id
                  FROM bench_event ORDER BY lot_id, seq DESC) AS last
          JOIN (SELECT lot_id,
                       min(date) FILTER (WHERE event_type IN ('receipt', 'production',
                                                              'adjustment_in')) AS received,
                       max(date) FILTER (WHERE event_type = 'delivery') AS delivered
                  FROM bench_event GROUP BY lot_id) AS dates ON dates.lot_id = last.lot_id;
        CREATE INDEX ON bench_last (lot_id);
        ANALYZE bench_last;
        ANALYZE stock_lot;
        UPDATE stock_lot lot
           SET lifecycle_state = last.state, current_location_id = last.dst,
               current_holder_id = CASE WHEN last.state IN ('delivered', 'vendor_returned')
                                        THEN last.partner_id END,
               first_receipt_date = last.received, last_delivery_date = last.delivered
          FROM bench_last AS last
         WHERE lot.id = last.lot_id;
        ANALYZE stock_lot, serial_event, stock_move, stock_move_line, stock_picking,
                procurement_group, res_partner;
        """,
        params,
    )
    env.invalidate_all()
    return products, suppliers, customers


# ---------------------------------------------------------------------------
# Independent counts
# ---------------------------------------------------------------------------


def expected_lots(cr, base_sql, params):
    """The serials ``base_sql`` selects and every finished serial made from
    them, level after level (a recursive query over the temp tables)."""
    cr.execute(
        f"""
        WITH RECURSIVE affected(i) AS (
            SELECT s.i FROM bench_serial s WHERE s.lot_id IN ({base_sql})
         UNION
            SELECT produced.i FROM affected a
              JOIN bench_event consumed ON consumed.i = a.i AND consumed.move = 'consume'
              JOIN bench_event produced ON produced.mo_key = consumed.mo_key
                                       AND produced.move = 'produce'
        )
        SELECT count(*) FROM affected
        """,
        params,
    )
    return cr.fetchone()[0]


def scopes(env, size, args, products, suppliers, start):
    """(label, wizard values, expected affected serials, expected unknown)."""
    cr = env.cr
    product = products[0]
    span = min(1000, size // 20)  # days the base dates spread over
    receipt_from = start.date() + timedelta(days=span // 10)
    receipt_to = start.date() + timedelta(days=span * 4 // 10 - 1)
    chosen = suppliers[:5]
    step = max(size // args.listed, 1)
    # every step-th serial, shifted so that each path (i % 20) is listed
    listed = [f"RC{j * step + j % min(step, 20):08d}" for j in range(size // step)]
    listed = [name for name in listed if int(name[2:]) < size][: args.listed - 50]
    unknown = [f"XX{i:08d}" for i in range(args.listed - len(listed))]
    low, high = size // 20, size // 20 + size // 10 - 1
    produced_from = start.date() + timedelta(days=span * 2 // 10)
    produced_to = start.date() + timedelta(days=span * 3 // 10 - 1)
    lo_ts = datetime.combine(receipt_from, datetime.min.time())
    hi_ts = datetime.combine(receipt_to + timedelta(days=1), datetime.min.time())
    pr_lo = datetime.combine(produced_from, datetime.min.time())
    pr_hi = datetime.combine(produced_to + timedelta(days=1), datetime.min.time())
    return [
        (
            "one product",
            {"product_ids": [(6, 0, product.ids)]},
            expected_lots(
                cr, "SELECT id FROM stock_lot WHERE product_id = %(p)s", {"p": product.id}
            ),
            0,
        ),
        (
            "all products",
            {"product_ids": [(6, 0, products.ids)]},
            expected_lots(
                cr, "SELECT id FROM stock_lot WHERE product_id = ANY(%(p)s)", {"p": products.ids}
            ),
            0,
        ),
        (
            f"{len(chosen)} suppliers + receipt dates",
            {
                "supplier_ids": [(6, 0, chosen.ids)],
                "receipt_date_from": receipt_from,
                "receipt_date_to": receipt_to,
            },
            expected_lots(
                cr,
                """SELECT lot_id FROM bench_event WHERE event_type = 'receipt'
                      AND partner_id = ANY(%(s)s) AND lot_id IN (
                          SELECT lot_id FROM bench_event
                           WHERE event_type IN ('receipt', 'production')
                           GROUP BY lot_id HAVING min(date) >= %(lo)s AND min(date) < %(hi)s)""",
                {"s": chosen.ids, "lo": lo_ts, "hi": hi_ts},
            ),
            0,
        ),
        (
            f"list of {len(listed) + len(unknown):,} serials",
            {"serial_list": "\n".join(listed + unknown)},
            expected_lots(
                cr, "SELECT lot_id FROM bench_serial WHERE name = ANY(%(n)s)", {"n": listed}
            ),
            len(unknown),
        ),
        (
            f"name range ({size // 10:,})",
            {"range_from": f"RC{low:08d}", "range_to": f"RC{high:08d}"},
            expected_lots(
                cr,
                "SELECT lot_id FROM bench_serial WHERE i BETWEEN %(lo)s AND %(hi)s",
                {"lo": low, "hi": high},
            ),
            0,
        ),
        (
            "production dates + trace",
            {"production_date_from": produced_from, "production_date_to": produced_to},
            expected_lots(
                cr,
                """SELECT lot_id FROM bench_event WHERE event_type = 'production'
                      AND date >= %(lo)s AND date < %(hi)s""",
                {"lo": pr_lo, "hi": pr_hi},
            ),
            0,
        ),
    ]


# ---------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------


def timed(env, function, repeat):
    """Fastest of ``repeat`` runs: (seconds, queries), last result."""
    best, result = None, None
    for _attempt in range(repeat):
        env.invalidate_all()
        gc.collect()
        queries = env.cr.sql_log_count
        started = time.perf_counter()
        result = function()
        env.flush_all()
        seconds = time.perf_counter() - started
        if best is None or seconds < best[0]:
            best = (seconds, env.cr.sql_log_count - queries)
    return best, result


class Undo(Exception):
    """Raised to roll a timed run back to its savepoint."""


def timed_undone(env, function, repeat):
    """Fastest of ``repeat`` runs of ``function``, each but the last rolled
    back to a savepoint (so that runs repeat on the same data); returns the
    last run's result."""
    best, result = None, None
    for attempt in range(repeat):
        last = attempt == repeat - 1
        env.invalidate_all()
        gc.collect()
        queries = env.cr.sql_log_count
        try:
            with env.cr.savepoint():
                started = time.perf_counter()
                result = function()
                env.flush_all()
                seconds = time.perf_counter() - started
                if not last:
                    raise Undo
        except Undo:
            env.invalidate_all()
        if best is None or seconds < best[0]:
            best = (seconds, env.cr.sql_log_count - queries)
    return best, result


def native_baseline(env, product, repeat):
    """Who received the product's serials, as native Odoo can tell: its
    serials, then done move lines of them to customers, by customer."""

    def run():
        lots = env["stock.lot"].search([("product_id", "=", product.id)])
        return env["stock.move.line"]._read_group(
            [
                ("lot_id", "in", lots.ids),
                ("state", "=", "done"),
                ("location_dest_id.usage", "=", "customer"),
            ],
            ["picking_partner_id"],
            ["lot_id:count_distinct"],
        )

    (seconds, queries), groups = timed(env, run, repeat)
    env.cr.execute(
        """
        SELECT count(DISTINCT partner_id), count(DISTINCT lot_id) FROM bench_event
         WHERE event_type = 'delivery' AND product_id = %s
        """,
        [product.id],
    )
    partners, lots = env.cr.fetchone()
    check(len(groups) == partners, f"native: {len(groups)} customers, SQL says {partners}")
    return seconds, queries, partners, lots


def measure(registry, size, args):
    with registry.cursor() as cr:
        try:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            admin = env.ref("base.user_admin")
            admin.tz = "UTC"  # the wizard's dates are the user's days
            check(
                admin.has_group("serialized_inventory.group_recall_manager"),
                "admin is not a recall manager",
            )
            env = env(user=admin.id, context={"tz": "UTC"})
            start = datetime.combine(date.today() - timedelta(days=1100), datetime.min.time())
            started = time.perf_counter()
            products, suppliers, customers = populate(env, size, args, start)
            cr.execute("SELECT count(*) FROM serial_event WHERE reference LIKE 'BENCH/%%'")
            events = cr.fetchone()[0]
            check(events == size * EVENTS_PER_SERIAL, f"{events} events inserted")
            print(
                f"  inserted {events:,} events in {time.perf_counter() - started:.1f} s", flush=True
            )
            rows = []
            Wizard = env["serial.recall.wizard"]
            biggest = None
            for label, values, expected, unknown in scopes(
                env, size, args, products, suppliers, start
            ):
                wizard = Wizard.create({**values, "reason": "Bench recall"})
                (resolve_s, _resolve_q), scope = timed(env, wizard._resolve_scope, args.repeat)
                check(
                    len(scope["lot_ids"]) == expected,
                    f"{label}: {len(scope['lot_ids'])} serials, SQL says {expected}",
                )
                check(len(scope["unknown"]) == unknown, f"{label}: {len(scope['unknown'])} unknown")
                (preview_s, preview_q), _action = timed(env, wizard.action_preview, args.repeat)
                check(wizard.affected_count == expected, f"{label}: preview count differs")
                shown = (
                    f"<strong>{expected} serials affected.</strong>"
                    if expected
                    else "No serial matches this scope."  # small N: a scope may be empty
                )
                check(
                    shown in wizard.preview_html,
                    f"{label}: the preview does not show the count",
                )
                rows.append(
                    (label, expected, len(scope["sources"]), resolve_s, preview_s, preview_q)
                )
                if biggest is None or expected > biggest[1]:
                    biggest = (wizard, expected, label)
            wizard, expected, label = biggest
            (confirm_s, confirm_q), action = timed_undone(env, wizard.action_confirm, args.repeat)
            recall = env["serial.recall"].browse(action["res_id"])
            cr.execute("SELECT count(*) FROM serial_recall_line WHERE recall_id = %s", [recall.id])
            check(cr.fetchone()[0] == expected, "the campaign's lines differ from the scope")
            campaign = [(f"`action_confirm` ({label}, {expected:,} lines)", confirm_s, confirm_q)]
            (activate_s, activate_q), _done = timed(env, recall.action_activate, 1)
            campaign.append(("`action_activate` (start the campaign)", activate_s, activate_q))
            notify = measure_notify(env, recall, args)
            native = native_baseline(env, products[0], args.repeat)
            return rows, campaign, notify, native, len(customers)
        finally:
            cr.rollback()


def measure_notify(env, recall, args):
    cr = env.cr
    cr.execute(
        """
        SELECT count(DISTINCT lot.current_holder_id),
               count(DISTINCT lot.current_holder_id) FILTER (WHERE partner.email IS NOT NULL)
          FROM serial_recall_line line JOIN stock_lot lot ON lot.id = line.lot_id
          JOIN res_partner partner ON partner.id = lot.current_holder_id
         WHERE line.recall_id = %s AND lot.lifecycle_state = 'delivered'
        """,
        [recall.id],
    )
    holders, with_email = cr.fetchone()
    cr.execute("SELECT COALESCE(max(id), 0) FROM mail_mail")
    last_mail = cr.fetchone()[0]
    (button_s, button_q), _action = timed(env, recall.action_notify_customers, 1)
    Notice = env["serial.recall.notice"]
    check(
        Notice.search_count([("recall_id", "=", recall.id)]) == holders,
        f"notices queued differ from the {holders} customers holding serials",
    )
    (batch_s, batch_q), _none = timed(env, lambda: Notice._cron_send(batch=args.notice_batch), 1)
    total_s, total_q, runs = batch_s, batch_q, 1
    while Notice.search_count([("state", "=", "queued")]):
        (seconds, queries), _none = timed(
            env, lambda: Notice._cron_send(batch=args.notice_batch), 1
        )
        total_s += seconds
        total_q += queries
        runs += 1
    cr.execute("SELECT count(*) FROM mail_mail WHERE id > %s", [last_mail])
    mails = cr.fetchone()[0]
    check(mails == with_email, f"{mails} mails queued for {with_email} customers with an email")
    cr.execute(
        "SELECT count(*) FROM serial_recall_line WHERE recall_id = %s AND status = 'notified'",
        [recall.id],
    )
    notified = cr.fetchone()[0]
    cr.execute(
        """SELECT count(*) FROM serial_recall_line line JOIN stock_lot lot ON lot.id = line.lot_id
            WHERE line.recall_id = %s AND lot.lifecycle_state = 'delivered'""",
        [recall.id],
    )
    check(notified == cr.fetchone()[0], "the notified lines differ from the delivered serials")
    return {
        "customers": holders,
        "with_email": with_email,
        "mails": mails,
        "notified": notified,
        "button": (button_s, button_q),
        "batch": (batch_s, batch_q),
        "all": (total_s, total_q, runs),
    }


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def report(size, args, rows, campaign, notify, native, customers):
    failed = False
    lines = [
        f"### {size:,} serials, {size * EVENTS_PER_SERIAL:,} ledger events, "
        f"{args.products} products, {args.suppliers} suppliers, {customers:,} customers",
        "",
        "| scope | affected serials | via production | `_resolve_scope` s "
        "| `action_preview` s | preview queries | target |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for label, count, sources, resolve_s, preview_s, preview_q in rows:
        ok = preview_s <= TARGET
        failed |= not ok
        lines.append(
            f"| {label} | {count:,} | {sources:,} | {resolve_s:.2f} | {preview_s:.2f} "
            f"| {preview_q} | {'met' if ok else 'MISSED'} |"
        )
    lines += ["", "| campaign step | s | queries |", "|---|---:|---:|"]
    lines += [f"| {step} | {seconds:.2f} | {queries} |" for step, seconds, queries in campaign]
    button_s, button_q = notify["button"]
    batch_s, batch_q = notify["batch"]
    all_s, all_q, runs = notify["all"]
    ok = button_s <= NOTIFY_TARGET
    failed |= not ok
    lines += [
        "",
        "| notify customers | s | queries | mails | target |",
        "|---|---:|---:|---:|---|",
        f"| button `action_notify_customers` ({notify['customers']:,} customers queued) "
        f"| {button_s:.2f} | {button_q} | | {'met' if ok else 'MISSED'} |",
        f"| one batch `_cron_send(batch={args.notice_batch})` | {batch_s:.2f} | {batch_q} | | |",
        f"| all batches ({runs} runs) | {all_s:.2f} | {all_q} | {notify['mails']:,} | |",
        "",
        f"- mail.mail queued: {notify['mails']:,} = customers with an email "
        f"({notify['with_email']:,}); lines notified: {notify['notified']:,}",
    ]
    native_s, native_q, partners, lots = native
    lines += [
        f"- Native baseline (no recall in Odoo): `stock.lot` search on one product + "
        f"`_read_group` of its done move lines to customers by `picking_partner_id`: "
        f"{native_s:.2f} s, {native_q} queries, {partners:,} customers who received "
        f"{lots:,} of its serials (who *received* them: returns, productions and the "
        "preview's other places are not covered)",
    ]
    return lines, failed


def main(argv=None):
    args = parse_args(argv)
    addon, env_lines = open_addon_database(args)
    lines = [
        f"## Recall in `{ADDON}` (native Odoo has no recall: baseline below)",
        "",
        *env_lines,
        f"- Fastest of {args.repeat} runs (activation, notices: one run); data inserted with "
        "SQL in one transaction, rolled back; targets: `action_preview` at most "
        f"{TARGET:.0f} s, the Notify button at most {NOTIFY_TARGET:.0f} s",
        "",
    ]
    failed = False
    try:
        for size in args.sizes:
            print(f"N={size}...", flush=True)
            result = measure(addon, size, args)
            size_lines, size_failed = report(size, args, *result)
            lines += [*size_lines, ""]
            failed |= size_failed
    except BenchError as error:
        print(f"\nERROR: {error}", file=sys.stderr)
        return 1
    text = "\n".join(lines)
    print("\n" + text, flush=True)
    if args.output:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(text + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
