"""Serial Shipping Container Codes (SSCC-18), free of the ORM.

An SSCC identifies one logistic unit (a case, a pallet) for ever: GS1 Application
Identifier (00) followed by 18 digits,

    extension digit (1) + GS1 Company Prefix (4 to 12) + serial reference + check digit (1)

the serial reference filling the 16 digits the prefix leaves after the extension digit.
The check digit is GS1's mod 10 (python-stdnum's ``ean.calc_check_digit``, which works
for any GS1 key length). `make` builds one from a counter, `error` says why a code is
not an SSCC; lib/scan.py reads one back from what a scanner or a user types.
"""

from stdnum import ean

from . import gs1

LENGTH = 18
AI = "00"
PREFIX_LENGTHS = range(4, 13)


def check_digit(body):
    """The GS1 mod 10 check digit of the 17 digits before it."""
    return ean.calc_check_digit(body)


def prefix_error(extension, company_prefix):
    """Why an extension digit and GS1 Company Prefix cannot make SSCCs, else ``None``."""
    extension = str(extension if extension is not None else "")
    if len(extension) != 1 or not extension.isdigit():
        return "the extension digit must be one digit, 0 to 9"
    prefix = company_prefix or ""
    if not prefix.isdigit() or len(prefix) not in PREFIX_LENGTHS:
        return "the GS1 Company Prefix must be 4 to 12 digits"
    return None


def capacity(company_prefix):
    """How many serial references a company prefix leaves (all of them, 0 included)."""
    return 10 ** (LENGTH - 2 - len(company_prefix))


def make(extension, company_prefix, reference):
    """The SSCC of serial reference ``reference`` (an int) for a company prefix.

    Raises ``ValueError`` when the prefix is not usable or the reference does not fit.
    """
    reason = prefix_error(extension, company_prefix)
    if reason:
        raise ValueError(reason)
    if not 0 <= reference < capacity(company_prefix):
        raise ValueError(
            f"serial reference {reference} does not fit the "
            f"{LENGTH - 2 - len(company_prefix)} digits GS1 Company Prefix "
            f"{company_prefix} leaves"
        )
    body = f"{extension}{company_prefix}{reference:0{LENGTH - 2 - len(company_prefix)}d}"
    return body + check_digit(body)


def error(code):
    """Why ``code`` is not a valid SSCC, else ``None``."""
    code = code or ""
    if len(code) != LENGTH or not code.isdigit():
        return f"an SSCC has {LENGTH} digits"
    if check_digit(code[:-1]) != code[-1]:
        return f"the check digit should be {check_digit(code[:-1])}, not {code[-1]}"
    return None


def is_valid(code):
    return error(code) is None


def hri(code):
    """The human-readable interpretation printed under the barcode."""
    return f"({AI}) {code}"


def label_payloads(code, gtin=None, count=None):
    """The `gs1.Gs1Payload` of each GS1-128 symbol of a logistic label: the SSCC,
    and, for a homogeneous unit whose trade item has a GTIN, (02) that GTIN with
    (37) the count of trade items it holds (GS1 Logistic Label, content segment).
    """
    reason = error(code)
    if reason:
        raise ValueError(f"{code!r} is not an SSCC: {reason}")
    payloads = [gs1.Gs1Payload(((AI, code),), hri(code), AI + code)]
    gtin14 = gs1.gtin14(gtin) if gtin else None
    if gtin14 and count and count > 0 and len(str(count)) <= 8:
        elements = (("02", gtin14), ("37", str(count)))
        payloads.insert(
            0,
            gs1.Gs1Payload(elements, f"(02) {gtin14} (37) {count}", f"02{gtin14}37{count}"),
        )
    return payloads
