#!/usr/bin/env bash
# `make test-latex`: ngd's PGF figures and LaTeX appendix compiled by a real pdflatex. Checks: no TeX errors, no
# overfull boxes from the figures, only the document's fonts in the PDF, the axis labels and claim ids as text,
# figure sizes equal to the preset within 1 pt, \renewcommand of the font size changes the text, the appendix's
# claims table equals manifest.json, and hostile spec text comes out literally. Ends with "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
NGD=${NGD:-.build/release/ngd}
here=Tests/LaTeX
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
check() {   # check NAME COMMAND...: one line per check
    local name=$1; shift
    if "$@" >"$work/check.log" 2>&1; then passed=$((passed + 1)); echo "ok   $name"
    else failed=$((failed + 1)); echo "FAIL $name"; sed 's/^/     /' "$work/check.log" | head -20; fi
}
export OPENBLAS_NUM_THREADS=1 SOURCE_DATE_EPOCH=1558915200

# A document holding one figure; prints its box size (width, height+depth in pt) in the log.
figure_document() {   # figure_document DIR PGF-NAME EXTRA-PREAMBLE
    cat >"$1/doc-$2.tex" <<TEX
\\documentclass{article}
\\usepackage[T1]{fontenc}
\\usepackage{lmodern}
\\usepackage[paperwidth=9in,paperheight=8in,margin=0.25in]{geometry}
\\usepackage{pgf}
$3
\\begin{document}
\\setbox0\\hbox{\\input{$2.pgf}}
\\typeout{NGDSIZE \\the\\wd0\\space \\the\\ht0\\space \\the\\dp0}
\\noindent\\box0
\\end{document}
TEX
    (cd "$1" && pdflatex -interaction=nonstopmode -halt-on-error "doc-$2.tex" >/dev/null 2>&1)
}
compiles() { [ -f "$1/doc-$2.pdf" ] && ! grep -q '^!' "$1/doc-$2.log"; }
no_overfull() { ! grep -n 'Overfull' "$1/$2.log"; }
document_fonts_only() {   # every font is a TeX font (Latin Modern / Computer Modern), none embedded by cairo
    local fonts; fonts=$(pdffonts "$1" | tail -n +3 | awk '{print $1}')
    [ -n "$fonts" ] && ! echo "$fonts" | grep -vE '^([A-Z]{6}\+)?(LM|CM[^U]|SFRM|SFTT|SFBX)'
}
size_matches() {   # size_matches LOG WIDTH_IN HEIGHT_IN
    python3 - "$@" <<'PY'
import re, sys
log, w, h = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
m = re.search(r"NGDSIZE ([0-9.]+)pt ?([0-9.]+)pt ?([0-9.]+)pt", open(log, errors="replace").read())
tw, th = float(m.group(1)), float(m.group(2)) + float(m.group(3))
print(f"box {tw:.2f}x{th:.2f} pt, preset {w*72.27:.2f}x{h*72.27:.2f} pt")
sys.exit(0 if abs(tw - w * 72.27) <= 1 and abs(th - h * 72.27) <= 1 else 1)
PY
}
text_has() { pdftotext -layout "$1" - | tr -s ' \n' ' ' | grep -qF -- "$2" || { echo "'$2' not in $1"; return 1; }; }
word_height() {   # median height of the words of a PDF (pdftotext -bbox)
    pdftotext -bbox "$1" - | python3 -c '
import re, sys
hs = sorted(float(b) - float(a) for a, b in re.findall(r"yMin=\"([0-9.]+)\" xMax=\"[0-9.]+\" yMax=\"([0-9.]+)\"", sys.stdin.read()))
print(hs[len(hs) // 2] if hs else 0)'
}

# 1. ngd figure1 --format pgf, in a document; then with \ngdfontsize redefined.
mkdir -p "$work/f1"
check "figure1 --format pgf writes a .pgf" "$NGD" figure1 --format pgf --out "$work/f1/figure1.pgf"
figure_document "$work/f1" figure1 ""
check "figure1.pgf compiles with pdflatex" compiles "$work/f1" figure1
check "figure1.pgf: no overfull boxes" no_overfull "$work/f1" doc-figure1
check "figure1.pgf: only the document's fonts" document_fonts_only "$work/f1/doc-figure1.pdf"
check "figure1.pgf: 5.5 x 4.2 in within 1 pt" size_matches "$work/f1/doc-figure1.log" 5.5 4.2
check "figure1.pgf: labels are text (NGD)" text_has "$work/f1/doc-figure1.pdf" "NGD"
cp "$work/f1/figure1.pgf" "$work/f1/small.pgf"
figure_document "$work/f1" small '\newcommand{\ngdfontsize}[2]{\fontsize{4}{5}\selectfont}'
check "\\renewcommand of the font size changes the text" python3 -c "
import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); print(a, b); sys.exit(0 if 0 < b < 0.75 * a else 1)" \
    "$(word_height "$work/f1/doc-figure1.pdf")" "$(word_height "$work/f1/doc-small.pdf")"

# 1b. ngd plot --out FILE.pgf (saved runs, η in the legend as LaTeX math).
mkdir -p "$work/plot"
check "train writes a run for plot" "$NGD" train --n 8 --d 4 --width 64 --steps 4 --out "$work/plot/ngd.json"
check "plot --out runs.pgf writes a .pgf" "$NGD" plot "$work/plot/ngd.json" --theory --out "$work/plot/runs.pgf"
figure_document "$work/plot" runs ""
check "runs.pgf compiles with pdflatex" compiles "$work/plot" runs
check "runs.pgf: no overfull boxes" no_overfull "$work/plot" doc-runs
check "runs.pgf: only the document's fonts" document_fonts_only "$work/plot/doc-runs.pdf"
check "runs.pgf: labels are text (NGD)" text_has "$work/plot/doc-runs.pdf" "NGD"

# 2. ngd paper --quick --latex: every figure alone, then main.tex.
check "paper --quick --latex builds" "$NGD" paper --quick --latex --quiet --out "$work/paper"
for pgf in "$work"/paper/latex/figures/*.pgf; do
    id=$(basename "$pgf" .pgf)
    mkdir -p "$work/figs/$id" && cp "$work"/paper/latex/figures/"$id"* "$work/figs/$id/"
    figure_document "$work/figs/$id" "$id" ""
    read -r w h xlabel < <(python3 -c '
import json, re, sys
d = json.load(open(sys.argv[1]))
words = re.findall(r"[A-Za-z]{3,}", d.get("x_axis", {}).get("label", ""))
print(d["width_inches"], d["height_inches"], words[0] if words else "")' "$work/paper/data/$id.json")
    check "paper figure $id compiles" compiles "$work/figs/$id" "$id"
    check "paper figure $id: no overfull boxes" no_overfull "$work/figs/$id" "doc-$id"
    check "paper figure $id: only the document's fonts" document_fonts_only "$work/figs/$id/doc-$id.pdf"
    check "paper figure $id: $w x $h in within 1 pt" size_matches "$work/figs/$id/doc-$id.log" "$w" "$h"
    if [ -n "$xlabel" ]; then check "paper figure $id: axis label '$xlabel' is text" text_has "$work/figs/$id/doc-$id.pdf" "$xlabel"; fi
done
# compiled in a copy: the report directory itself must stay verifiable
cp -r "$work/paper" "$work/paper-tex"
(cd "$work/paper-tex/latex" && pdflatex -interaction=nonstopmode -halt-on-error main.tex >/dev/null 2>&1)
check "paper latex/main.tex compiles" test -f "$work/paper-tex/latex/main.pdf"
check "paper latex/main.tex: no figure overfull boxes" bash -c "! grep -A2 Overfull '$work/paper-tex/latex/main.log' | grep -q pgf"
check "paper appendix: claims table = manifest.json" python3 - "$work/paper" <<'PY'
import json, re, sys, subprocess
root = sys.argv[1]
claims = json.load(open(f"{root}/manifest.json"))["claims"]
tex = open(f"{root}/latex/appendix.tex").read()
text = re.sub(r"\s+", " ", subprocess.run(["pdftotext", f"{root}-tex/latex/main.pdf", "-"], capture_output=True, text=True).stdout)
def fmt(v):
    if v == 0: return "0"
    if 1e-3 <= abs(v) < 1e5:
        s = "%.4g" % v
        return ("%.4f" % v) if "e" in s else s
    return None
bad = 0
for c in claims:
    row = next((l for l in tex.splitlines() if l.startswith("\\texttt{" + c["id"].replace("_", "\\_") + "}")), None)
    if row is None: print("no row for", c["id"]); bad += 1; continue
    cells = [x.strip() for x in row.rstrip("\\ ").split(" & ")]
    verdict = "PASS" if c["passed"] else "\\textbf{FAIL}"
    if cells[-1].rstrip("\\ ").strip() != verdict: print(c["id"], "verdict", cells[-1]); bad += 1
    for key, cell in (("measured", cells[2]), ("predicted", cells[4])):
        v = c.get(key)
        if v is not None and fmt(v) is not None and cell != fmt(v).replace("-", "-"):
            print(c["id"], key, cell, "!=", fmt(v)); bad += 1
    if c["id"] not in text: print(c["id"], "not in the PDF text"); bad += 1
print(len(claims), "claims,", bad, "problems")
sys.exit(1 if bad or not claims else 0)
PY

# 3. Hostile spec text: shown literally, nothing read.
cp "$here/hostile.yaml" "$work/hostile.yaml"
check "hostile spec: report --latex builds" "$NGD" report "$work/hostile.yaml" --latex --quiet --out "$work/hostile"
cp -r "$work/hostile" "$work/hostile-tex"
(cd "$work/hostile-tex/latex" && pdflatex -interaction=nonstopmode -halt-on-error main.tex >/dev/null 2>&1)
check "hostile spec: main.tex compiles" test -f "$work/hostile-tex/latex/main.pdf"
check "hostile spec: title shown literally" text_has "$work/hostile-tex/latex/main.pdf" 'Hostile \input{/etc/passwd} 100% a_b $x$ }'
check "hostile spec: caption shown literally" text_has "$work/hostile-tex/latex/main.pdf" 'Caption \input{/etc/passwd} 100% a_b $z$ }'
check "hostile spec: claim shown literally" text_has "$work/hostile-tex/latex/main.pdf" 'NGD contracts \input{/etc/passwd} 1% $}'
check "hostile spec: /etc/passwd was not read" bash -c "! grep -q '/etc/passwd)' '$work/hostile-tex/latex/main.log' && ! pdftotext '$work/hostile-tex/latex/main.pdf' - | grep -q 'root:'"
check "hostile spec: gram heatmap PNG beside its .pgf" test -f "$work/hostile/latex/figures/gram-raster1.png"
check "hostile spec: ngd verify passes" "$NGD" verify "$work/hostile" --data-dir "$work"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
