# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The lifecycle rules alone, without a database."""

import unittest

from hypothesis import given
from hypothesis import strategies as st

from ..lib import serial_lifecycle as lc

USAGES = ["supplier", "view", "internal", "customer", "inventory", "production", "transit"]


class TestClassify(unittest.TestCase):
    def test_table(self):
        cases = [
            # (src, dest, scrap, previous) -> (event, state)
            (("supplier", "internal", False, lc.NEW), (lc.RECEIPT, lc.IN_STOCK)),
            (("internal", "internal", False, lc.IN_STOCK), (lc.INTERNAL, lc.IN_STOCK)),
            (("internal", "transit", False, lc.IN_STOCK), (lc.TRANSIT, lc.IN_TRANSIT)),
            (("transit", "customer", False, lc.IN_TRANSIT), (lc.DELIVERY, lc.DELIVERED)),
            (("transit", "internal", False, lc.IN_TRANSIT), (lc.TRANSIT, lc.IN_STOCK)),
            (("internal", "customer", False, lc.IN_STOCK), (lc.DELIVERY, lc.DELIVERED)),
            (("customer", "internal", False, lc.DELIVERED), (lc.CUSTOMER_RETURN, lc.RETURNED)),
            (("customer", "transit", False, lc.DELIVERED), (lc.CUSTOMER_RETURN, lc.RETURNED)),
            (("transit", "internal", False, lc.RETURNED), (lc.TRANSIT, lc.RETURNED)),
            (("internal", "internal", False, lc.RETURNED), (lc.INTERNAL, lc.RETURNED)),
            (("internal", "supplier", False, lc.IN_STOCK), (lc.VENDOR_RETURN, lc.VENDOR_RETURNED)),
            (("internal", "inventory", True, lc.IN_STOCK), (lc.SCRAP, lc.SCRAPPED)),
            (("internal", "inventory", False, lc.IN_STOCK), (lc.ADJUSTMENT_OUT, lc.LOST)),
            (("inventory", "internal", False, lc.NEW), (lc.ADJUSTMENT_IN, lc.IN_STOCK)),
            (("inventory", "internal", False, lc.LOST), (lc.ADJUSTMENT_IN, lc.IN_STOCK)),
            (("internal", "production", False, lc.IN_STOCK), (lc.CONSUMPTION, lc.CONSUMED)),
            (("production", "internal", False, lc.NEW), (lc.PRODUCTION, lc.IN_STOCK)),
        ]
        for args, expected in cases:
            with self.subTest(args=args):
                self.assertEqual(lc.classify(*args), expected)

    @given(
        st.sampled_from(USAGES),
        st.sampled_from(USAGES),
        st.booleans(),
        st.sampled_from(lc.STATES),
    )
    def test_total(self, src, dest, scrap, previous):
        """Every combination gives a known event type and state."""
        event, state = lc.classify(src, dest, scrap, previous)
        self.assertIn(event, lc.EVENT_TYPES)
        self.assertIn(state, lc.STATES)
        if scrap:
            self.assertEqual((event, state), (lc.SCRAP, lc.SCRAPPED))
        elif dest == "customer":
            self.assertEqual(state, lc.DELIVERED)
        elif dest == "view":
            self.assertEqual(state, previous)
