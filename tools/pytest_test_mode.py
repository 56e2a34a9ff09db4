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
