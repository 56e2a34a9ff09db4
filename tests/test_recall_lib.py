# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import BaseCase, tagged

from ..lib import recall as rules


@tagged("post_install", "-at_install")
class TestRecallLib(BaseCase):
    def test_where(self):
        self.assertEqual(rules.where("in_stock"), rules.STOCK)
        self.assertEqual(rules.where("returned"), rules.STOCK)
        self.assertEqual(rules.where("in_transit"), rules.TRANSIT)
        self.assertEqual(rules.where("delivered"), rules.CUSTOMER)
        self.assertEqual(rules.where("vendor_returned"), rules.VENDOR)
        for state in ("scrapped", "consumed", "lost"):
            self.assertEqual(rules.where(state), rules.GONE)
        self.assertEqual(rules.where("new"), rules.NOT_RECEIVED)

    def test_resolution(self):
        self.assertTrue(rules.is_resolved("returned"))
        self.assertTrue(rules.is_resolved("destroyed"))
        self.assertFalse(rules.is_resolved("notified"))
        self.assertFalse(rules.is_resolved("unreachable"))
        self.assertTrue(rules.is_resolved("unreachable", written_off=True))
        self.assertEqual(rules.progress(0, 0), 100.0)
        self.assertEqual(rules.progress(2, 4), 50.0)

    def test_serial_list(self):
        self.assertEqual(
            rules.parse_serial_list(" A1 \nA2,A3;A4\tA1\r\n\n , "), ["A1", "A2", "A3", "A4"]
        )
        self.assertEqual(rules.parse_serial_list(""), [])
        self.assertEqual(rules.parse_serial_list(None), [])

    def test_serial_csv(self):
        self.assertEqual(
            rules.parse_serial_csv(b"\xef\xbb\xbfProduct,Serial Number\nX,S1\nX,S2\n\nY,S1\n"),
            ["S1", "S2"],
        )
        self.assertEqual(rules.parse_serial_csv(b"S1;foo\nS2;bar\n"), ["S1", "S2"])
        self.assertEqual(rules.parse_serial_csv("lot\nÄ-1\n".encode("latin-1")), ["Ä-1"])
        self.assertEqual(rules.parse_serial_csv(b""), [])
        with self.assertRaises(ValueError):
            rules.parse_serial_csv(b"\x89PNG\x00\x00")

    def test_serial_csv_headers(self):
        # (file, serials): Odoo's export headers (labels and import-compatible
        # field names) and the most telling header when several match
        cases = [
            (b"Product,Lot/Serial Number\nX,S1\n", ["S1"]),
            (b"Name,Lot/Serial Number\nX,S1\n", ["S1"]),
            (b"Reference,Lot/Serial Number/Lot/Serial Number\nX,S1\n", ["S1"]),
            (b"id,product_id,lot_id/name\n__export__.x,X,S1\n", ["S1"]),
            (b"Product,Lot/Serial Number Name\nX,S1\n", ["S1"]),
            (b"Name,Lot\nX,S1\n", ["S1"]),
            (b"S0,X\nS1,Y\n", ["S0", "S1"]),
        ]
        for data, serials in cases:
            with self.subTest(data=data):
                self.assertEqual(rules.parse_serial_csv(data), serials)
        french = "Article;Numéro de lot/série\nX;S1\n".encode()
        self.assertEqual(rules.parse_serial_csv(french), ["Article", "X"])
        self.assertEqual(rules.parse_serial_csv(french, ["Numéro de lot/série"]), ["S1"])

    def test_serial_csv_refused(self):
        cases = [
            (b"x" * (rules.MAX_CSV_BYTES + 1), "too_large"),
            (b"\x89PNG\x00\x00", "not_text"),
            (b'serial\n"' + b"x" * 200_000 + b'"\n', "malformed"),
        ]
        for data, reason in cases:
            with self.subTest(reason=reason), self.assertRaises(rules.SerialFileError) as caught:
                rules.parse_serial_csv(data)
            self.assertEqual(caught.exception.reason, reason)
        self.assertEqual(caught.exception.line, 2)
        self.assertIn("field limit", caught.exception.detail)
        # a file of exactly the limit is read
        at_limit = b"serial\n" + b"S1\n" * ((rules.MAX_CSV_BYTES - 7) // 3)
        self.assertEqual(rules.parse_serial_csv(at_limit), ["S1"])

    def test_sequence_key(self):
        self.assertIsNone(rules.sequence_key(None))
        self.assertIsNone(rules.sequence_key({"batch": "B1"}))
        self.assertEqual(rules.sequence_key({"seq": 7}), (0, 0, 0, 0, 0, 7))
        jan = rules.sequence_key({"seq": 9, "mm": 1, "yy": 26})
        feb = rules.sequence_key({"seq": 1, "mm": 2, "yy": 26})
        self.assertEqual(feb, (2026, 2, 0, 0, 0, 1))
        self.assertLess(jan, feb)
        self.assertLess(
            rules.sequence_key({"seq": 9, "yyyy": 2025, "mm": 12, "dd": 31}),
            rules.sequence_key({"seq": 1, "yyyy": 2026, "mm": 1, "dd": 1}),
        )
        self.assertTrue(rules.in_range((2026, 2, 1), (2026, 1, 5), (2026, 2, 3)))
        self.assertTrue(rules.in_range((2026, 2, 1), (2026, 2, 3), (2026, 1, 5)))
        self.assertFalse(rules.in_range((2026, 2, 4), (2026, 1, 5), (2026, 2, 3)))
