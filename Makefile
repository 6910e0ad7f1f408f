# Two commands: `make run` (set up, then serve Odoo) and `make test`.
# The environment lives outside the checkout (default ~/.cache/complaint-handling,
# see tools/setup.sh for the variables that change it).
COMPLAINT_HOME ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/complaint-handling
export COMPLAINT_HOME
ENV_SH := $(COMPLAINT_HOME)/env.sh

.PHONY: setup run test bench bench-load pot

setup:
	bash tools/setup.sh

run: setup
	bash tools/run.sh

test: setup
	. $(ENV_SH) && $$VENV/bin/python tools/run_tests.py

bench: setup
	bash tools/bench.sh

# The load benchmark (issue 17): workers mode with and without a read replica,
# then with faults; about 5 minutes (tools/bench_load.sh).
bench-load: setup
	bash tools/bench_load.sh

# Regenerate the .pot files from the test database (after `make test`).
pot: setup
	. $(ENV_SH) && $$VENV/bin/python tools/export_pot.py complaints_test .odoo.conf
