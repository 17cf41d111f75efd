"""Workbooks handed out after the meeting: the tables behind the slides, each community's follow-up
list (分社区督办清单, zipped together), and the year-end statistics (年度大统计).

Every workbook goes through dashboard.export.to_excel_bytes (styled header, fitted widths, text never a
formula) and has personal data masked: these files leave the office.
"""

from __future__ import annotations

import io
import zipfile

import pandas as pd

from dashboard.export import mask_personal, to_excel_bytes
from dashboard.meeting import Deck


def meeting_pack_bytes(deck: Deck) -> bytes:
    """One sheet per table behind the slides (sheet names keep the slide numbers)."""
    return to_excel_bytes({name: mask_personal(frame) for name, frame in deck.tables.items()})


def meeting_pack_name(deck: Deck) -> str:
    return f"{deck.street}{deck.year}年{deck.month}月例会数据.xlsx"


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """A zip of named files; names are UTF-8 (the flag Windows Explorer and 7-Zip read)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def _frame(frame: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    cols = [c for c in labels if c in frame.columns]
    return mask_personal(frame[cols]).rename(columns=labels)
