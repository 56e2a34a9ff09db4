"""pytest plugin for `make test`: import Odoo's test framework in test mode.

``odoo.tests`` logs an ERROR ("Importing test framework ...") when it is first
imported while Odoo's ``test_enable`` is off, which pytest-odoo does before it
turns test mode on around each test module; our ERROR-line check would count
it. Importing it here first, with ``test_enable`` on for the import only,
avoids that (leaving it on would make loading the registry run every
module's tests).
"""

import odoo

odoo.tools.config["test_enable"] = True
try:
    import odoo.tests
finally:
    odoo.tools.config["test_enable"] = False


def pytest_sessionstart(session):
    """Read every addon manifest once, here, before Odoo's HTTP server threads
    do it on their first requests: CPython 3.11 before 3.11.9 can fail with
    "SystemError: AST constructor recursion depth mismatch" when two threads
    parse Python at once (CPython issue 106905), which made the first browser
    tour of a run fail now and then."""
    from odoo.http import root  # noqa: PLC0415

    root.statics  # noqa: B018
