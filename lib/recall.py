"""Recall rules, free of the ORM: where a unit is for a recall, which line
statuses resolve it, how a typed, pasted or CSV list of serials is read and
how a serial range is ordered.
"""

import csv
import io
import re

from . import scan
from . import serial_lifecycle as lifecycle

# Where a unit is, as the recall preview groups them.
STOCK = "stock"
TRANSIT = "transit"
CUSTOMER = "customer"
VENDOR = "vendor"
GONE = "gone"  # scrapped, consumed or lost
NOT_RECEIVED = "not_received"

WHERE = (STOCK, TRANSIT, CUSTOMER, VENDOR, GONE, NOT_RECEIVED)

_WHERE_OF_STATE = {
    lifecycle.IN_STOCK: STOCK,
    lifecycle.RETURNED: STOCK,
    lifecycle.IN_TRANSIT: TRANSIT,
    lifecycle.DELIVERED: CUSTOMER,
    lifecycle.VENDOR_RETURNED: VENDOR,
    lifecycle.SCRAPPED: GONE,
    lifecycle.CONSUMED: GONE,
    lifecycle.LOST: GONE,
    lifecycle.NEW: NOT_RECEIVED,
}


def where(lifecycle_state):
    """The preview group of a serial in ``lifecycle_state``."""
    return _WHERE_OF_STATE.get(lifecycle_state, NOT_RECEIVED)


# Line statuses.
OPEN = "open"
NOTIFIED = "notified"
RETURNED = "returned"
REMEDIED = "remedied"
DESTROYED = "destroyed"
UNREACHABLE = "unreachable"

# The unit is out of the customers' hands: back with us, fixed or destroyed.
RESOLVED = (RETURNED, REMEDIED, DESTROYED)
# Ledger events that take a unit back or destroy it while a line waits for it.
WAITING = (OPEN, NOTIFIED, UNREACHABLE)


def is_resolved(status, written_off=False):
    """Whether a line counts as done for closing its campaign."""
    return written_off or status in RESOLVED


def progress(resolved, total):
    """Percentage of resolved lines (100 when there is nothing to resolve)."""
    return 100.0 * resolved / total if total else 100.0


# Serial lists -----------------------------------------------------------------

_SEPARATORS = re.compile(r"[\r\n,;\t]+")
# Headers of a serial column, the most telling first: ours, then those of
# Odoo's own exports of serials, move lines and quants (labels, and the
# field names of an "import-compatible" export); the Odoo layer adds the
# labels in the user's language.
_HEADERS = (
    "serial",
    "serial number",
    "serial_number",
    "lot/serial number",
    "lot/serial number/lot/serial number",
    "lot_id/name",
    "lot/serial number name",
    "lot_name",
    "lot/serial",
    "lot",
    "lot_id",
    "sn",
    "name",
)
# Largest CSV file of serials read (bytes), about 500,000 serials.
MAX_CSV_BYTES = 10 * 1024 * 1024


class SerialFileError(ValueError):
    """A CSV file of serials that cannot be read; ``reason`` is one of
    ``"too_large"`` (``size`` bytes), ``"not_text"`` or ``"malformed"``
    (``line``: its number, ``detail``: the csv module's words)."""

    def __init__(self, reason, size=0, line=0, detail=""):
        super().__init__(f"{reason} {size} {line} {detail}".strip())
        self.reason = reason
        self.size = size
        self.line = line
        self.detail = detail


def parse_serial_list(text):
    """The serials of a typed or pasted list: one per line, or separated by
    commas, semicolons or tabs; blanks are dropped, surrounding spaces
    stripped, order kept and repeats removed. Each entry is read as a scan: a
    pasted GS1 element string or Digital Link gives its serial (AI 21)."""
    seen = {}
    for item in _SEPARATORS.split(text or ""):
        name = scan.serial_of(item)[1]
        if name:
            seen.setdefault(name, None)
    return list(seen)


def serial_column(header, extra_headers=()):
    """Index of the serial column in ``header`` (a CSV's first row), or
    ``None`` when no cell reads like a serial header. ``extra_headers``
    (e.g. Odoo's field labels in the user's language) come first."""
    titles = [cell.strip().lower() for cell in header]
    for known in [*(h.strip().lower() for h in extra_headers), *_HEADERS]:
        if known in titles:
            return titles.index(known)
    return None


def parse_serial_csv(data, extra_headers=()):
    """The serials of a CSV file (bytes): the column headed like a serial
    (``serial``, ``lot``, Odoo's ``Lot/Serial Number``... or one of
    ``extra_headers``) when the first row is a header, else the first
    column. Delimiter sniffed among ``, ; tab``; UTF-8 (with or without
    BOM), falling back to Latin-1.

    :raises SerialFileError: when the file is larger than `MAX_CSV_BYTES`,
        is not text, or is not CSV the csv module can read (a field longer
        than its limit, a stray quote...)
    """
    if len(data) > MAX_CSV_BYTES:
        raise SerialFileError("too_large", size=len(data))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    if "\x00" in text:
        raise SerialFileError("not_text")
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        rows = [row for row in reader if any(c.strip() for c in row)]
    except csv.Error as error:
        raise SerialFileError("malformed", line=reader.line_num, detail=str(error)) from error
    if not rows:
        return []
    column = serial_column(rows[0], extra_headers)
    if column is None:
        column = 0
    else:
        rows = rows[1:]
    return parse_serial_list("\n".join(row[column] for row in rows if len(row) > column))


# Serial ranges ----------------------------------------------------------------


def sequence_key(parts):
    """Order of a serial parsed by a format rule (``FormatRule.parse``): its
    date parts from the year down (sequences may restart each period), then
    its sequence number; ``None`` when the rule has no sequence part."""
    if parts is None or parts.get("seq") is None:
        return None
    year = parts.get("yyyy") or (2000 + parts["yy"] if parts.get("yy") is not None else 0)
    return (
        year,
        parts.get("mm") or 0,
        parts.get("ww") or 0,
        parts.get("ddd") or 0,
        parts.get("dd") or 0,
        parts["seq"],
    )


def in_range(key, low, high):
    """Whether ``key`` lies between ``low`` and ``high``, in either order."""
    if low > high:
        low, high = high, low
    return low <= key <= high
