# The two commands: `make run` serves Odoo with the addon and demo data at
# http://localhost:8069 (admin/admin); `make test` runs every test.
.PHONY: run test lint stop bench
SHELL := /bin/bash

run:
	@tools/run.sh

test:
	@tools/test.sh

lint:
	@tools/lint.sh

stop:
	@tools/stop.sh

bench:
	@tools/bench.sh
