# ngd — quick start: `make paper` (install what is missing, build, write out/paper/), `make test`.
SHELL := /bin/bash
APT_PACKAGES := pkg-config libcairo2-dev libpango1.0-dev libopenblas-dev liblapacke-dev zlib1g-dev \
                fonts-lmodern fonts-cmu poppler-utils qpdf librsvg2-bin time
SWIFT ?= swift
OUT ?= out/paper
# Tests and CI always run single-threaded BLAS (small matrices; multi-threaded BLAS collapses under load).
TEST_ENV := OPENBLAS_NUM_THREADS=1

.PHONY: deps build release test test-swift test-slurm test-latex paper quick clean

deps:
	@scripts/install-missing-packages.sh $(APT_PACKAGES)

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# Everything CI runs: the Swift suite, the Slurm path on a real one-node cluster, and the LaTeX output in a real TeX.
test: test-swift test-slurm test-latex

test-swift: deps
	$(TEST_ENV) $(SWIFT) test --disable-xctest

# ngd's Slurm path on a real one-node cluster started (and stopped) by scripts/slurm-test-cluster.sh; under a minute.
test-slurm: build
	scripts/slurm-test.sh

# A real TeX: compiles `ngd figure1 --format pgf`, every paper figure and `ngd paper --quick --latex` with pdflatex
# (Tests/LaTeX/run.sh). Installs Debian's TeX packages when missing (as root).
LATEX_PACKAGES := texlive-latex-recommended texlive-pictures texlive-fonts-recommended poppler-utils python3
test-latex: build
	@scripts/install-missing-packages.sh $(LATEX_PACKAGES)
	$(TEST_ENV) NGD=.build/debug/ngd Tests/LaTeX/run.sh

paper: release
	.build/release/ngd paper --out $(OUT)
	@echo "Report: $(OUT)/report.html and $(OUT)/report.pdf"

quick: release
	.build/release/ngd paper --quick --out out/paper-quick

clean:
	rm -rf .build out
