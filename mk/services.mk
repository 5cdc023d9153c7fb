# Services for the tests that need real servers (PostgreSQL store, Redis Streams transport).
# Included from the Makefile:   include mk/services.mk
#
# The tests start their own redis-server and PostgreSQL on loopback with temporary data directories
# (tests/servers.py) and stop them; they only need the binaries. A missing binary FAILS those tests (it never
# skips them), so `services-install` must run before pytest in CI: make it a prerequisite of `pytest`.
#
# Debian puts initdb/postgres in /usr/lib/postgresql/<version>/bin, not on PATH; tests/servers.py looks there.

PG_BINDIR := $(firstword $(wildcard /usr/lib/postgresql/*/bin))
APT_GET   ?= apt-get
SUDO      ?= $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: services-install test-faults

# Installs redis-server and PostgreSQL from Debian's packages, only when a binary is missing.
services-install:
	@if command -v redis-server >/dev/null 2>&1 && [ -x "$(PG_BINDIR)/initdb" ] && [ -x "$(PG_BINDIR)/postgres" ]; then \
	  echo "services: redis-server and PostgreSQL ($(PG_BINDIR)) already installed"; \
	else \
	  echo "services: installing redis-server and postgresql (apt-get)"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive $(APT_GET) update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive $(APT_GET) install -y -qq --no-install-recommends \
	    redis-server postgresql; \
	fi
	@# the Debian packages start system-wide servers (where systemd runs); the tests never use them

# The fault-injection suite alone (kill -9 workers, Redis and PostgreSQL faults); ~2 minutes on 2 cores.
test-faults: install services-install
	$(VENV)/bin/pytest -q -m faults
