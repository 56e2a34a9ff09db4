"""Spreadsheet cells that cannot carry a formula (CSV / formula injection,
OWASP "CSV Injection"), free of the ORM.

Every CSV and XLSX the addon writes goes through this module:

- CSV: `safe_cell` prefixes a single quote to a text cell a spreadsheet
  would read as a formula, and `to_csv` quotes every field, so a separator
  inside a value (a ``;`` read by a spreadsheet set up for ``;``) cannot
  start a new cell either.
- XLSX: `write_cell` writes text with ``write_string`` (never ``write``,
  which turns ``=...`` into a formula), so the text is kept exactly, with no
  prefix; the workbook from `workbook` also has ``strings_to_formulas`` off.

A cell is neutralised when, once leading whitespace is skipped, it starts
with ``=``, ``+``, ``-`` or ``@`` (or their full-width forms, which some
spreadsheets accept), or when it starts with a tab or a carriage return;
a plain number (``-5``, ``+3.25``, ``-1e3``) is left as it is: a spreadsheet
reads it as that number, never as a formula. So ``-ABC-1`` (a serial),
``+33 1 23 45 67 89`` (a phone number) and ``-2+3`` become ``'-ABC-1``,
``'+33 1 23 45 67 89`` and ``'-2+3`` in a CSV.
"""

import csv
import io
import re

import xlsxwriter

# First characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20\ufe62\ufe63\ufe66")
# Control characters OWASP lists: they can hide a formula behind them.
CONTROL_STARTS = frozenset("\t\r\n")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def is_dangerous(text):
    """Whether a spreadsheet could read the text ``text`` as a formula."""
    if not text:
        return False
    if text[0] in CONTROL_STARTS:
        return True
    stripped = text.lstrip()
    if not stripped or stripped[0] not in FORMULA_STARTS:
        return False
    return not _NUMBER.fullmatch(stripped.rstrip())


def safe_cell(value):
    """``value`` as a CSV cell: ``None``/``False`` as empty, numbers as they
    are, text prefixed with ``'`` when a spreadsheet could read it as a
    formula."""
    if value is None or value is False:
        return ""
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    return "'" + text if is_dangerous(text) else text


def to_csv(rows):
    """``rows`` (lists of values) as CSV bytes (UTF-8 with a BOM, so
    spreadsheets detect the encoding), every cell through `safe_cell` and
    quoted."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def workbook(buffer, **options):
    """An xlsxwriter workbook on ``buffer`` that never turns a string into a
    formula, even through a plain ``write``."""
    return xlsxwriter.Workbook(
        buffer,
        {"in_memory": True, **options, "strings_to_formulas": False, "strings_to_urls": False},
    )


def write_cell(ws, row, col, value, cell_format=None):
    """Write ``value`` by its type: blank, date, number or text, text always
    as a string (kept exactly, never a formula)."""
    if value is None or value is False:
        ws.write_blank(row, col, None, cell_format)
    elif hasattr(value, "isoformat"):
        ws.write_datetime(row, col, value, cell_format)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value, cell_format)
    else:
        ws.write_string(row, col, str(value), cell_format)
