"""Label stock: page and label sizes, where each label sits on the page, type sizes.

Free of the ORM.  All lengths are PDF points (1/72 in); `MM` and `INCH` convert.  Labels
are numbered from 1 in reading order (left to right, then top to bottom), the numbering of
``start_position`` in `label_render.render_labels`.
"""

from dataclasses import dataclass

# The largest print asked: copies of each label, and labels in all (a 10^9
# copies request is refused before anything is drawn).
MAX_COPIES = 1000
MAX_LABELS = 100_000

INCH = 72.0
MM = INCH / 25.4
A4 = (210 * MM, 297 * MM)
LETTER = (8.5 * INCH, 11 * INCH)


@dataclass(frozen=True)
class Layout:
    """One kind of label stock and how text and barcodes are sized on it.

    ``left`` and ``top`` place the first label from the page's top-left corner,
    ``gap_x``/``gap_y`` separate columns/rows.  Barcode module widths (X) are kept within
    ``linear_module`` (Code 128, GS1-128) and ``matrix_module`` (Data Matrix, QR), both
    (smallest, largest); a barcode that does not fit at the smallest X raises an error
    rather than print unreadable.  The smallest linear X is 0.19 mm on thermal labels
    (2 dots at 300 dpi: a 203 dpi printer prints bars that thin unevenly, prefer a 2D
    symbology there) and 0.17 mm on sheets for laser printers.
    """

    name: str
    title: str
    page_size: tuple
    label_size: tuple
    columns: int = 1
    rows: int = 1
    left: float = 0.0
    top: float = 0.0
    gap_x: float = 0.0
    gap_y: float = 0.0
    padding: float = 4.0
    name_size: float = 7.0
    name_lines: int = 1
    text_size: float = 6.0
    linear_module: tuple = (0.19 * MM, 1.0 * MM)  # thermal
    matrix_module: tuple = (0.25 * MM, 1.0 * MM)
    linear_height: tuple = (5 * MM, 15 * MM)  # bar height: (smallest, largest)

    @property
    def per_page(self):
        return self.columns * self.rows

    def slots(self):
        """Lower-left corners of the labels of a page, in reading order."""
        width, height = self.label_size
        page_height = self.page_size[1]
        return [
            (
                self.left + column * (width + self.gap_x),
                page_height - self.top - (row + 1) * height - row * self.gap_y,
            )
            for row in range(self.rows)
            for column in range(self.columns)
        ]


def _centered(page_size, label_size, columns, rows):
    """(left, top) margins that center a grid of labels without gaps on the page."""
    return (
        (page_size[0] - columns * label_size[0]) / 2,
        (page_size[1] - rows * label_size[1]) / 2,
    )


_A4_LABEL = (70 * MM, 37 * MM)
_A4_LEFT, _A4_TOP = _centered(A4, _A4_LABEL, 3, 8)

LAYOUTS = {
    layout.name: layout
    for layout in (
        Layout(
            name="thermal_2x1",
            title='Thermal 2" x 1"',
            page_size=(2 * INCH, 1 * INCH),
            label_size=(2 * INCH, 1 * INCH),
            padding=0.06 * INCH,
        ),
        Layout(
            name="thermal_4x6",
            title='Thermal 4" x 6"',
            page_size=(4 * INCH, 6 * INCH),
            label_size=(4 * INCH, 6 * INCH),
            padding=0.2 * INCH,
            name_size=16,
            name_lines=2,
            text_size=11,
            linear_height=(10 * MM, 25 * MM),
        ),
        Layout(
            name="a4_3x8",
            title="A4, 3 x 8 labels of 70 x 37 mm",
            page_size=A4,
            label_size=_A4_LABEL,
            columns=3,
            rows=8,
            left=_A4_LEFT,
            top=_A4_TOP,
            padding=3 * MM,
            name_size=8,
            name_lines=2,
            text_size=7,
            linear_module=(0.17 * MM, 1.0 * MM),
        ),
        Layout(
            name="letter_avery_5160",
            title='US Letter, 3 x 10 labels of 2.625" x 1" (Avery 5160)',
            page_size=LETTER,
            label_size=(2.625 * INCH, 1 * INCH),
            columns=3,
            rows=10,
            left=0.1875 * INCH,
            top=0.5 * INCH,
            gap_x=0.125 * INCH,
            padding=0.08 * INCH,
            linear_module=(0.17 * MM, 1.0 * MM),
        ),
    )
}


def print_problem(label_count, copies, start_position, layout):
    """Why printing ``label_count`` labels ``copies`` times each from
    ``start_position`` on ``layout`` is refused, or ``None``: one of
    ``"copies_low"``, ``"copies_high"`` (over `MAX_COPIES`), ``"too_many"``
    (over `MAX_LABELS` labels in all) and ``"position"`` (not a label of the
    sheet)."""
    if copies < 1:
        return "copies_low"
    if copies > MAX_COPIES:
        return "copies_high"
    if label_count * copies > MAX_LABELS:
        return "too_many"
    if not 1 <= start_position <= layout.per_page:
        return "position"
    return None
