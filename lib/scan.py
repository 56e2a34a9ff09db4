"""What a scanner, a camera or a keyboard sent, read into GS1 values, free of the ORM.

`normalize` takes the raw string and returns a `Scan`: which kind of code it is
(a GS1 element string, a GS1 Digital Link URI, an SSCC, an EPC pure-identity URN
or plain text) and the GS1 values it carries, or the key of the reason it cannot
be read. It never raises.

The decoding is biip's (GS1 application identifiers, element strings, Digital
Link URIs, check digits of GTINs and SSCCs inside them). What biip leaves to its
caller is done here, before or after it:

- wedge scanners' prefixes and suffixes (CR, LF, Tab, STX/ETX...) are stripped
  and control characters inside the data refused (biip only strips spaces);
- the symbology identifier (``]C1``, ``]d2``, ``]Q3``, ``]e0``...) is taken off
  here for every symbology: biip does not try a Digital Link behind a non-GS1
  identifier such as ``]Q1`` (plain QR Code);
- FNC1 typed as ``#`` or as the literal ``Alt029``, and the spaces of a
  hand-typed ``0109506000134352 21SN81``, become separators: none of them is a
  character GS1 allows in a value (GS1 General Specifications, figure 7.11-1);
- a string is read as an element string only when it says so (a GS1 symbology
  identifier, a GS, ``Alt029`` after an AI, or (01)/(02) and 14 digits, (00)
  and 18 in front): biip reads almost any digit string as one (``1012345`` as
  lot ``12345``), which would turn plain serial numbers into lots;
- the human-readable form ``(01)...(21)...``, which biip's top-level `parse`
  does not try, is read as the element string it stands for (so that its
  errors are the same);
- EPC pure-identity URNs (``urn:epc:id:sgtin:...``, ``urn:epc:id:sscc:...``),
  which biip does not know, are turned into a GTIN-14 or SSCC here, the check
  digit computed by python-stdnum.

Compressed GS1 Digital Link URIs are not supported by biip 5.2: they are
reported as ``invalid_digital_link``.
"""

import logging
import re
from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import unquote

from biip import ParseConfig, ParseError
from biip.gs1_application_identifiers import GS1ApplicationIdentifier
from biip.gs1_digital_link_uris import GS1DigitalLinkURI
from biip.gs1_element_strings import GS1ElementString
from stdnum import ean

from . import gs1, sscc

_logger = logging.getLogger(__name__)

MAX_LENGTH = 512

GS1_ELEMENT_STRING = "gs1"
DIGITAL_LINK = "digital_link"
SSCC = "sscc"
EPC = "epc"
PLAIN = "plain"

# Keys of `Scan.error`, each a reason the model layer words for the user.
EMPTY = "empty"
TOO_LONG = "too_long"
CONTROL_CHARACTERS = "control_characters"
CHECK_DIGIT = "check_digit"
INVALID_DATE = "invalid_date"
TRUNCATED = "truncated"
INVALID_VALUE = "invalid_value"
UNKNOWN_AI = "unknown_ai"
INVALID_DIGITAL_LINK = "invalid_digital_link"
INVALID_EPC = "invalid_epc"
INTERNAL = "internal"

# The symbology identifiers of GS1 symbols: their data is a GS1 element string.
GS1_SYMBOLOGIES = frozenset({"C1", "d2", "Q3", "e0", "e1", "e2", "J1"})
_SYMBOLOGY_RE = re.compile(r"\][A-Za-z][0-9A-Za-z]")
_CONTROL_RE = re.compile(r"[\x00-\x1c\x1e-\x1f\x7f]")
_WEDGE_CHARACTERS = "".join(chr(code) for code in range(33)) + "\x7f"
_FNC1_ALIASES = re.compile("Alt029")
SEPARATORS = (gs1.GS, "#", " ")
_CONFIG = ParseConfig(separator_chars=SEPARATORS)
_HRI_RE = re.compile(r"\(\d{2,4}\)")
_HRI_AI_RE = re.compile(r"\((\d{2,4})\)")
_SGTIN_RE = re.compile(r"urn:epc:id:sgtin:(\d+)\.(\d+)\.(.+)", re.IGNORECASE)
_SSCC_URN_RE = re.compile(r"urn:epc:id:sscc:(\d+)\.(\d+)", re.IGNORECASE)
# Values a `Scan` has its own field for, by application identifier.
NAMED_AIS = {
    "01": "gtin",
    "21": "serial",
    "10": "lot",
    "17": "expiry",
    "11": "production_date",
    "15": "best_before",
    "00": "sscc",
    "30": "quantity",
    "37": "quantity",
    "22": "cpv",
}
DATE_AIS = frozenset({"17", "11", "15"})


@dataclass(frozen=True)
class Scan:
    """What one scan says. ``error`` is ``None`` or one of the keys above,
    ``detail`` biip's own English explanation of it (for logs)."""

    kind: str
    text: str = ""
    symbology: str = ""
    gtin: str | None = None
    serial: str | None = None
    lot: str | None = None
    expiry: date | None = None
    production_date: date | None = None
    best_before: date | None = None
    sscc: str | None = None
    quantity: int | None = None
    cpv: str | None = None
    other: dict = field(default_factory=dict)
    error: str | None = None
    detail: str = ""


def normalize(raw):
    """The `Scan` of a raw scanned or typed string; never raises."""
    try:
        return _normalize(raw)
    except Exception as error:
        _logger.exception("Unexpected failure reading the scan %r", raw)
        return Scan(PLAIN, text=str(raw)[:MAX_LENGTH], error=INTERNAL, detail=str(error))


def _normalize(raw):
    text, error = _clean(raw)
    if error:
        return Scan(PLAIN, text=text, error=error)
    symbology, text = _split_symbology(text)
    if text.lower().startswith("urn:epc:"):
        result = _parse_epc(text)
    elif text.lower().startswith(("http://", "https://")):
        result = _parse_digital_link(text)
    elif _HRI_RE.match(text):
        result = _parse_hri(text)
    elif symbology in GS1_SYMBOLOGIES or _looks_like_element_string(text):
        result = _parse_element_string(text)
    else:
        result = _plain(text)
    return replace(result, text=text, symbology=symbology)


def _clean(raw):
    """``(text, error key)``: the text without a wedge's prefix and suffix."""
    if raw is None or raw is False:
        return "", EMPTY
    text = raw if isinstance(raw, str) else str(raw)
    if len(text) > MAX_LENGTH:
        return text[:MAX_LENGTH], TOO_LONG
    text = text.strip(_WEDGE_CHARACTERS)
    if not text:
        return "", EMPTY
    if _CONTROL_RE.search(text):
        return text, CONTROL_CHARACTERS
    return text, None


def _split_symbology(text):
    """``(identifier modifier, data)``: ``("d2", "01...")`` for ``]d201...``."""
    if _SYMBOLOGY_RE.match(text):
        return text[1:3], text[3:].lstrip(_WEDGE_CHARACTERS)
    return "", text


def _looks_like_element_string(text):
    """Whether text without a GS1 symbology identifier is an element string:
    it has a GS, or starts with an AI and has ``Alt029`` (``SALT0291`` is a
    serial), or starts with (01)/(02) and 14 digits or (00) and 18 (a wrong
    check digit there is reported, not looked up as a serial)."""
    if gs1.GS in text or (text[:2].isdigit() and _FNC1_ALIASES.search(text)):
        return True
    length = {"00": 18, "01": 14, "02": 14}.get(text[:2])
    return bool(length) and text[2 : 2 + length].isdigit() and len(text) >= 2 + length


def _plain(text):
    """Plain text: a serial, a product, package, location or picking barcode.
    A valid GTIN or SSCC among them is said, for the lookups to try."""
    return Scan(PLAIN, gtin=gs1.gtin14(text), sscc=text if sscc.is_valid(text) else None)


def _parse_element_string(text):
    """Element string of a GS1-128, GS1 DataMatrix, QR Code or DataBar symbol
    (what `biip.gs1_messages.GS1Message.parse` does, one element at a time so
    that the failing one is known)."""
    rest = _FNC1_ALIASES.sub(gs1.GS, text).lstrip("".join(SEPARATORS))
    elements = []
    while rest:
        try:
            element = GS1ElementString.extract(rest, config=_CONFIG)
        except ParseError as error:
            return Scan(GS1_ELEMENT_STRING, error=_element_error(rest, error), detail=str(error))
        elements.append(element)
        rest = rest[len(element) :].lstrip("".join(SEPARATORS))
    return _from_elements(GS1_ELEMENT_STRING, elements)


def _element_error(rest, error):
    """The key of why the element string at the start of ``rest`` failed."""
    try:
        ai = GS1ApplicationIdentifier.extract(rest)
    except ParseError:
        return UNKNOWN_AI
    if ai.ai in DATE_AIS or " date" in str(error):
        return INVALID_DATE
    data = re.split("[" + re.escape("".join(SEPARATORS)) + "]", rest, maxsplit=1)[0]
    if len(data) - len(ai.ai) < _minimum_length(ai.format):
        return TRUNCATED
    return INVALID_VALUE


def _minimum_length(ai_format):
    """The fewest data characters of an AI's format (``N2+N14`` -> 14)."""
    mandatory = re.sub(r"\[.*?\]", "", ai_format).split("+")[1:]
    lengths = (re.fullmatch(r"[A-Z](\.\.)?(\d+)", part) for part in mandatory)
    return sum((1 if match[1] else int(match[2])) for match in lengths if match)


def _parse_hri(text):
    """The human-readable interpretation ``(01) 09506000134352 (21) SN1``, read
    as the element string it stands for: a separator before each AI, spaces
    dropped as biip's `parse_hri` drops them (GS1 values have none)."""
    data = _HRI_AI_RE.sub(lambda match: gs1.GS + match[1], "".join(text.split()))
    return _parse_element_string(data)


def _parse_digital_link(text):
    """A GS1 Digital Link URI, on any domain, qualifiers and query attributes
    as GS1 Digital Link URI syntax allows them."""
    try:
        uri = GS1DigitalLinkURI.parse(text)
    except (ParseError, ValueError) as error:  # ValueError: urlsplit's, "http://[x"
        key = INVALID_DATE if " date" in str(error) else INVALID_DIGITAL_LINK
        return Scan(DIGITAL_LINK, error=key, detail=str(error))
    return _from_elements(DIGITAL_LINK, uri.element_strings)


def digital_link_element_string(raw):
    """The GS1 element string a GS1 Digital Link URI stands for (FNC1 sent as
    GS after each variable-length value), for parsers that read element
    strings only, such as Odoo's GS1 nomenclature; ``None`` when ``raw`` is not
    a valid Digital Link."""
    text, error = _clean(raw)
    if error:
        return None
    _symbology, text = _split_symbology(text)
    if not text.lower().startswith(("http://", "https://")):
        return None
    try:
        return GS1DigitalLinkURI.parse(text).as_gs1_message().value
    except (ParseError, ValueError):
        return None


def _parse_epc(text):
    """An EPC pure-identity URN of a serialised trade item or of an SSCC
    (GS1 EPC Tag Data Standard, sections 6.3.1 and 6.3.2)."""
    sgtin, sscc_urn = _SGTIN_RE.fullmatch(text), _SSCC_URN_RE.fullmatch(text)
    if sgtin and len(sgtin[1]) + len(sgtin[2]) == 13:
        prefix, reference, serial = sgtin[1], sgtin[2], unquote(sgtin[3])
        body = reference[0] + prefix + reference[1:]
        element_strings = ("01" + body + ean.calc_check_digit(body), "21" + serial)
    elif sscc_urn and len(sscc_urn[1]) + len(sscc_urn[2]) == 17:
        prefix, reference = sscc_urn[1], sscc_urn[2]
        body = reference[0] + prefix + reference[1:]
        element_strings = ("00" + body + sscc.check_digit(body),)
    else:
        return Scan(EPC, error=INVALID_EPC, detail="not an SGTIN or SSCC pure-identity URN")
    try:
        elements = [GS1ElementString.parse(value, config=_CONFIG) for value in element_strings]
    except ParseError as error:
        return Scan(EPC, error=INVALID_EPC, detail=str(error))
    return _from_elements(EPC, elements)


def _from_elements(kind, elements):
    """The `Scan` of biip's element strings; a wrong check digit is an error."""
    values, other = {}, {}
    for element in elements:
        wrong = element.gtin_error or element.sscc_error or element.gln_error
        if wrong:
            return Scan(kind, error=CHECK_DIGIT, detail=wrong)
        name = NAMED_AIS.get(element.ai.ai)
        if name is None:
            other[element.ai.ai] = element.value
        elif element.ai.ai in DATE_AIS:
            values[name] = element.date
        elif name == "quantity":
            values[name] = int(element.value)
        else:
            values[name] = element.value
    if values.get("sscc") and not values.get("serial"):
        kind = SSCC if kind == GS1_ELEMENT_STRING else kind
    if "gtin" not in values and "02" in other:
        values["gtin"] = other["02"]  # the trade items a logistic unit holds
    return Scan(kind, other=other, **values)


def serial_of(text):
    """``(GTIN-14 or None, serial)`` of a scanned or typed serial: the AI (21)
    of a GS1 code and its GTIN, else the text itself as a serial name (as it
    was given when it cannot be read, so that the serial name's own check says
    what is wrong with all of it)."""
    result = normalize(text)
    if result.error and result.error != EMPTY and isinstance(text, str):
        return None, text
    if result.error or not result.serial:
        return None, result.text
    return result.gtin, result.serial


def sscc_of(text):
    """The SSCC in what a scanner sends or a user types, else ``None``: the
    (00) of a GS1 code or an EPC URN, or the 18 digits alone."""
    result = normalize(text)
    return None if result.error else result.sscc
