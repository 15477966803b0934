# dcnet.fabric — the two commands a newcomer needs are `make demo` and `make test`.
# Everything runs from .venv/ (created on demand) with this checkout installed as
# the collection dcnet.fabric through a symlink under .collections/.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

ROOT := $(CURDIR)
# First Python >= 3.11 on PATH (override: make PYTHON=python3.12 ...).
PYTHON ?= $(shell for p in python3.11 python3.12 python3.13 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& { echo $$p; break; }; done)
VENV := $(ROOT)/.venv
VPY := $(VENV)/bin/python
COLLECTIONS := $(ROOT)/.collections
COLL_LINK := $(COLLECTIONS)/ansible_collections/dcnet/fabric

# Debian packages the tests use, one line per purpose (add yours as a new line: merges stay clean).
SYSTEM_PACKAGES := frr frr-pythontools openvswitch-switch iproute2 iputils-ping shellcheck
# Graphviz for the topology picture, git for the GitOps publish test
SYSTEM_PACKAGES += graphviz git
# BIND, Kea, isc-dhcp-relay and dhclient for the DNS/DHCP proofs
SYSTEM_PACKAGES += bind9 bind9-utils bind9-dnsutils kea-dhcp4-server kea-dhcp6-server isc-dhcp-relay isc-dhcp-client
# nftables counters of the path explainer's lab check
SYSTEM_PACKAGES += nftables
# ndisc6 (rdisc6) for the router-advertisement proof
SYSTEM_PACKAGES += ndisc6

export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export ANSIBLE_PYTHON_INTERPRETER := $(VPY)
ifeq (,$(findstring $(VENV)/bin:,$(PATH)))
export PATH := $(VENV)/bin:$(PATH)
endif
export PIP_DISABLE_PIP_VERSION_CHECK := 1

DEMO_INVENTORY := examples/dc1/inventory
DEMO_PLAYBOOK := playbooks/render.yml

.PHONY: help demo test unit fuzz sanity lint molecule regen bench lab build clean distclean \
	venv deps dev-deps collection-link system-deps collections docs

help:
	@echo "make demo   render the bundled example datacenter (examples/dc1)"
	@echo "make test   everything CI runs: pytest, ansible-test sanity, ansible-lint, molecule"
	@echo "make fuzz   the fuzz stage of make test alone (2,000 damaged models through the pipeline)"
	@echo "make regen  regenerate golden files for review"
	@echo "make bench  run the benchmarks under bench/"
	@echo "make lab    bring up the FRR lab in network namespaces"
	@echo "make build  build the collection tarball into build/"
	@echo "make docs   docs site (antsibull-docs + Sphinx) and CHANGELOG.rst from the fragments, into build/docs/"
	@echo "make clean  remove build and test output (distclean also removes .venv)"

# --- environment ------------------------------------------------------------

$(VPY):
	@test -n "$(PYTHON)" || { echo "error: need Python >= 3.11 on PATH (or make PYTHON=...)" >&2; exit 1; }
	@echo "==> creating .venv with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)

venv: $(VPY)

# Stamps re-run pip only when a requirements file changes.
$(VENV)/.deps: requirements.txt | $(VPY)
	@echo "==> installing requirements.txt"
	$(VPY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev-deps: requirements.txt requirements-dev.txt | $(VPY)
	@echo "==> installing requirements-dev.txt"
	$(VPY) -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.deps

deps: $(VENV)/.deps
dev-deps: $(VENV)/.dev-deps

# The checkout itself is the collection: .collections/ansible_collections/dcnet/fabric -> ../../..
# (the same link tests/conftest.py makes, relative so the clone can move).
collection-link:
	@mkdir -p $(dir $(COLL_LINK))
	@if [ ! -e $(COLL_LINK) ] || [ "$$(cd $(COLL_LINK) && pwd -P)" != "$$(pwd -P)" ]; then \
		rm -rf $(COLL_LINK); ln -s ../../.. $(COLL_LINK); fi

# The collections requirements.yml names, from the PyPI `ansible` package (Galaxy is not reachable
# from CI); ansible-lint, syntax checks and the deploy tests resolve their FQCNs in .collections/.
collections: deps collection-link
	@$(VPY) tools/install_collections.py --dest $(COLLECTIONS) >/dev/null

# Installs the Debian packages the tests use when any is missing and we are root;
# otherwise says what is missing (tests needing them skip with the reason).
system-deps:
	@missing=""; \
	for p in $(SYSTEM_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$(PYTHON)" ] && ! $(PYTHON) -c 'import ensurepip, venv' 2>/dev/null; then \
		missing="$$missing python3-venv"; fi; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "==> apt-get install$$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq; \
		apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else \
		echo "warning: missing Debian packages:$$missing (not root or no apt-get); tests that need them will skip" >&2; \
	fi

# --- the two README commands --------------------------------------------------

demo: deps collection-link
	@test -f $(DEMO_PLAYBOOK) || { echo "error: $(DEMO_PLAYBOOK) is missing" >&2; exit 1; }
	@test -e $(DEMO_INVENTORY) || { echo "error: $(DEMO_INVENTORY) is missing" >&2; exit 1; }
	@mkdir -p build && touch build/.demo-start
	@echo "==> ansible-playbook -i $(DEMO_INVENTORY) $(DEMO_PLAYBOOK)"
	$(VENV)/bin/ansible-playbook -i $(DEMO_INVENTORY) $(DEMO_PLAYBOOK)
	@echo; echo "==> demo summary: files written by this run, per directory"
	@find . \( -path ./.venv -o -path ./.git -o -path ./.collections -o -path ./.ansible \
		-o -name __pycache__ \) -prune -o -type f -newer build/.demo-start -print \
		| sed 's|/[^/]*$$||' | sort | uniq -c | awk '{printf "  %5d  %s/\n", $$1, substr($$2, 3)}'
	@echo "  total: $$(find . \( -path ./.venv -o -path ./.git -o -path ./.collections -o -path ./.ansible \
		-o -name __pycache__ \) -prune -o -type f -newer build/.demo-start -print | wc -l) files"

# Every stage runs even when an earlier one fails, so one CI log shows all problems.
TEST_STAGES := unit fuzz sanity lint molecule docs
test: system-deps dev-deps collection-link
	@start=$$(date +%s); failed=""; \
	for stage in $(TEST_STAGES); do \
		t0=$$(date +%s); \
		if $(MAKE) --no-print-directory $$stage; then res=ok; else res=FAILED; failed="$$failed $$stage"; fi; \
		echo "==> stage $$stage: $$res ($$(( $$(date +%s) - t0 )) s)"; \
	done; \
	if [ -n "$$failed" ]; then \
		echo "==> make test: FAILED:$$failed ($$(( $$(date +%s) - start )) s)" >&2; exit 1; fi; \
	echo "==> make test: all stages passed ($$(( $$(date +%s) - start )) s)"

# --- the stages of make test ----------------------------------------------------

unit: dev-deps collection-link collections
	@echo "==> pytest (tests/unit, tests/integration)"
	$(VPY) -m pytest tests/unit $(wildcard tests/integration)

# 2,000 hostile and damaged models through the whole pipeline (issue #21): minutes, so not in the unit stage.
fuzz: dev-deps collection-link
	@echo "==> pytest (tests/fuzz)"
	$(VPY) -m pytest tests/fuzz

sanity: dev-deps
	@echo "==> ansible-test sanity (offline)"
	PYTHON=$(VPY) tests/sanity/run.sh

lint: dev-deps collection-link collections
	@echo "==> ansible-lint --profile production"
	$(VENV)/bin/ansible-lint --profile production

molecule: dev-deps collection-link collections
	@if compgen -G "extensions/molecule/*/molecule.yml" >/dev/null; then \
		echo "==> molecule test --all"; \
		$(VENV)/bin/molecule test --all; \
	else echo "==> molecule: no scenarios under extensions/molecule/"; fi

# --- other targets -------------------------------------------------------------

regen: dev-deps collection-link
	@if [ -f tests/tools/regen.py ]; then $(VPY) tests/tools/regen.py; \
	else echo "make regen: tests/tools/regen.py does not exist yet"; fi

bench: deps collection-link
	@shopt -s nullglob; files=(bench/*.py); \
	if [ $${#files[@]} -eq 0 ]; then echo "make bench: no bench/*.py"; exit 0; fi; \
	for f in "$${files[@]}"; do echo "==> $$f"; $(VPY) "$$f"; done

lab: system-deps dev-deps collection-link
	@if [ -f tests/lab/run_lab.py ]; then $(VPY) tests/lab/run_lab.py; \
	else echo "make lab: tests/lab/run_lab.py does not exist yet"; fi

build: deps
	@mkdir -p build
	$(VENV)/bin/ansible-galaxy collection build --force --output-path build .

# The collection's docs site, built offline: antsibull-docs renders every plugin and role into RST,
# Sphinx builds HTML (warnings are errors, except references into docs.ansible.com and other
# collections, which need the internet: intersphinx is off). CHANGELOG.rst is built from the
# fragments as the next release would fold them in, in a scratch copy (the fragments stay).
DOCS_OUT := $(ROOT)/build/docs
docs: dev-deps collection-link collections
	@rm -rf $(DOCS_OUT) && mkdir -p -m 700 $(DOCS_OUT)/site && mkdir -p $(DOCS_OUT)/changelog
	@echo "==> antsibull-docs lint-collection-docs"
	$(VENV)/bin/antsibull-docs lint-collection-docs --plugin-docs --skip-rstcheck .
	@echo "==> antsibull-docs sphinx-init + collection"
	$(VENV)/bin/antsibull-docs sphinx-init --use-current --squash-hierarchy --dest-dir $(DOCS_OUT)/site \
		--project dcnet.fabric --title dcnet.fabric dcnet.fabric >/dev/null
	echo "intersphinx_mapping = {}" >> $(DOCS_OUT)/site/conf.py
	mkdir -p -m 700 $(DOCS_OUT)/site/rst
	$(VENV)/bin/antsibull-docs --config-file $(DOCS_OUT)/site/antsibull-docs.cfg collection --cleanup everything \
		--use-current --squash-hierarchy --dest-dir $(DOCS_OUT)/site/rst dcnet.fabric >/dev/null
	@echo "==> sphinx-build"
	$(VENV)/bin/sphinx-build -M html $(DOCS_OUT)/site/rst $(DOCS_OUT)/site/build -q -c $(DOCS_OUT)/site \
		-w $(DOCS_OUT)/sphinx-warnings.log
	@if grep -v -E "undefined label: '(ansible_configuration_settings|common_return_values|action_plugins|ansible_collections\.(ansible|arista|cisco|kubernetes)\.[a-z_.]+)'" \
		$(DOCS_OUT)/sphinx-warnings.log | grep -q WARNING; then \
		echo "error: Sphinx warnings:" >&2; grep WARNING $(DOCS_OUT)/sphinx-warnings.log >&2; exit 1; fi
	@echo "==> CHANGELOG.rst from changelogs/fragments"
	cp -r galaxy.yml changelogs $(DOCS_OUT)/changelog/
	mkdir -p $(DOCS_OUT)/changelog/plugins && cp -r plugins/modules plugins/filter $(DOCS_OUT)/changelog/plugins/
	cd $(DOCS_OUT)/changelog && $(VENV)/bin/antsibull-changelog release --version \
		"$$($(VPY) -c 'import yaml; print(yaml.safe_load(open("galaxy.yml"))["version"])')" >/dev/null
	cp $(DOCS_OUT)/changelog/CHANGELOG.rst $(DOCS_OUT)/CHANGELOG.rst
	@echo "==> docs: $(DOCS_OUT)/site/build/html/index.html, $(DOCS_OUT)/CHANGELOG.rst"

clean:
	rm -rf build tests/output .collections .pytest_cache .hypothesis .ansible
	find . -path ./.venv -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf .venv
