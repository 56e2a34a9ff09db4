# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""lib/scan.py: what scanners send, read with biip, without a database."""

import unittest
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from ..lib import gs1, recall, scan

GS = "\x1d"
GTIN = "04006381333931"
PHARMA = "03400930000120"
PHONE = "08859099508056"
EXAMPLE = "09506000134352"  # GS1's own Digital Link examples
SSCC = "106141411234567897"  # GS1 General Specifications, AI (00)

# (what the label is, what the scanner sends, what normalize() must read)
CORPUS = (
    (
        "supplier GS1-128: production, expiry, lot, serial",
        f"]C101{GTIN}11250115172701311024-0117{GS}21SN000123",
        {
            "kind": scan.GS1_ELEMENT_STRING,
            "gtin": GTIN,
            "production_date": date(2025, 1, 15),
            "expiry": date(2027, 1, 31),
            "lot": "24-0117",
            "serial": "SN000123",
        },
    ),
    (
        "supplier GS1-128: best before and additional product id (240)",
        f"01{GTIN}152612312409-ABC{GS}10L7{GS}21S1",
        {
            "gtin": GTIN,
            "best_before": date(2026, 12, 31),
            "lot": "L7",
            "serial": "S1",
            "other": {"240": "9-ABC"},
        },
    ),
    (
        "manufacturer label: 01 + 11 + 21, no separator needed",
        f"01{GTIN}1125013121ABC123",
        {"gtin": GTIN, "production_date": date(2025, 1, 31), "serial": "ABC123"},
    ),
    (
        "01 + 240 + GS + 21",
        f"01{GTIN}240REF-77{GS}21SN81",
        {"gtin": GTIN, "serial": "SN81", "other": {"240": "REF-77"}},
    ),
    (
        "hand-typed with a space where FNC1 goes",
        f"01{EXAMPLE} 21SN81",
        {"gtin": EXAMPLE, "serial": "SN81"},
    ),
    (
        "pharma DataMatrix (EU FMD): 01, 17, 10, 21 with ]d2 and GS",
        f"]d201{PHARMA}17280630101234A{GS}21PK7Q2XZ9",
        {"gtin": PHARMA, "expiry": date(2028, 6, 30), "lot": "1234A", "serial": "PK7Q2XZ9"},
    ),
    (
        "pharma DataMatrix, serial first, leading FNC1 sent as GS",
        f"{GS}01{PHARMA}21PK7Q2XZ9{GS}10B1{GS}17280600",
        {"gtin": PHARMA, "serial": "PK7Q2XZ9", "lot": "B1", "expiry": date(2028, 6, 30)},
    ),
    (
        "electronics DataMatrix: serial and CPV (22)",
        f"]d201{PHONE}22REV-B{GS}21R58N12ABCD",
        {"gtin": PHONE, "cpv": "REV-B", "serial": "R58N12ABCD"},
    ),
    (
        "keyboard wedge sending FNC1 as #",
        f"01{GTIN}10LOT#21SN-1",
        {"gtin": GTIN, "lot": "LOT", "serial": "SN-1"},
    ),
    (
        "keyboard wedge sending FNC1 as Alt029",
        f"01{GTIN}10LOTAlt02921SN-1",
        {"gtin": GTIN, "lot": "LOT", "serial": "SN-1"},
    ),
    (
        "GS1 DataBar: ]e0",
        f"]e001{GTIN}21SN9",
        {"gtin": GTIN, "serial": "SN9", "symbology": "e0"},
    ),
    (
        "human-readable interpretation",
        f"(01) {GTIN} (17) 270131 (10) L1 (21) SN-1",
        {"gtin": GTIN, "expiry": date(2027, 1, 31), "lot": "L1", "serial": "SN-1"},
    ),
    (
        "Digital Link with lot",
        f"https://id.example.com/01/{EXAMPLE}/10/ABC1/21/12345",
        {"kind": scan.DIGITAL_LINK, "gtin": EXAMPLE, "lot": "ABC1", "serial": "12345"},
    ),
    (
        "Digital Link without lot, path prefix, short GTIN",
        "https://brand.example.org/products/01/9506000134352/21/SN%2F1",
        {"kind": scan.DIGITAL_LINK, "gtin": EXAMPLE, "serial": "SN/1", "lot": None},
    ),
    (
        "Digital Link with CPV (22) and query attributes",
        f"https://example.com/01/{EXAMPLE}/22/2A/10/L1/21/S1?17=271231&3103=000189&foo=bar",
        {
            "kind": scan.DIGITAL_LINK,
            "gtin": EXAMPLE,
            "cpv": "2A",
            "lot": "L1",
            "serial": "S1",
            "expiry": date(2027, 12, 31),
            "other": {"3103": "000189"},
        },
    ),
    (
        "Digital Link in a GS1 QR Code",
        f"]Q3https://id.gs1.org/01/{EXAMPLE}/21/X1",
        {"kind": scan.DIGITAL_LINK, "gtin": EXAMPLE, "serial": "X1", "symbology": "Q3"},
    ),
    (
        "Digital Link in a plain QR Code (]Q1)",
        f"]Q1https://id.gs1.org/01/{EXAMPLE}/21/X1",
        {"kind": scan.DIGITAL_LINK, "gtin": EXAMPLE, "serial": "X1"},
    ),
    ("SSCC label, GS1-128", f"]C100{SSCC}", {"kind": scan.SSCC, "sscc": SSCC}),
    ("SSCC with (00)", f"(00){SSCC}", {"kind": scan.SSCC, "sscc": SSCC}),
    ("SSCC HRI with spaces", "(00) 1 0614141 123456789 7", {"sscc": SSCC}),
    ("SSCC element string", f"00{SSCC}", {"kind": scan.SSCC, "sscc": SSCC}),
    ("SSCC alone", SSCC, {"kind": scan.PLAIN, "sscc": SSCC}),
    (
        "logistic label content: (02) + (37)",
        f"]C102{GTIN}3750",
        {"gtin": GTIN, "quantity": 50, "other": {"02": GTIN}},
    ),
    (
        "EPC SGTIN URN (Tag Data Standard example)",
        "urn:epc:id:sgtin:0614141.812345.6789",
        {"kind": scan.EPC, "gtin": "80614141123458", "serial": "6789"},
    ),
    (
        "EPC SGTIN URN, escaped serial",
        "urn:epc:id:sgtin:4006381.033393.SN%2F1",
        {"kind": scan.EPC, "gtin": GTIN, "serial": "SN/1"},
    ),
    (
        "EPC SSCC URN (Tag Data Standard example)",
        "urn:epc:id:sscc:0614141.1234567890",
        {"kind": scan.EPC, "sscc": "106141412345678908"},
    ),
    ("plain serial", "SN-0001", {"kind": scan.PLAIN, "serial": None, "text": "SN-0001"}),
    ("plain numeric serial that biip reads as AI 10", "1012345", {"kind": scan.PLAIN}),
    ("EAN-13 product barcode", "4006381333931", {"kind": scan.PLAIN, "gtin": GTIN}),
    ("wedge prefix STX and suffix CR LF", "\x02SN-0001\r\n", {"text": "SN-0001"}),
    ("wedge suffix Tab", f"]C101{GTIN}21SN1\t", {"serial": "SN1"}),
    ("leading and trailing spaces", "   SN 1  ", {"kind": scan.PLAIN, "text": "SN 1"}),
)

BAD = (
    ("empty", "", scan.EMPTY),
    ("only a wedge's CR LF", "\r\n", scan.EMPTY),
    ("None", None, scan.EMPTY),
    ("10,000 characters", "A" * 10_000, scan.TOO_LONG),
    ("control character inside", "SN\x071", scan.CONTROL_CHARACTERS),
    ("NUL inside", f"01{GTIN}\x0021SN", scan.CONTROL_CHARACTERS),
    ("wrong GTIN check digit", f"01{GTIN[:-1]}2" + "21SN1", scan.CHECK_DIGIT),
    ("wrong check digit in a Digital Link", f"https://a.b/01/{GTIN[:-1]}2/21/S", scan.CHECK_DIGIT),
    ("wrong SSCC check digit", f"]C100{SSCC[:-1]}0", scan.CHECK_DIGIT),
    ("truncated GTIN", f"]C101{GTIN[:9]}", scan.TRUNCATED),
    ("truncated HRI", f"(01){GTIN[:-1]}", scan.TRUNCATED),
    ("empty serial at the end", f"(01){GTIN}(21)", scan.TRUNCATED),
    ("month 13", f"01{GTIN}1725133121X", scan.INVALID_DATE),
    ("unknown AI", f"]C101{GTIN}2312", scan.UNKNOWN_AI),
    ("serial too long", f"01{GTIN}21" + "S" * 21, scan.UNKNOWN_AI),
    ("qualifiers out of order", f"https://a.b/01/{EXAMPLE}/21/S1/10/L1", scan.INVALID_DIGITAL_LINK),
    ("a web page, not a Digital Link", "https://example.com/about", scan.INVALID_DIGITAL_LINK),
    ("EPC URN of another scheme", "urn:epc:id:sgln:0614141.12345.400", scan.INVALID_EPC),
    ("EPC SGTIN with too few digits", "urn:epc:id:sgtin:0614141.8123.6789", scan.INVALID_EPC),
    ("garbage in a GS1 symbol", "]d2%%%%", scan.UNKNOWN_AI),
)


class TestScanLib(unittest.TestCase):
    def test_corpus(self):
        for label, text, expected in CORPUS:
            with self.subTest(label):
                result = scan.normalize(text)
                self.assertIsNone(result.error, f"{label}: {result.detail}")
                for key, value in expected.items():
                    self.assertEqual(getattr(result, key), value, f"{label}: {key}")

    def test_bad_input(self):
        for label, text, error in BAD:
            with self.subTest(label):
                result = scan.normalize(text)
                self.assertEqual(result.error, error, f"{label}: {result.detail}")
                self.assertLessEqual(len(result.text), scan.MAX_LENGTH)

    def test_serial_of(self):
        for text, expected in [
            (" SN-1 ", (None, "SN-1")),
            ("0104006381333932215", (None, "0104006381333932215")),  # bad check digit
            (f"https://id.gs1.org/01/{GTIN}/21/SN%2F1", (GTIN, "SN/1")),
            (f"(01) {GTIN} (21) SN-0001", (GTIN, "SN-0001")),
            (f"]d201{GTIN}21SN-0001", (GTIN, "SN-0001")),
            (f"]d201{GTIN}\x1d21SN-0001", (GTIN, "SN-0001")),
            (f"01{GTIN}21SN-0001", (GTIN, "SN-0001")),
            (f"01{GTIN}1125013121SN-0001", (GTIN, "SN-0001")),
            (f"]C101{GTIN}1701010110LOT\x1d21SER", (GTIN, "SER")),
            (f"]C101{GTIN}10LOT", (None, f"01{GTIN}10LOT")),  # no serial
        ]:
            self.assertEqual(scan.serial_of(text), expected, text)

    def test_sscc_of(self):
        for text in (
            SSCC,
            f"00{SSCC}",
            f"(00){SSCC}",
            "(00) 1 0614141 123456789 7",
            f"]C100{SSCC}",
            f"]d200{SSCC}\x1d",
            f"  {SSCC}\n",
            "urn:epc:id:sscc:0614141.1123456789",
        ):
            with self.subTest(text=text):
                self.assertEqual(scan.sscc_of(text), SSCC)
        for text in ("106141411234567890", "PACK0000001", "", None, f"01{SSCC}"):
            with self.subTest(text=text):
                self.assertIsNone(scan.sscc_of(text))

    def test_recall_list_entries_are_scans(self):
        pasted = f"SN-1\n]d201{GTIN}21SN-2\nhttps://id.gs1.org/01/{GTIN}/21/SN-3; SN-1"
        self.assertEqual(recall.parse_serial_list(pasted), ["SN-1", "SN-2", "SN-3"])

    @given(st.text(alphabet=sorted(gs1.CSET82), min_size=1, max_size=20))
    def test_label_payloads_scan_back(self, serial):
        payload = gs1.label_payload(GTIN, serial, expiry=date(2027, 1, 31), lot="L1")
        texts = [payload.data, "]d2" + payload.data, "]C1" + payload.data + "\r\n"]
        if "(" not in serial:  # brackets in the serial make the HRI ambiguous
            texts.append(payload.hri)
        for text in texts:
            result = scan.normalize(text)
            self.assertEqual((result.gtin, result.serial, result.lot), (GTIN, serial, "L1"), text)
            self.assertEqual(result.expiry, date(2027, 1, 31))
        link = gs1.digital_link("https://id.example.com", GTIN, serial)
        self.assertEqual(scan.serial_of(link), (GTIN, serial))

    @settings(max_examples=500)
    @given(st.text(max_size=600))
    def test_fuzz_arbitrary_text(self, text):
        self._assert_handled(text)

    @settings(max_examples=500)
    @given(
        st.sampled_from([text for _label, text, _expected in CORPUS]),
        st.lists(
            st.tuples(
                st.sampled_from(["insert", "delete", "replace"]),
                st.integers(0, 200),
                st.characters(codec="utf-8") | st.sampled_from(list("0123456789()/#\x1d%")),
            ),
            max_size=6,
        ),
    )
    def test_fuzz_mutated_labels(self, text, mutations):
        for operation, position, char in mutations:
            position %= len(text) + 1
            if operation == "insert":
                text = text[:position] + char + text[position:]
            elif operation == "delete":
                text = text[:position] + text[position + 1 :]
            else:
                text = text[:position] + char + text[position + 1 :]
        self._assert_handled(text)

    def _assert_handled(self, text):
        """No exception escapes, and none is caught by normalize()'s last
        resort either: every input takes a path the module knows."""
        result = scan.normalize(text)
        self.assertNotEqual(result.error, scan.INTERNAL, result.detail)
        self.assertIsInstance(result.kind, str)
        if result.error is None and result.gtin:
            self.assertIsNotNone(gs1.gtin14(result.gtin))
