# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""GS1 label payloads and the Code 128 and Data Matrix encoders, checked by decoding
their symbols with zxing-cpp (a decoder we did not write), without a database."""

import string
import unittest
from datetime import date

import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from ..lib import code128, datamatrix, gs1

GTIN = "04006381333931"


def _linear_image(widths, module=3, height=60):
    """A grey image of bars of ``widths`` modules (bar first) with 10-module quiet zones."""
    quiet = code128.QUIET_ZONE
    row = bytearray(b"\xff" * quiet)
    for index, width in enumerate(widths):
        row += (b"\x00" if index % 2 == 0 else b"\xff") * width
    row += b"\xff" * quiet
    image = Image.frombytes("L", (len(row), 1), bytes(row))
    return image.resize((len(row) * module, height), Image.NEAREST)


def _matrix_image(rows, module=4, quiet=2):
    """A grey image of a matrix symbol, ``quiet`` modules of white around."""
    size = len(rows)
    side = size + 2 * quiet
    pixels = bytearray(b"\xff" * side * side)
    for row_index, row in enumerate(rows):
        for col_index, dark in enumerate(row):
            if dark:
                pixels[(row_index + quiet) * side + col_index + quiet] = 0
    image = Image.frombytes("L", (side, side), bytes(pixels))
    return image.resize((side * module, side * module), Image.NEAREST)


def _decode(image, barcode_format):
    return [
        (result.symbology_identifier, result.bytes)
        for result in zxingcpp.read_barcodes(image, formats=barcode_format)
    ]


class TestLabelPayload(unittest.TestCase):
    def test_order_separator_and_hri(self):
        payload = gs1.label_payload("4006381333931", "SN1", date(2026, 12, 31), "LOT1")
        self.assertEqual(
            payload.elements, (("01", GTIN), ("17", "261231"), ("10", "LOT1"), ("21", "SN1"))
        )
        # fixed-length (01) and (17) first; GS only after the variable-length (10)
        self.assertEqual(payload.data, "01" + GTIN + "17261231" + "10LOT1\x1d" + "21SN1")
        self.assertEqual(payload.hri, "(01) 04006381333931 (17) 261231 (10) LOT1 (21) SN1")

    def test_optional_fields(self):
        payload = gs1.label_payload("96385074", "A-1/2")
        self.assertEqual(payload.data, "010000009638507421A-1/2")
        self.assertEqual(payload.hri, "(01) 00000096385074 (21) A-1/2")
        payload = gs1.label_payload(GTIN, "X", lot="L")
        self.assertEqual(payload.data, f"01{GTIN}10L\x1d21X")
        payload = gs1.label_payload(GTIN, "X", expiry=date(2031, 2, 3))
        self.assertEqual(payload.data, f"01{GTIN}1731020321X")
        self.assertNotIn(gs1.GS, payload.data)

    def test_limits(self):
        self.assertEqual(gs1.label_payload(GTIN, "S" * 20, lot="L" * 20).elements[2][1], "S" * 20)
        cases = {
            ("4006381333932", "SN1", None): "not a valid GTIN",
            (None, "SN1", None): "not a valid GTIN",
            (GTIN, "S" * 21, None): "serial 'SSSSSSSSSSSSSSSSSSSSS' (AI 21) has 21 characters",
            (GTIN, "", None): "serial (AI 21) is empty",
            (GTIN, "SN 1", None): "'SN 1' (AI 21) contains characters GS1 does not allow: ' '",
            (GTIN, "SN#é", None): "does not allow: '#' 'é'",
            (GTIN, "SN1", "L" * 21): "lot 'LLLLLLLLLLLLLLLLLLLLL' (AI 10) has 21 characters",
            (GTIN, "SN1", "L\x1d"): "lot 'L\\x1d' (AI 10) contains characters",
            (GTIN, "SN1", ""): "lot (AI 10) is empty",
        }
        for (gtin, serial, lot), message in cases.items():
            with self.subTest(serial=serial, lot=lot), self.assertRaises(ValueError) as caught:
                gs1.label_payload(gtin, serial, lot=lot)
            self.assertIn(message, str(caught.exception))

    def test_cset82(self):
        self.assertEqual(len(gs1.CSET82), 82)
        self.assertNotIn(" ", gs1.CSET82)
        self.assertNotIn("#", gs1.CSET82)


class TestCode128(unittest.TestCase):
    def assertDecodes(self, data, gs1_data=False):
        identifier = "]C1" if gs1_data else "]C0"
        self.assertEqual(
            _decode(_linear_image(code128.bars(data, gs1_data)), zxingcpp.BarcodeFormat.Code128),
            [(identifier, data.encode())],
            repr(data),
        )

    def test_decodes(self):
        for data in (
            "SN-000123",
            "1",
            "12",
            "123",
            "12345678",
            "1234567",
            "ABC1234D",
            "a1b22c333d4444",
            "lower case and UPPER",
            "tab\there",
            "a\x01b\x02C",
            "\x00\x7f",
            "00001111X2222",
        ):
            with self.subTest(data=data):
                self.assertDecodes(data)

    def test_gs1(self):
        self.assertDecodes(f"01{GTIN}17261231" + "10LOT1\x1d21SN1", gs1_data=True)
        self.assertDecodes(f"01{GTIN}10ab\x1d21x-y", gs1_data=True)
        self.assertDecodes(f"01{GTIN}21123", gs1_data=True)
        values = code128.encode(f"01{GTIN}21SN1", gs1=True)
        self.assertEqual(values[:2], [code128.START["C"], code128.FNC1])

    def test_shortest_code_sets(self):
        # start C, four digit pairs, check, stop
        self.assertEqual(len(code128.encode("12345678")), 7)
        # start C, three pairs, code B, "7", check, stop (or start B, "1", code C...)
        self.assertEqual(len(code128.encode("1234567")), 8)
        # a lone control character in B text takes a shift, not two switches
        self.assertEqual(code128.encode("ab\x01cd")[:5], [104, 65, 66, code128.SHIFT, 65])
        # digit runs shorter than four stay in B
        self.assertEqual(code128.encode("A12B")[:5], [103, 33, 17, 18, 34])

    def test_errors(self):
        with self.assertRaisesRegex(ValueError, "empty"):
            code128.bars("")
        with self.assertRaisesRegex(ValueError, "'é'.*ASCII only"):
            code128.bars("café")

    @settings(max_examples=150, deadline=None)
    @given(st.text(alphabet=st.characters(max_codepoint=127), min_size=1, max_size=40))
    def test_any_ascii(self, data):
        self.assertDecodes(data)

    @settings(max_examples=80, deadline=None)
    @given(
        st.text(alphabet="0123456789", min_size=1, max_size=20),
        st.text(alphabet=sorted(gs1.CSET82), min_size=1, max_size=20),
    )
    def test_any_gs1(self, lot, serial):
        self.assertDecodes(f"01{GTIN}10{lot}\x1d21{serial}", gs1_data=True)


class TestDataMatrix(unittest.TestCase):
    def assertDecodes(self, data, gs1_data=False, size=None):
        rows = datamatrix.encode(data, gs1_data)
        if size is not None:
            self.assertEqual(len(rows), size, repr(data))
        identifier = "]d2" if gs1_data else "]d1"
        self.assertEqual(
            _decode(_matrix_image(rows), zxingcpp.BarcodeFormat.DataMatrix),
            [(identifier, data.encode("latin-1"))],
            f"{data!r} in {len(rows)}x{len(rows)}",
        )

    def test_reed_solomon(self):
        # ISO/IEC 16022 annex O: "123456" in a 10x10 symbol
        self.assertEqual(datamatrix.codewords("123456"), [142, 164, 186])
        self.assertEqual(datamatrix.reed_solomon([142, 164, 186], 5), [114, 25, 5, 88, 102])

    def test_padding(self):
        # scanners stop at the first pad, so only the codewords show the 253-state pads:
        # pad 2 at position 3 is 129 + (149 * 3 % 253 + 1) - 254
        self.assertEqual(datamatrix._padded([66], 3), [66, 129, 70])
        self.assertEqual(datamatrix._padded([66, 67, 68], 5)[3:], [129, 115])
        self.assertEqual(datamatrix._padded([66, 67, 68], 3), [66, 67, 68])

    def test_codewords(self):
        self.assertEqual(datamatrix.codewords("A1", gs1=True), [232, 66, 50])
        self.assertEqual(datamatrix.codewords("10A\x1d21", gs1=True), [232, 140, 66, 232, 151])
        self.assertEqual(datamatrix.codewords("\x1d"), [30])
        self.assertEqual(datamatrix.codewords("é"), [235, 0xE9 - 128 + 1])

    def test_every_size_and_length(self):
        """Every square size, every number of data codewords it holds: upper-case text
        (ReportLab's widget appends a NUL to upper-case data of length 3k + 1), then the
        same as GS1 with a separator."""
        previous = 0
        for size, capacity, *_rest in datamatrix.SIZES:
            for count in range(previous + 1, capacity + 1):
                text = "".join(string.ascii_uppercase[i % 26] for i in range(count))
                with self.subTest(size=size, count=count):
                    self.assertDecodes(text, size=size)
                    if count >= 5:
                        # FNC1, "10", one letter, GS as FNC1, then digit pairs and letters
                        gs1_text = "10A\x1d21" + text[: count - 5]
                        self.assertEqual(len(datamatrix.codewords(gs1_text, gs1=True)), count)
                        self.assertDecodes(gs1_text, gs1_data=True, size=size)
            previous = capacity

    def test_digits_and_latin1(self):
        for length in range(1, 60):
            with self.subTest(length=length):
                self.assertDecodes(("9876543210" * 6)[:length])
        self.assertDecodes("Grüße, ¡ñ ÿ © \x80")
        self.assertDecodes("01" + GTIN + "17261231" + "10LOT1\x1d21SN1", gs1_data=True)

    def test_too_long(self):
        self.assertDecodes("A" * 204, size=52)
        with self.assertRaisesRegex(ValueError, "205 codewords are too many"):
            datamatrix.encode("A" * 205)
        with self.assertRaisesRegex(ValueError, "Latin-1 only"):
            datamatrix.encode("€")

    def test_spans_match_matrix(self):
        data = "01" + GTIN + "21SN1"
        rows = datamatrix.encode(data, gs1=True)
        size, spans = datamatrix.dark_spans(data, gs1=True)
        drawn = [[0] * size for _ in range(size)]
        for start, end in spans:
            row, col = divmod(start, size + 1)
            self.assertLessEqual(col + end - start, size)
            for offset in range(end - start):
                drawn[row][col + offset] = 1
        self.assertEqual(tuple(map(tuple, drawn)), rows)
