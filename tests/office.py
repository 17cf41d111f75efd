"""A real office client for the tests: headless LibreOffice (Debian's libreoffice-impress/-calc) converts
the deck to PDF and the pack to CSV or back to XLSX; poppler's pdftotext reads every word's box and
pdftoppm draws the pages. scripts/setup.sh (dev) installs them."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

XHTML = "{http://www.w3.org/1999/xhtml}"


def soffice_convert(files: list[Path], to: str, out_dir: Path, *, filter_options: str = "") -> list[Path]:
    """Convert `files` with one soffice call (a profile of its own, so parallel runs do not clash)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = f"{to}:{filter_options}" if filter_options else to
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run(
            [
                shutil.which("soffice") or "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                target,
                "--outdir",
                str(out_dir),
                *map(str, files),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    ext = to.split(":")[0]
    out = [out_dir / f"{f.stem}.{ext}" for f in files]
    # a CSV of every sheet is written as <stem>-<sheet>.csv
    missing = [p for p in out if not p.exists() and not list(out_dir.glob(f"{p.stem}-*.{ext}"))]
    assert not missing, f"LibreOffice did not write {missing}"
    return out


@dataclass(frozen=True)
class Word:
    page: int  # 1-based
    line: int  # the pdftotext line it is in (numbered through the document)
    block: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    words: list[Word]
    lines: list[str]  # each line's words joined without spaces


def read_words(pdf: Path) -> list[Page]:
    """Every word of the PDF with its box (points from the page's top left), via pdftotext -bbox-layout."""
    html = pdf.with_suffix(".bbox.html")
    subprocess.run(["pdftotext", "-bbox-layout", str(pdf), str(html)], check=True, capture_output=True, timeout=120)
    root = etree.parse(str(html)).getroot()
    pages, line_no, block_no = [], 0, 0
    for n, page in enumerate(root.iter(f"{XHTML}page"), start=1):
        words, lines = [], []
        for block in page.iter(f"{XHTML}block"):
            block_no += 1
            for line in block.iter(f"{XHTML}line"):
                line_no += 1
                texts = []
                for w in line.iter(f"{XHTML}word"):
                    box = [float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")]
                    words.append(Word(n, line_no, block_no, *box, w.text or ""))
                    texts.append(w.text or "")
                lines.append("".join(texts))
        pages.append(Page(n, float(page.get("width")), float(page.get("height")), words, lines))
    return pages


def off_page(page: Page, tolerance: float = 0.5) -> list[Word]:
    """Words that leave the page (wholly or in part)."""
    return [
        w
        for w in page.words
        if w.x0 < -tolerance or w.y0 < -tolerance or w.x1 > page.width + tolerance or w.y1 > page.height + tolerance
    ]


def overlaps(page: Page, min_overlap: float = 1.5, share: float = 0.25) -> list[tuple[Word, Word]]:
    """Pairs of words of different lines drawn over each other: their boxes overlap by more than
    min_overlap points across and more than `share` of the lower word's height down (pdftotext's word
    boxes are a little taller than the line pitch, so the lines of one paragraph touch by ~10 %; words
    of one line never overlap: pdftotext splits them at the gaps). Two text boxes over each other, a
    wrapped figure running into the box under it, a table running into the footer all show up."""
    found = []
    words = sorted(page.words, key=lambda w: w.x0)
    for i, a in enumerate(words):
        for b in words[i + 1 :]:
            if b.x0 >= a.x1 - min_overlap:
                break
            if a.line == b.line:
                continue
            dx = min(a.x1, b.x1) - max(a.x0, b.x0)
            dy = min(a.y1, b.y1) - max(a.y0, b.y0)
            if dx > min_overlap and dy > max(min_overlap, share * min(a.y1 - a.y0, b.y1 - b.y0)):
                found.append((a, b))
    return found


def render_pngs(pdf: Path, out_prefix: Path, dpi: int = 96) -> list[Path]:
    """The PDF's pages as PNGs (1280×720 at 96 dpi for a 13.33 in × 7.5 in slide: a projector's size)."""
    out_prefix.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(out_prefix)], check=True, timeout=120)
    return sorted(out_prefix.parent.glob(f"{out_prefix.name}-*.png"))
