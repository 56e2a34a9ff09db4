"""The traceability PDF of serials and lots, drawn with ReportLab, free of the ORM.

The Odoo layer gathers the facts and translates every label; this module only
lays them out: per serial (or lot) a title, an identity block, optional extra
sections (warranty, recall, packaging...) and the chronological event table,
whose header repeats on every page. Each page carries the company header and
"page x of y". Cells are plain strings wrapped with ``simpleSplit`` (no
Paragraph objects), which keeps a 1,000-event history well under a second.
"""

from dataclasses import dataclass, field
from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

PAGE_SIZES = {"a4": A4, "letter": letter}
FONT = "Helvetica"
FONT_BOLD = "Helvetica-Bold"
FONT_SIZE = 8
MARGIN = 15 * mm
HEADER_HEIGHT = 14 * mm


@dataclass
class Section:
    """A titled block of (label, value) pairs."""

    title: str
    rows: list


@dataclass
class TraceDocument:
    """Everything printed for one serial or lot, already translated."""

    title: str
    identity: list  # [(label, value)]
    columns: list  # event table headers
    events: list  # [[cell, ...]] in chronological order
    no_events: str = "No movement yet."
    sections: list = field(default_factory=list)  # [Section]
    events_title: str = "History"
    column_widths: list | None = None  # relative weights, one per column


@dataclass
class PageHeader:
    company: str
    subtitle: str = ""
    page_label: str = "Page %(page)s of %(pages)s"  # translated, with both placeholders


def _wrap(text, width, font=FONT, size=FONT_SIZE):
    """The text broken into lines that fit ``width`` (long words are cut)."""
    text = "" if text is None else str(text)
    return "\n".join(simpleSplit(text, font, size, width) or [""])


def _pairs_table(rows, width):
    label_width = width * 0.3
    data = [
        [_wrap(label, label_width - 6, FONT_BOLD), _wrap(value, width - label_width - 6)]
        for label, value in rows
    ]
    table = Table(data, colWidths=[label_width, width - label_width], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (0, -1), FONT_BOLD, FONT_SIZE),
                ("FONT", (1, 0), (1, -1), FONT, FONT_SIZE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _events_table(document, width):
    weights = document.column_widths or [1] * len(document.columns)
    total = float(sum(weights))
    widths = [width * weight / total for weight in weights]
    data = [
        [_wrap(title, w - 6, FONT_BOLD) for title, w in zip(document.columns, widths, strict=True)]
    ]
    data += [
        [_wrap(cell, w - 6) for cell, w in zip(row, widths, strict=True)] for row in document.events
    ]
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), FONT_BOLD, FONT_SIZE),
                ("FONT", (0, 1), (-1, -1), FONT, FONT_SIZE),
                ("LEADING", (0, 0), (-1, -1), FONT_SIZE + 1.5),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
                ("LINEBELOW", (0, 0), (-1, 0), 0.75, colors.black),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f8f9fa")]),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


class _NumberedCanvas(pdf_canvas.Canvas):
    """Defers each page until the end so that it can print "page x of y"."""

    header = PageHeader(company="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._draw_header_footer(total)
            super().showPage()
        return super().save()

    def _draw_header_footer(self, total):
        width, height = self._pagesize
        self.saveState()
        self.setFont(FONT_BOLD, 10)
        top = height - MARGIN + 2 * mm
        self.drawString(MARGIN, top, _fit(self.header.company, FONT_BOLD, 10, width / 2))
        self.setFont(FONT, 8)
        self.drawRightString(
            width - MARGIN, top, _fit(self.header.subtitle, FONT, 8, width / 2 - MARGIN)
        )
        self.setStrokeColor(colors.grey)
        self.setLineWidth(0.5)
        self.line(MARGIN, top - 2 * mm, width - MARGIN, top - 2 * mm)
        self.drawRightString(
            width - MARGIN,
            MARGIN / 2,
            self.header.page_label % {"page": self._pageNumber, "pages": total},
        )
        self.restoreState()


def _fit(text, font, size, width):
    """``text`` shortened with an ellipsis to fit ``width``."""
    text = text or ""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


TITLE_STYLE = ParagraphStyle("title", fontName=FONT_BOLD, fontSize=14, leading=17)
HEADING_STYLE = ParagraphStyle(
    "heading", fontName=FONT_BOLD, fontSize=10, leading=13, spaceBefore=6, spaceAfter=3
)
BODY_STYLE = ParagraphStyle("body", fontName=FONT, fontSize=FONT_SIZE, leading=10)


def page_template(buffer, pagesize, header, title=""):
    """A document of one frame between the header and the margins."""
    doc = BaseDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + HEADER_HEIGHT - 4 * mm,
        bottomMargin=MARGIN,
        title=title,
        author=header.company,
        pageCompression=1,
    )
    frame = Frame(
        doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body", showBoundary=0
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    return doc


def build(doc, story, header):
    """Lay ``story`` out with ``header`` and "page x of y" on every page."""
    canvas_class = type("HeaderCanvas", (_NumberedCanvas,), {"header": header})
    doc.build(story, canvasmaker=canvas_class)


def render(documents, header, page_size="a4", title=""):
    """The PDF (bytes) of ``documents``, each starting on a new page."""
    buffer = BytesIO()
    doc = page_template(buffer, PAGE_SIZES[page_size], header, title)
    story = []
    for index, document in enumerate(documents):
        if index:
            story.append(PageBreak())
        story += [Paragraph(_escape(document.title), TITLE_STYLE), Spacer(0, 3 * mm)]
        story.append(_pairs_table(document.identity, doc.width))
        for section in document.sections:
            story += [
                CondPageBreak(30 * mm),
                Paragraph(_escape(section.title), HEADING_STYLE),
                _pairs_table(section.rows, doc.width),
            ]
        story += [CondPageBreak(30 * mm), Paragraph(_escape(document.events_title), HEADING_STYLE)]
        if document.events:
            story.append(_events_table(document, doc.width))
        else:
            story.append(Paragraph(_escape(document.no_events), BODY_STYLE))
    build(doc, story, header)
    return buffer.getvalue()


def _escape(text):
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
