# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Label PDFs, without a database: rasterised with poppler and every barcode decoded
with zxing-cpp, text read back with pdftotext."""

import re
import unicodedata
import unittest
from datetime import date

import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfbase.pdfmetrics import stringWidth

from ..lib.label_layouts import LAYOUTS, MM
from ..lib.label_render import ELLIPSIS, Label, render_labels, shorten, wrap
from .pdf_tools import DPI, decode, pdf_text, rasterise

GTIN = "04006381333931"
SYMBOLOGIES = ("code128", "gs1_128", "gs1_datamatrix", "qr_digital_link")
IDENTIFIERS = {
    "code128": "]C0",
    "gs1_128": "]C1",
    "gs1_datamatrix": "]d2",
    "qr_digital_link": "]Q1",
}
LONG_NAME = "Industrial cordless hammer drill with two batteries and a carrying case, blue"


def _label(number, lot=None, expiry=None, name=LONG_NAME):
    serial = f"SN{number:05d}"
    return Label(
        serial=serial,
        product_name=name,
        default_code="HD-18",
        gtin="4006381333931",
        lot=lot,
        expiry=expiry,
        digital_link=f"https://id.example.com/01/{GTIN}/21/{serial}",
    )


LABELS = (
    _label(1, lot="L2507", expiry=date(2027, 6, 30)),
    _label(2),
    _label(3, lot="B7"),
    _label(4, expiry=date(2026, 12, 31)),
)


def _expected(label, symbology):
    """The payload a scanner must read, spelt out here rather than taken from lib."""
    if symbology == "code128":
        return label.serial
    if symbology == "qr_digital_link":
        return f"https://id.example.com/01/{GTIN}/21/{label.serial}"
    data = f"01{GTIN}"
    if label.expiry:
        data += "17" + label.expiry.strftime("%y%m%d")
    if label.lot:
        data += f"10{label.lot}\x1d"
    return data + f"21{label.serial}"


def _formats(symbologies):
    names = {
        "code128": "Code128",
        "gs1_128": "Code128",
        "gs1_datamatrix": "DataMatrix",
        "qr_digital_link": "QRCode",
    }
    return zxingcpp.barcode_formats_from_str(",".join({names[name] for name in symbologies}))


class TestLabelRender(unittest.TestCase):
    def pages(self, pdf, first=None, last=None):
        return rasterise(pdf, first, last)

    def text(self, pdf, *options):
        return pdf_text(pdf, *options)

    def decode(self, page, symbologies):
        """(identifier, text, position) of each barcode on ``page``."""
        return decode(page, _formats(symbologies))

    def slot_of(self, layout, position):
        """Index of the label (reading order) holding the center of a decoded symbol."""
        points = (position.top_left, position.top_right, position.bottom_left)
        x = sum(point.x for point in points) / 3 * 72 / DPI
        y = sum(point.y for point in points) / 3 * 72 / DPI
        width, height = layout.label_size
        page_height = layout.page_size[1]
        for index, (left, bottom) in enumerate(layout.slots()):
            top = page_height - bottom - height
            if left <= x <= left + width and top <= y <= top + height:
                return index
        self.fail(f"barcode at ({x:.0f}, {y:.0f}) pt is outside every label")

    def assertPage(self, page, layout, symbologies, expected_slots):
        """``expected_slots``: {slot index: label}; every symbology of each label must
        be read once from its slot with the exact payload and identifier."""
        expected = sorted(
            (IDENTIFIERS[name], _expected(label, name), slot)
            for slot, label in expected_slots.items()
            for name in symbologies
        )
        found = sorted(
            (identifier, text, self.slot_of(layout, position))
            for identifier, text, position in self.decode(page, symbologies)
        )
        self.assertEqual(found, expected)

    def test_every_layout_and_symbology(self):
        cases = [(name,) for name in SYMBOLOGIES] + [("gs1_datamatrix", "code128")]
        for layout in LAYOUTS.values():
            for symbologies in cases:
                labels = LABELS
                if layout.name == "thermal_2x1" and "gs1_128" in symbologies:
                    labels = LABELS[1:2]  # (01) + (21) only: the rest is too long for 2"
                with self.subTest(layout=layout.name, symbologies=symbologies):
                    pdf = render_labels(labels, layout, symbologies)
                    if layout.per_page == 1:
                        pages = self.pages(pdf)
                        self.assertEqual(len(pages), len(labels))
                        for page, label in zip(pages, labels, strict=True):
                            self.assertPage(page, layout, symbologies, {0: label})
                    else:
                        (page,) = self.pages(pdf)
                        self.assertPage(page, layout, symbologies, dict(enumerate(labels)))

    def test_start_position_and_copies(self):
        layout = LAYOUTS["a4_3x8"]
        labels = LABELS[:2]
        pdf = render_labels(labels, layout, "gs1_datamatrix", copies=3, start_position=20)
        first, second = self.pages(pdf)
        # positions 20 to 24 on the first sheet, then the second sheet from the top
        self.assertPage(first, layout, ["gs1_datamatrix"], {19: labels[0], 20: labels[0],
                        21: labels[0], 22: labels[1], 23: labels[1]})  # fmt: skip
        self.assertPage(second, layout, ["gs1_datamatrix"], {0: labels[1]})

    def test_many_pages(self):
        layout = LAYOUTS["letter_avery_5160"]
        labels = [_label(number) for number in range(65)]
        pdf = render_labels(labels, layout, "code128", start_position=30)
        self.assertEqual(self.text(pdf).count("\f"), 4)  # 1 + 30 + 30 + 4 labels
        (last,) = self.pages(pdf, first=4)
        self.assertPage(last, layout, ["code128"], dict(enumerate(labels[61:])))

    def test_text(self):
        layout = LAYOUTS["a4_3x8"]
        text = self.text(render_labels(LABELS, layout, "gs1_128"), "-raw")
        # the HRI may take two lines, broken between elements
        self.assertIn(
            "(01) 04006381333931 (17) 270630 (10) L2507 (21) SN00001", " ".join(text.split())
        )
        self.assertIn("(01) 04006381333931 (21) SN00002\n", text)
        self.assertIn("S/N SN00003", text)
        self.assertIn("HD-18", text)
        self.assertIn("Industrial cordless hammer drill with two\nbatteries and a", text)
        # one line for the name on Avery 5160: the end of the long name is cut
        text = self.text(render_labels(LABELS, LAYOUTS["letter_avery_5160"], "code128"), "-raw")
        self.assertRegex(text, f"\nIndustrial cordless hammer drill [^\n]*{ELLIPSIS}\n")
        self.assertNotIn("blue", text)
        # without a GS1 symbology, lot and expiry are printed as text
        text = self.text(
            render_labels(LABELS, layout, "code128", captions={"serial": "N° série"}), "-raw"
        )
        self.assertIn("Lot L2507", text)
        self.assertIn("Exp. 2027-06-30", text)
        self.assertIn("N° série SN00001", text)
        self.assertNotIn("(01)", text)

    def test_text_stays_in_its_label(self):
        """Every word pdftotext finds lies inside its label, padding excluded."""
        names = [LONG_NAME, "W" * 80, "x", "Ünïcödé ñame with àccents " * 4, "A" * 3 + " B" * 60]
        for layout in LAYOUTS.values():
            labels = [
                _label(index, lot="LOT-" + "9" * 16, expiry=date(2030, 1, 1), name=name)
                for index, name in enumerate(names)
            ]
            for symbology in ("code128", "gs1_datamatrix", "qr_digital_link"):
                with self.subTest(layout=layout.name, symbology=symbology):
                    pdf = render_labels(labels, layout, symbology)
                    boxes = re.findall(
                        r'<page width="[\d.]+" height="[\d.]+">|<word xMin="([\d.]+)" '
                        r'yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">',
                        self.text(pdf, "-bbox"),
                    )
                    self.assertGreater(len(boxes), 5 * len(names))
                    self.assertWordsInLabels(layout, boxes)

    def assertWordsInLabels(self, layout, boxes):
        width, height = layout.label_size
        page_height = layout.page_size[1]
        pad = layout.padding - 0.5  # pdftotext's boxes are a little generous
        slots = [
            (left + pad, page_height - bottom - height + pad, left + width - pad,
             page_height - bottom - pad)
            for left, bottom in layout.slots()
        ]  # fmt: skip
        for box in boxes:
            if not box[0]:
                continue  # a new page
            x_min, y_min, x_max, _y_max = map(float, box)
            # word boxes include the font's ascent and descent: check the horizontal
            # extent strictly, the vertical one by the middle of the box
            middle = (y_min + float(box[3])) / 2
            self.assertTrue(
                any(
                    left <= x_min and x_max <= right and top <= middle <= bottom
                    for left, top, right, bottom in slots
                ),
                f"word at x {x_min:.1f}-{x_max:.1f}, y {y_min:.1f} outside its label",
            )

    def test_errors(self):
        layout = LAYOUTS["a4_3x8"]
        no_gtin = Label(serial="NOGTIN-1", product_name="Screw")
        for symbology, reason in (
            ("gs1_datamatrix", "No GS1 DataMatrix for serial 'NOGTIN-1': the product has no GTIN"),
            ("gs1_128", "No GS1-128 for serial 'NOGTIN-1'"),
            ("qr_digital_link", "No QR code (GS1 Digital Link) for serial 'NOGTIN-1'"),
        ):
            with self.subTest(symbology=symbology), self.assertRaises(ValueError) as caught:
                render_labels([LABELS[0], no_gtin], layout, symbology)
            self.assertIn(reason, str(caught.exception))
        bad = Label(serial="SN 1", gtin=GTIN)
        with self.assertRaisesRegex(ValueError, "serial 'SN 1'.*not allow: ' '"):
            render_labels([bad], layout, "gs1_datamatrix")
        self.assertTrue(render_labels([bad], layout, "code128").startswith(b"%PDF"))
        with self.assertRaisesRegex(ValueError, r"serial 'caf\\xe9'|serial 'café'"):
            render_labels([Label(serial="café")], layout, "code128")
        too_long = _label(9, lot="L" * 20, expiry=date(2027, 1, 1))
        with self.assertRaisesRegex(ValueError, "serial 'SN00009' does not fit a label of Thermal"):
            render_labels([too_long], LAYOUTS["thermal_2x1"], "gs1_128")
        with self.assertRaisesRegex(ValueError, "start position must be between 1 and 24"):
            render_labels(LABELS, layout, "code128", start_position=25)
        with self.assertRaisesRegex(ValueError, "between 1 and 1 on"):
            render_labels(LABELS, LAYOUTS["thermal_4x6"], "code128", start_position=2)
        with self.assertRaisesRegex(ValueError, "copies"):
            render_labels(LABELS, layout, "code128", copies=0)
        with self.assertRaisesRegex(ValueError, "Unknown symbology 'ean13'"):
            render_labels(LABELS, layout, "ean13")

    def test_dict_labels(self):
        labels = [{"serial": "D1", "product_name": "Dict"}]
        pdf = render_labels(labels, LAYOUTS["a4_3x8"], "code128")
        self.assertIn("S/N D1", self.text(pdf))


def _cut_ok(original, shortened):
    """``shortened`` is ``original`` or a prefix of it (trailing spaces dropped) plus an
    ellipsis, never separating a character from its combining marks."""
    if shortened == original:
        return True
    if not shortened:
        return True
    if not shortened.endswith(ELLIPSIS):
        return False
    prefix = shortened[: -len(ELLIPSIS)]
    if not original.startswith(prefix):
        return False
    # the cut was at the end of the prefix or after spaces dropped from it, and before a
    # character that is not a combining mark
    rest = original[len(prefix) :]
    spaces = len(rest) - len(rest.lstrip())
    return not prefix or any(
        cut == len(rest) or not unicodedata.combining(rest[cut]) for cut in range(spaces + 1)
    )


class TestTextFitting(unittest.TestCase):
    text = st.text(
        alphabet=st.one_of(
            st.characters(min_codepoint=32, max_codepoint=0x24F),
            st.sampled_from(" \u0301\u0308"),
        ),
        max_size=120,
    )

    @settings(max_examples=300, deadline=None)
    @given(text, st.floats(min_value=0, max_value=400), st.sampled_from([5, 7, 11.5, 16]))
    def test_shorten(self, text, width, size):
        for font in ("Helvetica", "Helvetica-Bold"):
            result = shorten(text, font, size, width)
            self.assertLessEqual(stringWidth(result, font, size), width + 1e-9)
            self.assertTrue(_cut_ok(text, result), (text, result))
            if stringWidth(text, font, size) <= width:
                self.assertEqual(result, text)
            elif result:
                self.assertTrue(result.endswith(ELLIPSIS))

    @settings(max_examples=300, deadline=None)
    @given(text, st.floats(min_value=20, max_value=300), st.integers(1, 3))
    def test_wrap(self, text, width, lines):
        result = wrap(text, "Helvetica-Bold", 8, width, lines)
        self.assertLessEqual(len(result), lines)
        for line in result:
            self.assertLessEqual(stringWidth(line, "Helvetica-Bold", 8), width + 1e-9)
        words = " ".join(text.split())
        if result and not result[-1].endswith(ELLIPSIS):
            # nothing was cut: the lines hold every character of the text, in order
            self.assertEqual("".join(" ".join(result).split()), "".join(words.split()))

    def test_examples(self):
        self.assertEqual(shorten("Hello world", "Helvetica", 10, 1000), "Hello world")
        cut = shorten("Hello world", "Helvetica", 10, stringWidth("Hello w", "Helvetica", 10))
        self.assertEqual(cut, "Hello" + ELLIPSIS)
        # "e" + combining acute accent is one glyph: never cut between them
        text = "Cafe\u0301 au lait"
        for width in range(1, 80):
            self.assertTrue(_cut_ok(text, shorten(text, "Helvetica", 10, width)))
        self.assertEqual(shorten("Hello", "Helvetica", 10, 1), "")
        self.assertEqual(
            wrap("aaa bbb ccc ddd", "Helvetica", 10, stringWidth("aaa bbb", "Helvetica", 10), 2),
            ("aaa bbb", "ccc ddd"),
        )
        self.assertEqual(len(wrap("W" * 50, "Helvetica", 10, 60, 2)), 2)
        self.assertEqual(MM * 25.4, 72.0)
