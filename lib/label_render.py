"""Serial number labels as PDF, drawn straight into a ReportLab canvas.

Free of the ORM: `render_labels` takes `Label` values and a `label_layouts.Layout` and
returns the PDF bytes.  Symbologies (`SYMBOLOGIES`):

``code128``
    Code 128 of the serial.
``gs1_128``
    GS1-128 of (01) GTIN, (17) expiry, (10) lot and (21) serial (`gs1.label_payload`).
``gs1_datamatrix``
    GS1 DataMatrix of the same data (`datamatrix`).
``qr_digital_link``
    QR code of the serial's GS1 Digital Link URI (python-qrcode, byte mode, level M).

A label can carry two of them, e.g. ``("gs1_datamatrix", "code128")``.

Speed: barcodes are not ReportLab widgets (tens of milliseconds a label) but one PDF path
each, written in bulk into the page's content stream: the dark modules of a 2D symbol
merged into horizontal runs, one ``re`` each, in module units under a scaling ``cm``, so
the operands are small integers; each run's ``re`` string is formatted once and reused.
Text operators are made by ReportLab's text object once per text and appended the same
way; fitted text is cached per text and width.  This relies on two private canvas
attributes, ``_code`` (the page's content stream, a list of strings) and ``_doc`` (font
names), checked with ReportLab 3.6.12.

What a label shows, top to bottom: the product name (bold, wrapped over the layout's
``name_lines``, then shortened with an ellipsis), its internal reference, the serial
(captions ``S/N``, ``Lot``, ``Exp.`` can be translated through ``captions``), lot and
expiry when no GS1 symbology shows them, then the barcodes and, under them, the GS1
human-readable interpretation.  On a label wider than tall a 2D symbol sits at the left of
the text.  Text never leaves its box: a line that does not fit in width is shortened, one
that does not fit in height is left out.  Barcodes keep their quiet zones (Code 128: 10
modules, Data Matrix: 1, QR: 4) inside the label's padding.
"""

import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.pdfgen.canvas import Canvas

from . import code128, datamatrix, gs1, sscc
from .label_layouts import MAX_COPIES, MAX_LABELS, MM, print_problem

ELLIPSIS = "\N{HORIZONTAL ELLIPSIS}"
CAPTIONS = {"serial": "S/N", "lot": "Lot", "expiry": "Exp."}
FONT = "Helvetica"
BOLD_FONT = "Helvetica-Bold"
QR_QUIET_ZONE = 4  # modules, ISO/IEC 18004 section 6.3.8


@dataclass(frozen=True)
class Label:
    """What one label prints; ``expiry`` is a ``datetime.date``."""

    serial: str
    product_name: str = ""
    default_code: str = ""
    gtin: str | None = None
    lot: str | None = None
    expiry: date | None = None
    digital_link: str | None = None


@dataclass(frozen=True)
class PackageLabel:
    """What the label of a case or pallet prints (a GS1 logistic label): a title, its
    contents summary lines, and GS1-128 barcodes of (00) its SSCC and, when it holds
    one trade item with a GTIN, of (02) that GTIN and (37) how many."""

    sscc: str
    title: str = ""
    lines: tuple = ()
    gtin: str | None = None
    count: int | None = None


@dataclass(frozen=True)
class Symbol:
    """A barcode ready to draw.

    ``linear``: ``runs`` are ``(x, width)`` bars in modules and ``width`` counts the
    modules between the quiet zones.  Otherwise ``runs`` are ``(start, end)`` spans of dark
    modules of a ``width`` x ``width`` matrix written row after row, ``width + 1``
    characters a row (see `datamatrix.dark_spans`).  ``quiet`` is the quiet zone in
    modules.
    """

    linear: bool
    width: int
    runs: tuple
    quiet: int
    hri: str | None = None  # GS1 human-readable interpretation


def _gs1_payload(label):
    if not label.gtin:
        raise ValueError("the product has no GTIN (barcode), which GS1 symbologies need")
    return gs1.label_payload(label.gtin, label.serial, label.expiry, label.lot or None)


def _linear(data, gs1_data, hri=None):
    runs, x = [], 0
    for index, width in enumerate(code128.bars(data, gs1_data)):
        if not index % 2:
            runs.append((x, width))
        x += width
    return Symbol(True, x, tuple(runs), code128.QUIET_ZONE, hri)


def _code128(label):
    return _linear(label.serial, False)


def _gs1_128(label):
    payload = _gs1_payload(label)
    return _linear(payload.data, True, payload.hri)


def _gs1_datamatrix(label):
    payload = _gs1_payload(label)
    size, spans = datamatrix.dark_spans(payload.data, gs1=True)
    return Symbol(False, size, tuple(spans), datamatrix.QUIET_ZONE, payload.hri)


_RUN = re.compile("1+")


def _qr_digital_link(label):
    if not label.digital_link:
        raise ValueError("it has no GS1 Digital Link URI (the product needs a GTIN)")
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(label.digital_link.encode(), optimize=0)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    modules = "0".join("".join("1" if dark else "0" for dark in row) for row in matrix)
    spans = tuple(match.span() for match in _RUN.finditer(modules + "0"))
    return Symbol(False, size, spans, QR_QUIET_ZONE)


SYMBOLOGIES = {
    "code128": ("Code 128", _code128),
    "gs1_128": ("GS1-128", _gs1_128),
    "gs1_datamatrix": ("GS1 DataMatrix", _gs1_datamatrix),
    "qr_digital_link": ("QR code (GS1 Digital Link)", _qr_digital_link),
}


def build_symbols(label, symbologies):
    """The `Symbol` of each symbology for ``label``; a ``ValueError`` names the serial
    and says why a symbology cannot be made."""
    symbols = []
    for name in symbologies:
        title, builder = SYMBOLOGIES[name]
        try:
            symbols.append(builder(label))
        except ValueError as error:
            raise ValueError(f"No {title} for serial {label.serial!r}: {error}") from error
    return symbols


# ---------------------------------------------------------------------------
# Text that fits
# ---------------------------------------------------------------------------


def _boundaries(text):
    """Indexes where ``text`` may be cut without splitting a character from the
    combining marks that follow it, longest prefix first."""
    return [
        index for index in range(len(text) - 1, 0, -1) if not unicodedata.combining(text[index])
    ]


@lru_cache(maxsize=8192)
def shorten(text, font, size, width):
    """``text``, or its longest prefix followed by an ellipsis, that is at most ``width``
    wide in ``font`` at ``size``; cut at a character boundary (a combining mark stays with
    its base character), an empty string if not even the ellipsis fits."""
    if stringWidth(text, font, size) <= width:
        return text
    cuts = _boundaries(text)
    # widths only grow with the prefix: binary search on the boundaries (longest first)
    low, high = 0, len(cuts)
    while low < high:
        middle = (low + high) // 2
        if stringWidth(text[: cuts[middle]].rstrip() + ELLIPSIS, font, size) <= width:
            high = middle
        else:
            low = middle + 1
    if low < len(cuts):
        return text[: cuts[low]].rstrip() + ELLIPSIS
    return ELLIPSIS if stringWidth(ELLIPSIS, font, size) <= width else ""


@lru_cache(maxsize=8192)
def wrap(text, font, size, width, lines):
    """``text`` on at most ``lines`` lines of at most ``width``: broken between words
    (inside a word longer than a line), the last line shortened with an ellipsis."""
    words = text.split()
    result = []
    while words and len(result) < lines - 1:
        line = words[0]
        if stringWidth(line, font, size) > width:
            cut = _longest_fitting(line, font, size, width)
            if not cut:
                break  # not even one character fits: shorten() decides below
            words[0] = line[cut:]
            line = line[:cut]
        else:
            words.pop(0)
            while words and stringWidth(f"{line} {words[0]}", font, size) <= width:
                line = f"{line} {words.pop(0)}"
        result.append(line)
    if words:
        result.append(shorten(" ".join(words), font, size, width))
    return tuple(line for line in result if line)


def _longest_fitting(word, font, size, width):
    """Length of the longest prefix of ``word`` within ``width`` that does not separate a
    character from its combining marks, 0 if there is none."""
    for cut in _boundaries(word):
        if stringWidth(word[:cut], font, size) <= width:
            return cut
    return 0


# ---------------------------------------------------------------------------
# Drawing
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Box:
    x: float
    y: float
    width: float
    height: float


class _RunOps(dict):
    """The ``re`` operator of each dark run of a matrix with ``stride`` characters a row
    (see `Symbol`), formatted on first use: labels share most of them."""

    def __init__(self, stride):
        super().__init__()
        self.stride = stride

    def __missing__(self, span):
        start, end = span
        op = f"{start % self.stride} {start // self.stride} {end - start} 1 re"
        self[span] = op
        return op


class _BarOps(dict):
    """The ``re`` operator of each ``(x, width)`` bar, formatted on first use."""

    def __missing__(self, bar):
        op = f"{bar[0]} 0 {bar[1]} 1 re"
        self[bar] = op
        return op


_RUN_OPS = {}
_BAR_OPS = _BarOps()


def _matrix_ops(symbol, x, top, module):
    """PDF operators filling ``symbol``'s dark runs, its top-left module at (x, top)."""
    table = _RUN_OPS.get(symbol.width + 1) or _RUN_OPS.setdefault(
        symbol.width + 1, _RunOps(symbol.width + 1)
    )
    runs = " ".join(map(table.__getitem__, symbol.runs))
    return f"q {module:.4f} 0 0 {-module:.4f} {x:.3f} {top:.3f} cm {runs} f Q"


def _linear_ops(symbol, x, y, module, height):
    bars = " ".join(map(_BAR_OPS.__getitem__, symbol.runs))
    return f"q {module:.4f} 0 0 {height:.3f} {x:.3f} {y:.3f} cm {bars} f Q"


class _Text:
    """Text written straight into the page's content stream: the text operators of each
    (font, size, text) are made once by ReportLab's own text object (encoding, escaping,
    fallback fonts) and reused, which costs a fraction of ``drawString``."""

    def __init__(self, canvas):
        self.canvas = canvas
        self.text_object = canvas.beginText()
        self.operators = {}

    def show(self, font, size, x, y, text):
        key = (font, size, text)
        operators = self.operators.get(key)
        if operators is None:
            text_object = self.text_object
            text_object.setFont(font, size)
            internal = self.canvas._doc.getInternalFontName(font)
            operators = f"{internal} {size} Tf {text_object._formatText(text)}"
            self.operators[key] = operators
        self.canvas._code.append(f"BT 1 0 0 1 {x:.2f} {y:.2f} Tm {operators} ET")


class _Page:
    """Text and barcode drawing on one canvas with the layout's fonts."""

    def __init__(self, canvas, layout, captions, font, bold_font):
        self.canvas = canvas
        self.text = _Text(canvas)
        self.layout = layout
        self.captions = captions
        self.font = font
        self.bold_font = bold_font
        self.text_leading = layout.text_size * 1.2
        self.name_leading = layout.name_size * 1.15
        self.gap = layout.text_size * 0.5

    def text_lines(self, label, show_lot):
        """(font, size, leading, text, most lines) of the label's text, before fitting."""
        layout, captions = self.layout, self.captions
        name = (self.bold_font, layout.name_size, self.name_leading)
        text = (self.font, layout.text_size, self.text_leading)
        lines = [
            (*name, label.product_name, layout.name_lines),
            (*text, label.default_code, 1),
            (*text, f"{captions['serial']} {label.serial}", 1),
        ]
        if show_lot:
            extra = []
            if label.lot:
                extra.append(f"{captions['lot']} {label.lot}")
            if label.expiry:
                extra.append(f"{captions['expiry']} {label.expiry.isoformat()}")
            lines.append((*text, "   ".join(extra), 1))
        return [line for line in lines if line[3]]

    @staticmethod
    def fit(lines, width):
        """The lines as drawn in ``width``: (font, size, leading, text), wrapped and
        shortened."""
        return [
            (font, size, leading, fitted)
            for font, size, leading, text, most in lines
            for fitted in wrap(text, font, size, width, most)
        ]

    def draw_text(self, lines, box):
        """Draw ``lines`` from the top of ``box``, each shortened to its width, leaving
        out those below its bottom; returns the height used."""
        top = box.y + box.height
        used = 0.0
        for font, size, leading, text in self.fit(lines, box.width):
            ascent, descent = getAscentDescent(font, size)
            baseline = top - used - ascent
            if baseline + descent < box.y - 1e-6:
                break
            self.text.show(font, size, box.x, baseline, text)
            used += leading
        return used

    def draw_hri(self, hri, box, centered):
        """Draw the GS1 HRI at the bottom of ``box``, broken between elements; returns
        the height used."""
        font, size = self.font, self.layout.text_size
        lines = []
        for element in re.findall(r"\(\d+\) \S+", hri):
            if lines and stringWidth(f"{lines[-1]} {element}", font, size) <= box.width:
                lines[-1] = f"{lines[-1]} {element}"
            else:
                lines.append(element)
        _ascent, descent = getAscentDescent(font, size)
        baseline = box.y - descent + (len(lines) - 1) * self.text_leading
        for line in lines:  # top line first: text extraction keeps the reading order
            line = shorten(line, font, size, box.width)
            x = box.x
            if centered:
                x += (box.width - stringWidth(line, font, size)) / 2
            self.text.show(font, size, x, baseline, line)
            baseline -= self.text_leading
        return len(lines) * self.text_leading

    def module(self, what, symbol, room, margin=0.0):
        """Module size of ``symbol`` in ``room`` points, its quiet zones included but
        for ``margin`` points of blank label padding on each side they may take, within
        the layout's limits; ``ValueError`` naming ``what`` if it would be smaller."""
        smallest, largest = (
            self.layout.linear_module if symbol.linear else self.layout.matrix_module
        )
        module = min(
            largest,
            room / symbol.width,
            (room + 2 * margin) / (symbol.width + 2 * symbol.quiet),
        )
        if module < smallest:
            raise ValueError(
                f"The barcode of {what} does not fit a label of "
                f"{self.layout.title}: its modules would be {module / MM:.3f} mm wide, "
                f"less than {smallest / MM:.3f} mm."
            )
        return module

    def draw_label(self, x, y, label, symbols):
        layout = self.layout
        pad = layout.padding
        width, height = layout.label_size
        box = _Box(x + pad, y + pad, width - 2 * pad, height - 2 * pad)
        linear = next((symbol for symbol in symbols if symbol.linear), None)
        matrix = next((symbol for symbol in symbols if not symbol.linear), None)
        hri = next((symbol.hri for symbol in symbols if symbol.hri), None)
        lines = self.text_lines(label, show_lot=hri is None)
        code = self.canvas._code  # the page's content stream, as canvas methods add to it
        top, bottom = box.y + box.height, box.y
        if hri:
            bottom += self.draw_hri(hri, box, centered=linear is not None) + self.gap / 2
        if linear:
            # the label's padding is blank: the quiet zones may take it
            module = self.module(f"serial {label.serial!r}", linear, box.width, margin=pad)
            low, high = layout.linear_height
            bar_height = low
            if not matrix:
                text = sum(line[2] for line in self.fit(lines, box.width)) + self.gap
                bar_height = min(high, max(low, top - bottom - text))
            if bottom + bar_height > top:
                raise ValueError(
                    f"The barcode of serial {label.serial!r} does not fit a label of "
                    f"{layout.title}: it needs {bar_height / MM:.1f} mm of height."
                )
            left = box.x + (box.width - linear.width * module) / 2
            code.append(_linear_ops(linear, left, bottom, module, bar_height))
            bottom += bar_height + self.gap
        area = _Box(box.x, bottom, box.width, top - bottom)
        if not matrix:
            self.draw_text(lines, area)
            return
        if width > height:  # symbol at the left, text at its right
            module = self.module(
                f"serial {label.serial!r}", matrix, min(area.height, area.width / 2)
            )
            side = (matrix.width + 2 * matrix.quiet) * module
            text_x = area.x + side + self.gap
            self.draw_text(lines, _Box(text_x, area.y, area.x + area.width - text_x, area.height))
            room = _Box(area.x, area.y, side, area.height)
        else:  # text above, symbol centered below
            used = self.draw_text(lines, area) + self.gap
            room = _Box(area.x, area.y, area.width, area.height - used)
            module = self.module(f"serial {label.serial!r}", matrix, min(room.width, room.height))
            side = (matrix.width + 2 * matrix.quiet) * module
        quiet = matrix.quiet * module
        left = room.x + (room.width - side) / 2 + quiet
        symbol_top = room.y + room.height - (room.height - side) / 2 - quiet
        code.append(_matrix_ops(matrix, left, symbol_top, module))


def _package_symbols(label):
    """The GS1-128 symbols of a `PackageLabel`, top one first (the SSCC last: it goes
    at the bottom of the label)."""
    return [
        _linear(payload.data, True, payload.hri)
        for payload in sscc.label_payloads(label.sscc, label.gtin, label.count)
    ]


def _draw_package_label(page, x, y, label, symbols):
    layout = page.layout
    pad = layout.padding
    width, height = layout.label_size
    box = _Box(x + pad, y + pad, width - 2 * pad, height - 2 * pad)
    what = f"SSCC {label.sscc}"
    name = (page.bold_font, layout.name_size, page.name_leading)
    text = (page.font, layout.text_size, page.text_leading)
    lines = [(*name, label.title, layout.name_lines)]
    lines += [(*text, line, 1) for line in label.lines]
    lines = [line for line in lines if line[3]]
    # the barcodes share what the title and first contents line leave
    text_height = sum(line[2] for line in page.fit(lines[:2], box.width)) + page.gap
    hri_height = page.text_leading + page.gap
    low, high = layout.linear_height
    room = box.height - text_height - len(symbols) * hri_height
    bar_height = min(high, max(low, room / len(symbols)))
    top, bottom = box.y + box.height, box.y
    code = page.canvas._code
    for symbol in reversed(symbols):  # from the bottom up
        bottom += page.draw_hri(symbol.hri, _Box(box.x, bottom, box.width, 0), True)
        bottom += page.gap / 2
        module = page.module(what, symbol, box.width, margin=pad)
        if bottom + bar_height > top:
            raise ValueError(
                f"The barcodes of {what} do not fit a label of {layout.title}: each "
                f"needs {bar_height / MM:.1f} mm of height."
            )
        left = box.x + (box.width - symbol.width * module) / 2
        code.append(_linear_ops(symbol, left, bottom, module, bar_height))
        bottom += bar_height + page.gap
    page.draw_text(lines, _Box(box.x, bottom, box.width, top - bottom))


def render_package_labels(
    labels,
    layout,
    copies=1,
    start_position=1,
    font=FONT,
    bold_font=BOLD_FONT,
    compress=True,
):
    """The PDF (bytes) of `PackageLabel` values on ``layout``, each ``copies`` times.

    Raises ``ValueError`` naming the SSCC when it is not valid (checked for all
    labels before drawing) or its barcodes do not fit the layout.
    """
    prepared = []
    for label in labels:
        try:
            prepared.append((label, _package_symbols(label)))
        except ValueError as error:
            raise ValueError(f"No GS1-128 for SSCC {label.sscc!r}: {error}") from error
    return _render(
        prepared,
        layout,
        _draw_package_label,
        "SSCC labels",
        copies,
        start_position,
        {},
        font,
        bold_font,
        compress,
    )


def _render(
    prepared, layout, draw, title, copies, start_position, captions, font, bold_font, compress
):
    """Draw each (label, symbols) of ``prepared`` ``copies`` times with ``draw(page,
    x, y, label, symbols)``, filling the layout's slots from ``start_position``."""
    _check_request(len(prepared), copies, start_position, layout)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=layout.page_size, pageCompression=int(compress))
    canvas.setTitle(title)
    page = _Page(canvas, layout, {**CAPTIONS, **(captions or {})}, font, bold_font)
    slots = layout.slots()
    position = start_position - 1
    for label, symbols in prepared:
        for _copy in range(copies):
            if position == len(slots):
                canvas.showPage()
                position = 0
            draw(page, *slots[position], label, symbols)
            position += 1
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _check_request(label_count, copies, start_position, layout):
    problem = print_problem(label_count, copies, start_position, layout)
    if problem == "copies_low":
        raise ValueError("The number of copies must be at least 1.")
    if problem == "copies_high":
        raise ValueError(f"At most {MAX_COPIES} copies of each label are printed.")
    if problem == "too_many":
        raise ValueError(f"At most {MAX_LABELS} labels are printed at once.")
    if problem == "position":
        raise ValueError(
            f"The start position must be between 1 and {layout.per_page} on {layout.title}."
        )


def render_labels(
    labels,
    layout,
    symbology,
    copies=1,
    start_position=1,
    captions=None,
    font=FONT,
    bold_font=BOLD_FONT,
    compress=True,
):
    """The PDF (bytes) of ``labels`` (`Label` values or dicts of its fields) on
    ``layout`` (a `label_layouts.Layout`), each ``copies`` times in a row.

    ``symbology``: a name of `SYMBOLOGIES` or a sequence of two, one linear and one 2D.
    ``start_position``: the first free label of the first sheet, from 1, in reading order.
    ``compress``: compress the page streams: 2 to 8 times smaller files for about the
    same time (zlib costs what writing the larger file saves, see bench/).

    Raises ``ValueError`` naming the serial when a label's barcode cannot be made
    (checked for all labels before drawing) or does not fit the layout.
    """
    names = (symbology,) if isinstance(symbology, str) else tuple(symbology)
    unknown = [name for name in names if name not in SYMBOLOGIES]
    if unknown or not names:
        raise ValueError(f"Unknown symbology {', '.join(unknown) or symbology!r}.")
    labels = [label if isinstance(label, Label) else Label(**label) for label in labels]
    _check_request(len(labels), copies, start_position, layout)
    prepared = [(label, build_symbols(label, names)) for label in labels]
    return _render(
        prepared,
        layout,
        _Page.draw_label,
        "Serial number labels",
        copies,
        start_position,
        captions,
        font,
        bold_font,
        compress,
    )
