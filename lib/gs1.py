"""GS1 identifiers of a serialised unit, free of the ORM.

A trade item's GTIN (GTIN-8, -12, -13 or -14, kept as GTIN-14 in element
strings) and its serial number make the GS1 element string ``(01)GTIN(21)SN``
and the GS1 Digital Link URI ``<base>/01/<GTIN-14>/21/<SN>``. Check digits are
python-stdnum's.
"""

from urllib.parse import quote

from stdnum import ean

GTIN_LENGTHS = (8, 12, 13, 14)


def gtin14(barcode):
    """The GTIN-14 of a barcode that is a valid GTIN, else ``None``."""
    code = (barcode or "").strip()
    if len(code) not in GTIN_LENGTHS or not code.isdigit() or not ean.is_valid(code):
        return None
    return code.zfill(14)


def element_string(gtin, serial):
    """The human-readable GS1 element string of a serialised trade item."""
    return f"(01){gtin}(21){serial}"


def digital_link(base_url, gtin, serial):
    """The GS1 Digital Link URI; the serial is percent-encoded as the
    standard asks for characters outside the URI unreserved set."""
    return f"{base_url.rstrip('/')}/01/{gtin}/21/{quote(serial, safe='')}"
