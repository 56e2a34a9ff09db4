"""Warranty rules, free of the ORM: terms, claim checks and the provision.

The Odoo layer gathers the facts (ledger events, warranties, claims) and
translates the messages; the decisions are taken here so that they can be
tested without a database.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

# Units of a policy's duration.
MONTHS = "months"
DAYS = "days"

# Claim checks, in the order they are run and shown.
UNKNOWN_SERIAL = "unknown_serial"
NEVER_DELIVERED = "never_delivered"
OTHER_CUSTOMER = "other_customer"
EXPIRED = "expired"
SCRAPPED = "scrapped"
RECALLED = "recalled"
OPEN_CLAIM = "open_claim"

CHECKS = (
    UNKNOWN_SERIAL,
    NEVER_DELIVERED,
    OTHER_CUSTOMER,
    EXPIRED,
    SCRAPPED,
    RECALLED,
    OPEN_CLAIM,
)


def add_months(start, months):
    """``start`` moved by ``months`` calendar months, the day clamped to the
    length of the target month (31 January + 1 month = 28/29 February)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def term_end(start, duration, unit):
    """Last day (inclusive) of a term of ``duration`` ``unit`` starting on
    ``start``: a 12-month warranty starting on 15 March 2025 ends on 14 March
    2026, a 30-day one starting on 1 June ends on 30 June."""
    if duration < 1:
        raise ValueError(f"a warranty lasts at least one day or month, not {duration}")
    if unit == MONTHS:
        return add_months(start, duration) - timedelta(days=1)
    if unit == DAYS:
        return start + timedelta(days=duration - 1)
    raise ValueError(f"unknown duration unit {unit!r}")


def resumed_term(start, end, suspended, resumed):
    """``(start, end)`` of a term suspended on ``suspended`` and resumed on
    ``resumed``: shifted by the days in between, never starting before the
    resumption; the days of cover left are the same."""
    shift = resumed - suspended
    return max(resumed, start + shift), end + shift


@dataclass
class Cover:
    """One warranty of the serial, as the checks see it."""

    start: date | None  # None: waiting for the customer's registration
    end: date | None
    closed: date | None = None  # voided, suspended or transferred on that day
    name: str = ""

    def in_force(self, on):
        return (
            self.start is not None
            and self.start <= on <= self.end
            and (self.closed is None or on < self.closed)
        )


@dataclass(frozen=True)
class SerialWarranty:
    """One warranty of a serial with its state, for the serial's summary."""

    id: int
    state: str
    cover: Cover


def current_state(warranties, today):
    """``(state, last day)`` of a serial's warranties as of ``today``: in force
    (until the end of it and of the extended warranties that follow), else
    waiting for registration, else the latest one's; ``(None, None)`` if none."""
    in_force = [w for w in warranties if w.cover.in_force(today)]
    if in_force:
        later = [w for w in warranties if w.state == "active" and w.cover.start > today]
        current, state = in_force + later, "active"
    else:
        current = [w for w in warranties if w.state == "pending"] or sorted(
            warranties, key=lambda w: (w.cover.end or today, w.id)
        )[-1:]
        state = current[0].state if current else None
    return state, max((w.cover.end for w in current if w.cover.end), default=None)


@dataclass
class ClaimFacts:
    """What is known of a claimed serial at the claim date."""

    claim_date: date
    claimant: int | None  # commercial partner of the claimant
    serial_known: bool = True
    delivered_to: int | None = None  # commercial partner of the last delivery
    covers: list = field(default_factory=list)  # [Cover]
    scrapped: bool = False
    recall: str = ""  # why a recall blocks the claim, "" if none
    open_claims: list = field(default_factory=list)  # names of other open claims


@dataclass
class CheckResult:
    code: str
    passed: bool
    reason: str = ""  # message key, see the Odoo layer
    params: dict = field(default_factory=dict)


def check_claim(facts):
    """Run the claim checks; each result says whether it passed and why not.

    An unknown serial stops there: nothing else can be checked.
    """
    if not facts.serial_known:
        return [CheckResult(UNKNOWN_SERIAL, False, UNKNOWN_SERIAL)]
    results = [CheckResult(UNKNOWN_SERIAL, True)]
    if facts.delivered_to is None:
        results.append(CheckResult(NEVER_DELIVERED, False, NEVER_DELIVERED))
    else:
        results.append(CheckResult(NEVER_DELIVERED, True))
        results.append(
            CheckResult(
                OTHER_CUSTOMER,
                facts.delivered_to == facts.claimant,
                "" if facts.delivered_to == facts.claimant else OTHER_CUSTOMER,
                {"delivered_to": facts.delivered_to},
            )
        )
    results.append(_check_cover(facts))
    results.append(CheckResult(SCRAPPED, not facts.scrapped, SCRAPPED if facts.scrapped else ""))
    results.append(
        CheckResult(
            RECALLED, not facts.recall, RECALLED if facts.recall else "", {"recall": facts.recall}
        )
    )
    results.append(
        CheckResult(
            OPEN_CLAIM,
            not facts.open_claims,
            OPEN_CLAIM if facts.open_claims else "",
            {"claims": ", ".join(facts.open_claims)},
        )
    )
    return results


def _check_cover(facts):
    on = facts.claim_date
    if any(cover.in_force(on) for cover in facts.covers):
        return CheckResult(EXPIRED, True)
    if any(cover.start is None for cover in facts.covers):
        return CheckResult(EXPIRED, False, "pending_registration")
    started = [cover for cover in facts.covers if cover.start is not None and cover.start <= on]
    if not started:
        return CheckResult(EXPIRED, False, "no_warranty")
    last = max(started, key=lambda cover: (cover.end, cover.start))
    if last.closed is not None and last.closed <= on and last.end >= on:
        return CheckResult(EXPIRED, False, "closed", {"warranty": last.name, "date": last.closed})
    return CheckResult(EXPIRED, False, EXPIRED, {"warranty": last.name, "date": last.end})


@dataclass
class ProductProvision:
    """The provision of one product at the report date.

    claim_rate = claims / units delivered (all time up to the report date);
    average_cost = cost of resolved claims / number of resolved claims;
    provision = units under warranty x claim_rate x average_cost.
    """

    units_under_warranty: int
    units_delivered: int
    claims: int
    resolved_claims: int
    resolved_cost: float

    @property
    def claim_rate(self):
        return self.claims / self.units_delivered if self.units_delivered else 0.0

    @property
    def average_cost(self):
        return self.resolved_cost / self.resolved_claims if self.resolved_claims else 0.0

    @property
    def provision(self):
        return self.units_under_warranty * self.claim_rate * self.average_cost
