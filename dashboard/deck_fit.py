"""Text measured with real open fonts, so the deck's fixed boxes hold their text in any office client.

The deck names 微软雅黑, which LibreOffice and WPS on Kylin/UOS (信创) machines lack: they draw Chinese in
whatever CJK font is installed (WenQuanYi Micro Hei, Noto Sans CJK, …) and digits and Latin letters in a
Latin fallback (DejaVu Sans, wider than 微软雅黑's). Boxes of a fixed size overflow unless the sizes
written already fit the widest of those. So text is measured here with Pillow over the fonts such a
machine has (found through fontconfig, else at Debian's paths), with LibreOffice's extra quarter em
between Chinese and Latin runs (its default 'space between Asian and non-Asian text') and a safety margin
for other fallbacks. Where no font file is found, every CJK character counts one em and every other
character 0.7 em (wider than any of the fonts measured), so the layout stays safe, only tighter.

Sizes are points; widths are points. report.py shrinks type to fit a box, shortens names and decides how
many table rows a slide can hold with these functions.
"""

from __future__ import annotations

import itertools
import shutil
import subprocess
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

from PIL import ImageFont

from dashboard.formatting import short_name

MARGIN = 1.10  # 10 % wider than measured, for other CJK and Latin fallbacks
CJK_LATIN_GAP = 0.25  # em LibreOffice adds where Chinese and Latin text meet
LINE_HEIGHT = 1.25  # em: measured 1.173 (ascent + descent of WenQuanYi and DejaVu), and a margin
ELLIPSIS = "…"
REF = 200  # the pixel size fonts are measured at (then scaled)

CJK_CANDIDATES = (
    ("WenQuanYi Micro Hei", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    ("Noto Sans CJK SC", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    ("WenQuanYi Zen Hei", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
)
LATIN_CANDIDATES = {
    False: (("DejaVu Sans", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),),
    True: (("DejaVu Sans:bold", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),),
}


def _fc_match(family: str) -> Path | None:
    """The file fontconfig has for `family`, when it has that family (not a substitute)."""
    if shutil.which("fc-match") is None:
        return None
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{file}\n%{family}", family], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    file, _, families = out.partition("\n")
    wanted = family.split(":")[0].lower()
    ok = any(f.strip().lower() == wanted for f in families.split(","))
    return Path(file) if ok and Path(file).is_file() else None


def _find(candidates) -> Path | None:
    for family, path in candidates:
        if Path(path).is_file():
            return Path(path)
        found = _fc_match(family)
        if found is not None:
            return found
    return None


@cache
def _font(kind: str, bold: bool) -> ImageFont.FreeTypeFont | None:
    path = _find(CJK_CANDIDATES) if kind == "cjk" else _find(LATIN_CANDIDATES[bold])
    if path is None:
        return None
    try:
        return ImageFont.truetype(str(path), REF)
    except OSError:
        return None


def is_cjk(ch: str) -> bool:
    """Drawn by the CJK font: wide and full-width characters (汉字, ，（）：…)."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _runs(text: str) -> list[tuple[bool, str]]:
    runs: list[tuple[bool, str]] = []
    for ch in text:
        cjk = is_cjk(ch)
        if runs and runs[-1][0] == cjk:
            runs[-1] = (cjk, runs[-1][1] + ch)
        else:
            runs.append((cjk, ch))
    return runs


@lru_cache(maxsize=4096)
def _run_em(run: str, cjk: bool, bold: bool) -> float:
    font = _font("cjk" if cjk else "latin", bold)
    if font is None:
        return len(run) * (1.0 if cjk else 0.7)
    return font.getlength(run) / REF


def width(text: str, size: float, *, bold: bool = False) -> float:
    """The width of one line of `text` at `size` points, in points, with the safety margin."""
    runs = _runs(text)
    em = sum(_run_em(run, cjk, bold) for cjk, run in runs)
    gaps = sum(1 for a, b in itertools.pairwise(runs) if a[0] != b[0] and not a[1].isspace() and not b[1].isspace())
    return (em + gaps * CJK_LATIN_GAP) * size * MARGIN


def line_height(size: float) -> float:
    return size * LINE_HEIGHT


def fits(text: str, box_width: float, size: float, *, bold: bool = False) -> bool:
    """Every line (split at newlines) of `text` fits `box_width` at `size` without wrapping."""
    return all(width(line, size, bold=bold) <= box_width for line in text.split("\n"))


def fit_size(text: str, box_width: float, max_size: float, min_size: float, *, bold: bool = False) -> float:
    """The largest whole point size from max_size down to min_size at which no line of `text` wraps
    (min_size when even that is too wide: the caller shortens the text)."""
    size = float(max_size)
    while size > min_size and not fits(text, box_width, size, bold=bold):
        size -= 1
    return max(size, float(min_size))


def ellipsize(text: str, box_width: float, size: float, *, bold: bool = False) -> str:
    """`text` cut at the end with '…' so it fits one line of `box_width` (as the web's text-overflow)."""
    if fits(text, box_width, size, bold=bold):
        return text
    for end in range(len(text) - 1, 0, -1):
        cut = text[:end].rstrip() + ELLIPSIS
        if width(cut, size, bold=bold) <= box_width:
            return cut
    return ELLIPSIS


def shorten_name(name: str, box_width: float, size: float, *, bold: bool = False) -> str:
    """A community name as it fits: whole, else as people say it (formatting.short_name: '向阳社区' ->
    '向阳', the web meeting mode's rule), else cut with '…' as the web meeting mode's bars do."""
    if fits(name, box_width, size, bold=bold):
        return name
    return ellipsize(short_name(name), box_width, size, bold=bold)


def wrapped_lines(text: str, box_width: float, size: float, *, bold: bool = False) -> int:
    """How many lines `text` takes in a box of `box_width` when it wraps (greedily, at any character:
    Chinese breaks between characters; a Latin word is kept whole when it fits a line)."""
    total = 0
    for para in text.split("\n"):
        lines, line = 1, ""
        for token in _tokens(para):
            if line and width(line + token, size, bold=bold) > box_width:
                lines += 1
                line = token.lstrip()
            else:
                line += token
        total += lines
    return total


def _tokens(text: str) -> list[str]:
    """Break opportunities: every CJK character on its own, Latin words with the space before them."""
    out: list[str] = []
    for ch in text:
        if out and not is_cjk(ch) and not ch.isspace() and out[-1] and not is_cjk(out[-1][-1]):
            out[-1] += ch
        else:
            out.append(ch)
    return out
