# ngd — quick start: `make paper` (install what is missing, build, write out/paper/), `make test`.
SHELL := /bin/bash
APT_PACKAGES := pkg-config libcairo2-dev libpango1.0-dev libopenblas-dev liblapacke-dev zlib1g-dev \
                fonts-lmodern fonts-cmu poppler-utils qpdf librsvg2-bin time
SWIFT ?= swift
OUT ?= out/paper
# Tests and CI always run single-threaded BLAS (small matrices; multi-threaded BLAS collapses under load).
TEST_ENV := OPENBLAS_NUM_THREADS=1

.PHONY: deps build release test paper quick clean test-latex

deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing: $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Missing system packages. Run:"; echo "  sudo apt-get install -y $$missing"; exit 1; \
	  fi; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

test: deps
	$(TEST_ENV) $(SWIFT) test --disable-xctest

# A real TeX: compiles `ngd figure1 --format pgf`, every paper figure and `ngd paper --quick --latex` with pdflatex
# (Tests/LaTeX/run.sh). Installs Debian's TeX packages when missing (as root).
LATEX_PACKAGES := texlive-latex-recommended texlive-pictures texlive-fonts-recommended poppler-utils python3
test-latex: release
	@missing=$$(for p in $(LATEX_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing: $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Missing TeX packages. Run:"; echo "  sudo apt-get install -y $$missing"; exit 1; \
	  fi; \
	fi
	$(TEST_ENV) Tests/LaTeX/run.sh

paper: release
	.build/release/ngd paper --out $(OUT)
	@echo "Report: $(OUT)/report.html and $(OUT)/report.pdf"

quick: release
	.build/release/ngd paper --quick --out out/paper-quick

clean:
	rm -rf .build out
