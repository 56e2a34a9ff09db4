"""The accountant's warranty report as XLSX (xlsxwriter) and PDF (ReportLab),
free of the ORM.

The Odoo layer computes the figures and translates every label into a
``Report``: titled tables of typed columns plus notes (the formulas). Both
files are written from the same ``Report``, so they cannot disagree.
"""

from dataclasses import dataclass, field
from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape, letter
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Paragraph, Spacer, Table, TableStyle

from .spreadsheet import workbook, write_cell
from .traceability_pdf import (
    BODY_STYLE,
    FONT,
    FONT_BOLD,
    FONT_SIZE,
    HEADING_STYLE,
    TITLE_STYLE,
    PageHeader,
    _escape,
    _pairs_table,
    _wrap,
    build,
    page_template,
)

# Rows per PDF table (a longer table is printed as consecutive tables).
CHUNK = 200

# Column kinds.
TEXT = "text"
INT = "int"
MONEY = "money"
RATE = "rate"  # a ratio shown with 4 decimals
DATE = "date"  # a datetime.date
DAYS = "days"  # a mean number of days, 1 decimal


@dataclass
class Column:
    title: str
    kind: str = TEXT
    width: float = 1.0  # relative weight in the PDF


@dataclass
class ReportTable:
    title: str
    columns: list  # [Column]
    rows: list  # [[value, ...]]
    totals: list | None = None  # [value, ...] (None cells left blank)
    sheet: str = ""  # XLSX sheet name (<= 31 characters); tables without one go on the first
    in_pdf: bool = True


@dataclass
class Report:
    title: str
    parameters: list  # [(label, value)]
    tables: list  # [ReportTable]
    notes: list = field(default_factory=list)  # [str]: formulas and definitions
    notes_title: str = "Method"
    currency: str = ""  # currency symbol or code shown with amounts
    currency_before: bool = False  # "$ 10.00" rather than "10.00 €"
    empty: str = "Nothing to report."


def format_value(value, kind, currency="", currency_before=False):
    """A cell as the PDF prints it."""
    if value is None or value is False:
        return ""
    if kind == INT:
        return f"{int(value):,}"
    if kind == MONEY:
        amount = f"{value:,.2f}"
        return (f"{currency} {amount}" if currency_before else f"{amount} {currency}").strip()
    if kind == RATE:
        return f"{value:.4f}"
    if kind == DAYS:
        return f"{value:,.1f}"
    if kind == DATE:
        return value.isoformat()
    return str(value)


# ---------------------------------------------------------------------------
# XLSX
# ---------------------------------------------------------------------------


def to_xlsx(report):
    """The report as an XLSX workbook (bytes): the summary tables on the first
    sheet, tables with their own ``sheet`` on theirs, the method on the last."""
    buffer = BytesIO()
    book = workbook(buffer, default_date_format="yyyy-mm-dd")
    bold = book.add_format({"bold": True})
    title_format = book.add_format({"bold": True, "font_size": 14})
    header = book.add_format({"bold": True, "bg_color": "#E9ECEF", "bottom": 1})
    formats = {
        TEXT: None,
        INT: book.add_format({"num_format": "#,##0"}),
        MONEY: book.add_format({"num_format": "#,##0.00"}),
        RATE: book.add_format({"num_format": "0.0000"}),
        DAYS: book.add_format({"num_format": "#,##0.0"}),
        DATE: book.add_format({"num_format": "yyyy-mm-dd"}),
    }
    total_formats = {
        kind: book.add_format(
            {"bold": True, "top": 1, **({"num_format": f.num_format} if f else {})}
        )
        for kind, f in formats.items()
    }
    sheets = {}

    def sheet_for(name):
        if name not in sheets:
            sheets[name] = [book.add_worksheet(name[:31]), 0]
        return sheets[name]

    summary = sheet_for(report.tables[0].sheet if report.tables else "Report")
    ws = summary[0]
    write_cell(ws, 0, 0, report.title, title_format)
    row = 2
    for label, value in report.parameters:
        write_cell(ws, row, 0, label, bold)
        write_cell(ws, row, 1, value)
        row += 1
    summary[1] = row + 1
    first_sheet = summary
    for table in report.tables:
        target = sheet_for(table.sheet) if table.sheet else first_sheet
        ws, row = target
        write_cell(ws, row, 0, table.title, bold)
        row += 1
        for col, column in enumerate(table.columns):
            write_cell(ws, row, col, column.title, header)
            ws.set_column(col, col, max(12, min(40, len(column.title) + 4)))
        row += 1
        for values in table.rows:
            for col, (value, column) in enumerate(zip(values, table.columns, strict=True)):
                write_cell(ws, row, col, value, formats[column.kind])
            row += 1
        if table.totals:
            for col, (value, column) in enumerate(zip(table.totals, table.columns, strict=True)):
                write_cell(ws, row, col, value, total_formats[column.kind])
            row += 1
        target[1] = row + 1
    if report.notes:
        ws = book.add_worksheet(report.notes_title[:31])
        ws.set_column(0, 0, 120)
        write_cell(ws, 0, 0, report.notes_title, title_format)
        for index, note in enumerate(report.notes, start=2):
            write_cell(ws, index, 0, note)
    book.close()
    return buffer.getvalue()


# ---------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------


def to_pdf(report, header, page_size="a4"):
    """The report as a landscape PDF (bytes) with the company header and
    "page x of y" on every page; tables marked ``in_pdf=False`` are left to
    the XLSX."""
    buffer = BytesIO()
    pagesize = landscape({"a4": A4, "letter": letter}[page_size])
    doc = page_template(buffer, pagesize, header, report.title)
    story = [Paragraph(_escape(report.title), TITLE_STYLE), Spacer(0, 3 * mm)]
    story.append(
        _pairs_table([(label, str(value)) for label, value in report.parameters], doc.width)
    )
    for table in report.tables:
        if not table.in_pdf:
            continue
        story += [CondPageBreak(30 * mm), Paragraph(_escape(table.title), HEADING_STYLE)]
        if table.rows:
            # tables of at most CHUNK rows: ReportLab re-measures what is left
            # of a table at each page break, which is quadratic in its rows
            for start in range(0, len(table.rows), CHUNK):
                rows = table.rows[start : start + CHUNK]
                last = start + CHUNK >= len(table.rows)
                story.append(_table(table, doc.width, report, rows, last))
        else:
            story.append(Paragraph(_escape(report.empty), BODY_STYLE))
    if report.notes:
        story += [CondPageBreak(30 * mm), Paragraph(_escape(report.notes_title), HEADING_STYLE)]
        story += [Paragraph(_escape(note), BODY_STYLE) for note in report.notes]
    build(doc, story, header)
    return buffer.getvalue()


def _table(table, width, report, rows, last):
    total = float(sum(column.width for column in table.columns))
    widths = [width * column.width / total for column in table.columns]
    data = [[_wrap(c.title, w - 6, FONT_BOLD) for c, w in zip(table.columns, widths, strict=True)]]
    with_totals = bool(table.totals) and last
    for values in [*rows, *([table.totals] if with_totals else [])]:
        data.append(
            [
                _wrap(
                    format_value(value, column.kind, report.currency, report.currency_before),
                    w - 6,
                )
                for value, column, w in zip(values, table.columns, widths, strict=True)
            ]
        )
    style = [
        ("FONT", (0, 0), (-1, 0), FONT_BOLD, FONT_SIZE),
        ("FONT", (0, 1), (-1, -1), FONT, FONT_SIZE),
        ("LEADING", (0, 0), (-1, -1), FONT_SIZE + 1.5),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
        ("LINEBELOW", (0, 0), (-1, 0), 0.75, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    for col, column in enumerate(table.columns):
        if column.kind != TEXT:
            style.append(("ALIGN", (col, 0), (col, -1), "RIGHT"))
    if with_totals:
        style += [
            ("FONT", (0, -1), (-1, -1), FONT_BOLD, FONT_SIZE),
            ("LINEABOVE", (0, -1), (-1, -1), 0.75, colors.black),
        ]
    result = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    result.setStyle(TableStyle(style))
    return result


__all__ = ["Column", "PageHeader", "Report", "ReportTable", "to_pdf", "to_xlsx"]
