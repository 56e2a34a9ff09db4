# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)

BACKFILL_LOTS_PER_BATCH = 5000


def post_init_hook(env):
    backfill_serial_history(env)
    # the recall quarantine of the warehouses made before the addon
    env["stock.warehouse"].with_context(active_test=False).search([])._create_missing_locations({})


def uninstall_hook(env):
    """The serial claims are plain SQL (see stock.lot._init_serial_claims)."""
    env.cr.execute(
        SQL(
            """
        DROP TRIGGER IF EXISTS serialized_inventory_claim_insert ON stock_lot;
        DROP TRIGGER IF EXISTS serialized_inventory_claim_update ON stock_lot;
        DROP FUNCTION IF EXISTS serialized_inventory_claim_inserted_serials();
        DROP FUNCTION IF EXISTS serialized_inventory_claim_updated_serial();
        DROP TABLE IF EXISTS serialized_inventory_serial_claim;
            """
        )
    )


def backfill_serial_history(env):
    """Build the ledger and lifecycle fields from the done move lines that
    existed before the addon was installed, a batch of serials at a time so
    that each serial's history is replayed in order within one batch."""
    env.cr.execute(
        SQL(
            """
        SELECT DISTINCT ml.lot_id
          FROM stock_move_line ml
          JOIN product_product product ON product.id = ml.product_id
          JOIN product_template tmpl ON tmpl.id = product.product_tmpl_id
         WHERE ml.state = 'done' AND ml.lot_id IS NOT NULL
           AND tmpl.tracking = 'serial'
      ORDER BY ml.lot_id
            """
        )
    )
    lot_ids = [row[0] for row in env.cr.fetchall()]
    count = 0
    for start in range(0, len(lot_ids), BACKFILL_LOTS_PER_BATCH):
        batch = lot_ids[start : start + BACKFILL_LOTS_PER_BATCH]
        env.cr.execute(
            SQL(
                "SELECT id FROM stock_move_line WHERE state = 'done' AND lot_id = ANY(%s)",
                batch,
            )
        )
        line_ids = [row[0] for row in env.cr.fetchall()]
        count += len(env["serial.event"]._record_move_lines(line_ids, by_line_author=True))
        # flush and let go of this batch's records before the next one
        env.invalidate_all()
    _logger.info(
        "serialized_inventory: backfilled %d events for %d serials",
        count,
        len(lot_ids),
    )
    return count
