"""Serial lifecycle rules, free of the ORM.

A serial's lifecycle state and the kind of event a movement represents are
derived only from the usage of the source and destination locations of a done
move line (Odoo's ``stock.location.usage``), whether the destination is a
scrap location, and the state the serial was in before the move.  Keeping the
rules here makes them testable without a database and reusable by the
post-install backfill and by the move hook alike.
"""

# Lifecycle states, in the order the selection field shows them.
NEW = "new"
IN_STOCK = "in_stock"
IN_TRANSIT = "in_transit"
DELIVERED = "delivered"
RETURNED = "returned"
VENDOR_RETURNED = "vendor_returned"
SCRAPPED = "scrapped"
CONSUMED = "consumed"
LOST = "lost"

STATES = (
    NEW,
    IN_STOCK,
    IN_TRANSIT,
    DELIVERED,
    RETURNED,
    VENDOR_RETURNED,
    SCRAPPED,
    CONSUMED,
    LOST,
)

# Event types of the ledger.
RECEIPT = "receipt"
INTERNAL = "internal"
TRANSIT = "transit"
DELIVERY = "delivery"
CUSTOMER_RETURN = "customer_return"
VENDOR_RETURN = "vendor_return"
SCRAP = "scrap"
ADJUSTMENT_IN = "adjustment_in"
ADJUSTMENT_OUT = "adjustment_out"
PRODUCTION = "production"
CONSUMPTION = "consumption"
OTHER = "other"
# Aggregation (GS1 EPCIS AggregationEvent ADD / DELETE): the unit was put in or taken
# out of a package (a case, or a pallet through its case); it did not move.
PACK = "pack"
UNPACK = "unpack"

EVENT_TYPES = (
    RECEIPT,
    INTERNAL,
    TRANSIT,
    DELIVERY,
    CUSTOMER_RETURN,
    VENDOR_RETURN,
    SCRAP,
    ADJUSTMENT_IN,
    ADJUSTMENT_OUT,
    PRODUCTION,
    CONSUMPTION,
    OTHER,
    PACK,
    UNPACK,
)

# Location usages, as Odoo names them.
SUPPLIER = "supplier"
VIEW = "view"
INTERNAL_USAGE = "internal"
CUSTOMER = "customer"
INVENTORY = "inventory"
PRODUCTION_USAGE = "production"
TRANSIT_USAGE = "transit"


def classify(src_usage, dest_usage, dest_is_scrap=False, previous_state=NEW):
    """Return ``(event_type, new_state)`` for one done movement of a serial.

    :param src_usage: usage of the source location of the move line
    :param dest_usage: usage of the destination location
    :param dest_is_scrap: whether the destination is a scrap location
    :param previous_state: the serial's lifecycle state before this move
    """
    if dest_is_scrap:
        return SCRAP, SCRAPPED
    if dest_usage == INTERNAL_USAGE:
        if src_usage == CUSTOMER:
            return CUSTOMER_RETURN, RETURNED
        if src_usage == SUPPLIER:
            return RECEIPT, IN_STOCK
        if src_usage == INVENTORY:
            return ADJUSTMENT_IN, IN_STOCK
        if src_usage == PRODUCTION_USAGE:
            return PRODUCTION, IN_STOCK
        if src_usage == TRANSIT_USAGE:
            # The end of a two-step route or an inter-warehouse transfer: the
            # unit keeps being "returned" if it was on its way back.
            return TRANSIT, RETURNED if previous_state == RETURNED else IN_STOCK
        # A unit moved inside the warehouse stays returned until it leaves.
        return INTERNAL, RETURNED if previous_state == RETURNED else IN_STOCK
    if dest_usage == TRANSIT_USAGE:
        if src_usage == CUSTOMER:
            return CUSTOMER_RETURN, RETURNED
        return TRANSIT, IN_TRANSIT
    if dest_usage == CUSTOMER:
        return DELIVERY, DELIVERED
    if dest_usage == SUPPLIER:
        return VENDOR_RETURN, VENDOR_RETURNED
    if dest_usage == PRODUCTION_USAGE:
        return CONSUMPTION, CONSUMED
    if dest_usage == INVENTORY:
        return ADJUSTMENT_OUT, LOST
    # view locations never hold stock; keep the state rather than guess
    return OTHER, previous_state


# Events that bring a unit into the company's hands for the first time.
ARRIVALS = frozenset({RECEIPT, ADJUSTMENT_IN, PRODUCTION})
