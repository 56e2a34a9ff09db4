"""GS1 identifiers of a serialised unit, free of the ORM.

A trade item's GTIN (GTIN-8, -12, -13 or -14, kept as GTIN-14 in element
strings) and its serial number make the GS1 element string ``(01)GTIN(21)SN``
and the GS1 Digital Link URI ``<base>/01/<GTIN-14>/21/<SN>``. Check digits are
python-stdnum's.

`label_payload` gives what a label's barcodes and human-readable text carry: the
element string with its separators, and its human-readable interpretation (HRI).
Reading a scan back is lib/scan.py's (biip's decoding).
"""

from dataclasses import dataclass
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


# ---------------------------------------------------------------------------
# Label payloads: (01) GTIN, (17) expiry, (10) lot, (21) serial
# ---------------------------------------------------------------------------

# GS1 AI encodable character set 82 (GS1 General Specifications, figure 7.11-1).
CSET82 = frozenset(
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
)
# Group separator: stands for FNC1 when it ends a variable-length field in
# ``Gs1Payload.data``; it is also what scanners transmit for that FNC1.
GS = "\x1d"
# Application identifiers of a label, in the order they are put in a symbol:
# the fixed-length ones first (GS1 General Specifications 5.4.7.5), so that a
# separator is only needed between the two variable-length ones.
LABEL_AIS = ("01", "17", "10", "21")
VARIABLE_LENGTH_MAX = {"10": 20, "21": 20}
AI_TITLES = {"01": "GTIN", "17": "expiry date", "10": "lot", "21": "serial"}


@dataclass(frozen=True)
class Gs1Payload:
    """The GS1 data of one label.

    ``elements`` are the ``(AI, value)`` pairs in symbol order, ``hri`` their
    human-readable form ``(01) 04006381333931 (21) SN1`` and ``data`` the
    element string as a barcode carries it: no leading FNC1 (each symbology
    adds its own), ``GS`` after a variable-length field followed by another.
    """

    elements: tuple
    hri: str
    data: str


def _check_cset82(ai, value):
    title = AI_TITLES[ai]
    if not value:
        raise ValueError(f"The {title} (AI {ai}) is empty.")
    if len(value) > VARIABLE_LENGTH_MAX[ai]:
        raise ValueError(
            f"The {title} {value!r} (AI {ai}) has {len(value)} characters, "
            f"GS1 allows at most {VARIABLE_LENGTH_MAX[ai]}."
        )
    bad = sorted({char for char in value if char not in CSET82})
    if bad:
        raise ValueError(
            f"The {title} {value!r} (AI {ai}) contains characters GS1 does not allow: "
            f"{' '.join(repr(char) for char in bad)}."
        )


def label_payload(gtin, serial, expiry=None, lot=None):
    """The `Gs1Payload` of a serialised unit.

    ``gtin`` is any valid GTIN (8, 12, 13 or 14 digits), ``expiry`` a
    ``datetime.date`` or ``None``, ``lot`` a string or ``None``.  Raises
    ``ValueError`` with a message naming the faulty field.
    """
    code = gtin14(gtin)
    if code is None:
        raise ValueError(f"{gtin!r} is not a valid GTIN (8, 12, 13 or 14 digits, check digit).")
    _check_cset82("21", serial)
    values = {"01": code, "21": serial}
    if expiry is not None:
        values["17"] = expiry.strftime("%y%m%d")
    if lot is not None:
        _check_cset82("10", lot)
        values["10"] = lot
    elements = tuple((ai, values[ai]) for ai in LABEL_AIS if ai in values)
    parts = []
    for index, (ai, value) in enumerate(elements):
        parts.append(ai + value)
        if ai in VARIABLE_LENGTH_MAX and index < len(elements) - 1:
            parts.append(GS)
    hri = " ".join(f"({ai}) {value}" for ai, value in elements)
    return Gs1Payload(elements, hri, "".join(parts))
