"""Hand-built ParsedFile objects for the loader's tests (the parser is tested on its own)."""

from __future__ import annotations

import hashlib
from datetime import date

import pandas as pd

from dashboard.ledgers.model import ParsedFile, ParsedSheet, Problem

STREET = "示例街道"


def ent(community: str, name: str, uscc: str | None = None, employees: int = 30, **extra) -> dict:
    row = {
        "community": community,
        "name": name,
        "uscc": uscc,
        "industry": "制造业",
        "status": "正常经营",
        "employees": employees,
        "union_status": "独立建会",
        "union_founded": date(2020, 1, 1),
    }
    row.update(extra)
    return row


def agreement(community: str, name: str, uscc: str | None, signed_on: date, **extra) -> dict:
    row = {
        "community": community,
        "name": name,
        "uscc": uscc,
        "agreement_type": "单独签订",
        "sign_kind": "新签",
        "signed_on": signed_on,
        "expires_on": date(signed_on.year + 1, signed_on.month, signed_on.day),
        "covered_employees": 30,
        "wage_increase_pct": 5.0,
        "filed": True,
    }
    row.update(extra)
    return row


def grade(community: str, name: str, uscc: str | None, year: int, g: str = "A", **extra) -> dict:
    row = {"community": community, "name": name, "uscc": uscc, "year": year, "grade": g, "score": 90.0}
    row.update(extra)
    return row


def aid(community: str, recipient: str, id_number: str | None, campaign: str, given_on: date, **extra) -> dict:
    row = {
        "community": community,
        "recipient": recipient,
        "id_number": id_number,
        "category": "困难职工",
        "campaign": campaign,
        "festival": None,
        "given_on": given_on,
        "cash": 500.0,
        "goods_value": 0.0,
    }
    row.update(extra)
    return row


def dispute(community: str, case_no: str, name: str, received_on: date, **extra) -> dict:
    row = {
        "case_no": case_no,
        "community": community,
        "name": name,
        "uscc": None,
        "received_on": received_on,
        "dispute_type": "劳动报酬",
        "workers": 1,
        "amount": 1000.0,
        "level": "社区",
        "outcome": "调解中",
    }
    row.update(extra)
    return row


def sheet(
    ledger: str,
    rows: list[dict],
    name: str = "Sheet1",
    *,
    first_row: int = 3,
    rejected: int = 0,
    problems: list[Problem] | None = None,
    header_map: dict[str, str] | None = None,
) -> ParsedSheet:
    frame = pd.DataFrame(rows)
    if "name" in frame.columns:
        frame["name_norm"] = frame["name"].map(lambda s: "".join(str(s).split()))
    frame["source_sheet"] = name
    frame["source_row"] = range(first_row, first_row + len(frame))
    return ParsedSheet(
        sheet=name,
        ledger=ledger,
        header_row=first_row - 1,
        header_map=header_map or {"name": "企业名称", "recipient": "姓名"},
        frame=frame,
        rows_read=len(rows) + rejected,
        rows_rejected=rejected,
        problems=list(problems or []),
    )


def parsed(*sheets: ParsedSheet, file_name: str = "台账.xlsx", salt: str = "") -> ParsedFile:
    """A ParsedFile whose sha256 depends on its content (and salt), as a real file's would."""
    text = repr([(s.sheet, s.ledger, s.frame.to_dict("records")) for s in sheets]) + salt
    return ParsedFile(file_name, hashlib.sha256(text.encode()).hexdigest(), list(sheets))


def raw_of(p: ParsedFile) -> bytes:
    return p.sha256.encode()


def lose_one_stored_row(monkeypatch, name: str = "乙公司") -> None:
    """Make the loader's write of a batch lose the row of `name` after storing it: the stored rows then differ
    from what the parser read, which load._check_stored must catch (StoredMismatch, the batch rolled back).
    Undone with monkeypatch.undo() (or at the test's end)."""
    from dashboard.ledgers import load

    real_write = load._write

    def write_one_short(con, ledger, stage, street, batch_id):
        real_write(con, ledger, stage, street, batch_id)
        con.execute(f"delete from main.{ledger} where batch_id = ? and name = ?", [batch_id, name])

    monkeypatch.setattr(load, "_write", write_one_short)
