# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""lib/warranty.py: terms, claim checks and the provision, without a database."""

import unittest
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from ..lib import warranty as rules


class TestWarrantyRules(unittest.TestCase):
    def test_term_end(self):
        self.assertEqual(rules.term_end(date(2025, 3, 15), 12, "months"), date(2026, 3, 14))
        self.assertEqual(rules.term_end(date(2025, 1, 31), 1, "months"), date(2025, 2, 27))
        self.assertEqual(rules.term_end(date(2024, 1, 31), 1, "months"), date(2024, 2, 28))
        self.assertEqual(rules.term_end(date(2025, 6, 1), 30, "days"), date(2025, 6, 30))
        self.assertEqual(rules.term_end(date(2025, 6, 1), 1, "days"), date(2025, 6, 1))
        with self.assertRaises(ValueError):
            rules.term_end(date(2025, 6, 1), 0, "days")
        with self.assertRaises(ValueError):
            rules.term_end(date(2025, 6, 1), 3, "weeks")

    @given(
        st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
        st.integers(min_value=1, max_value=120),
    )
    def test_month_terms_cover_whole_months(self, start, months):
        end = rules.term_end(start, months, "months")
        self.assertGreater(end, start)
        following = end + timedelta(days=1)
        # the day after the term is the same day of the month, unless that day
        # does not exist in the target month
        self.assertEqual(following, rules.add_months(start, months))
        if following.day != start.day:
            self.assertLess(following.day, start.day)
            self.assertEqual((following + timedelta(days=1)).day, 1)

    def test_remaining_and_resumed(self):
        # suspended on 14 April, resumed on 1 July: 335 days left either way
        standard = rules.resumed_term(
            date(2025, 3, 15), date(2026, 3, 14), date(2025, 4, 14), date(2025, 7, 1)
        )
        self.assertEqual(standard, (date(2025, 7, 1), date(2026, 5, 31)))
        self.assertEqual(
            (standard[1] - date(2025, 7, 1)).days, (date(2026, 3, 14) - date(2025, 4, 14)).days
        )
        # the extended warranty that followed still follows it
        extended = rules.resumed_term(
            date(2026, 3, 15), date(2027, 3, 14), date(2025, 4, 14), date(2025, 7, 1)
        )
        self.assertEqual(extended, (date(2026, 6, 1), date(2027, 5, 31)))

    def facts(self, **values):
        values.setdefault("claim_date", date(2025, 6, 1))
        values.setdefault("claimant", 7)
        values.setdefault("delivered_to", 7)
        values.setdefault("covers", [rules.Cover(date(2025, 1, 1), date(2025, 12, 31))])
        return rules.ClaimFacts(**values)

    def failures(self, facts):
        return [(r.code, r.reason) for r in rules.check_claim(facts) if not r.passed]

    def test_claim_checks(self):
        self.assertEqual(self.failures(self.facts()), [])
        self.assertEqual([r.code for r in rules.check_claim(self.facts())], list(rules.CHECKS))
        self.assertEqual(
            self.failures(self.facts(serial_known=False)),
            [("unknown_serial", "unknown_serial")],
        )
        self.assertEqual(
            self.failures(self.facts(delivered_to=None, covers=[])),
            [("never_delivered", "never_delivered"), ("expired", "no_warranty")],
        )
        self.assertEqual(
            self.failures(self.facts(claimant=8)), [("other_customer", "other_customer")]
        )
        self.assertEqual(
            self.failures(self.facts(claim_date=date(2026, 1, 1))), [("expired", "expired")]
        )
        self.assertEqual(
            self.failures(
                self.facts(
                    covers=[rules.Cover(date(2025, 1, 1), date(2025, 12, 31), date(2025, 5, 1))]
                )
            ),
            [("expired", "closed")],
        )
        self.assertEqual(
            self.failures(self.facts(covers=[rules.Cover(None, None)])),
            [("expired", "pending_registration")],
        )
        self.assertEqual(self.failures(self.facts(scrapped=True)), [("scrapped", "scrapped")])
        self.assertEqual(self.failures(self.facts(recall="RC-1")), [("recalled", "recalled")])
        self.assertEqual(
            self.failures(self.facts(open_claims=["WCL/1"])), [("open_claim", "open_claim")]
        )
        # the cover closes the day it is voided, and includes its last day
        on_close = self.facts(
            claim_date=date(2025, 5, 1),
            covers=[rules.Cover(date(2025, 1, 1), date(2025, 12, 31), date(2025, 5, 1))],
        )
        self.assertEqual(self.failures(on_close), [("expired", "closed")])
        self.assertEqual(self.failures(self.facts(claim_date=date(2025, 12, 31))), [])

    def test_provision(self):
        provision = rules.ProductProvision(
            units_under_warranty=40,
            units_delivered=50,
            claims=5,
            resolved_claims=4,
            resolved_cost=300.0,
        )
        self.assertEqual(provision.claim_rate, 0.1)
        self.assertEqual(provision.average_cost, 75.0)
        self.assertAlmostEqual(provision.provision, 300.0)
        empty = rules.ProductProvision(0, 0, 0, 0, 0.0)
        self.assertEqual((empty.claim_rate, empty.average_cost, empty.provision), (0, 0, 0))
