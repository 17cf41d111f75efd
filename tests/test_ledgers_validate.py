"""The data contract: every rule's severity and message, on hand-built normalised frames."""

import pandas as pd
import pytest
from stdnum.cn import ric, uscc

from dashboard.ledgers import validate as v
from dashboard.ledgers.model import ERROR, WARNING

GOOD_USCC = "91110000600037341L"


def frame(rows: list[dict], ledger: str) -> pd.DataFrame:
    from dashboard import spec
    from dashboard.ledgers.parse import _blank_column

    lg = spec.LEDGERS[ledger]
    index = pd.Index([r["row"] for r in rows], name="row")
    df = pd.DataFrame(index=index)
    for f in lg.fields:
        df[f.name] = _blank_column(f, index)
        values = [r.get(f.name) for r in rows]
        if any(x is not None for x in values):
            df[f.name] = pd.Series(values, index=index).astype(df[f.name].dtype)
    if "name" in df:
        df["name_norm"] = df["name"].str.lower()
    if ledger == "aid":
        df["festival"] = pd.array([r.get("festival") for r in rows], dtype="string")
    return df


def issues(rows, ledger, headers=None):
    found = v.check(frame(rows, ledger), ledger, headers or {})
    return [(i.row, i.field, i.severity) for i in found], found


def code(n: int) -> str:
    body = f"9111000060003{n:04d}"
    return body + uscc.calc_check_digit(body)


def ent(row, **kw):
    base = {"row": row, "community": "东风社区", "name": f"企业{row}", "uscc": code(row), "employees": 10,
            "union_status": "未建会", "status": "正常经营"}  # fmt: skip
    base.update(kw)
    return base


def test_clean_rows_pass():
    got, _ = issues([ent(5)], "enterprises")
    assert got == []


def test_required_missing_is_an_error_naming_row_and_header():
    got, found = issues([ent(12, employees=None)], "enterprises", {"employees": "职工数（人）"})
    assert got == [(12, "employees", ERROR)]
    assert found[0].message.startswith("第12行「职工数（人）」为空")


@pytest.mark.parametrize(
    ("code", "severity"),
    [("91110000600037341", ERROR), ("9111000060003734IL", ERROR), ("91110000600037341X", WARNING), (None, WARNING)],
)
def test_uscc_severities(code, severity):
    got, _ = issues([ent(3, uscc=code)], "enterprises")
    assert got == [(3, "uscc", severity)]


def test_uscc_checksum_matches_stdnum():
    codes = ["91110000600037341L", "91120102MA05X7KA3L", "911201100005159820", "12100000400000624D"]
    ours = v.uscc_checksum_ok(pd.Series(codes)).tolist()
    assert ours == [uscc.is_valid(c) for c in codes]


def test_uscc_form_read_from_bytes_is_the_pattern():
    """The rules read codes from Arrow's bytes: well-formed is exactly USCC_PATTERN (18 characters of the
    alphabet), also for 18 bytes that are 6 Chinese characters, lower case, I/O/S/V/Z, and a sliced frame."""
    codes = [GOOD_USCC, "91110000600037341X", GOOD_USCC.lower(), "中华人民共和国", "中" * 6, GOOD_USCC[:17],
             GOOD_USCC + "1", "91110000600037341I", "9111000060003734OL", "", None, "é" * 9, code(7)]  # fmt: skip
    df = pd.DataFrame({"uscc": pd.array(codes * 3, dtype="string")}, index=range(10, 10 + 3 * len(codes)))
    for part in (df, df.iloc[len(codes) + 2 : 2 * len(codes) + 5]):
        pattern = part["uscc"].str.fullmatch(v.USCC_PATTERN).fillna(False).astype(bool)
        assert v._uscc_malformed(part).tolist() == (part["uscc"].notna() & ~pattern).tolist()
        checked = [bool(p) and not uscc.is_valid(c) for c, p in zip(part["uscc"], pattern, strict=True)]
        assert v._uscc_bad_checksum(part).tolist() == checked
    assert v._uscc_malformed(df).sum() == 3 * 9  # all but GOOD_USCC, the X one, code(7) and None
    assert v._uscc_bad_checksum(df).sum() == 3  # 91110000600037341X


def test_id_numbers():
    good = "11010519491231002X"
    assert ric.is_valid(good)
    s = pd.Series([good, "110105491231002", "110105194912310021", "12345"], dtype="string")
    assert v.ric_ok(s).tolist() == [True, True, False, False]
    assert v.mask_id(good) == "1101**********002X"


def test_cross_field_warnings_on_enterprises():
    rows = [
        ent(4, migrant_workers=11),
        ent(5, union_members=12),
        ent(6, union_status="独立建会"),  # no founding date
    ]
    got, _ = issues(rows, "enterprises")
    assert got == [(4, "migrant_workers", WARNING), (5, "union_members", WARNING), (6, "union_founded", WARNING)]


def test_dates_out_of_order_are_errors():
    wage = {"row": 7, "community": "东风社区", "name": "甲", "uscc": GOOD_USCC, "agreement_type": "单独签订",
            "signed_on": pd.Timestamp("2026-03-05"), "expires_on": pd.Timestamp("2026-03-04")}  # fmt: skip
    assert issues([wage], "wage_agreements")[0] == [(7, "expires_on", ERROR)]
    dispute = {"row": 8, "case_no": "A1", "community": "东风社区", "name": "甲", "uscc": GOOD_USCC,
               "received_on": pd.Timestamp("2026-03-05"), "closed_on": pd.Timestamp("2026-03-01"), "workers": 1,
               "outcome": "调解成功"}  # fmt: skip
    assert issues([dispute], "disputes")[0] == [(8, "closed_on", ERROR)]


def test_industry_agreement_needs_a_name():
    wage = {"row": 9, "community": "东风社区", "name": "甲", "uscc": GOOD_USCC, "agreement_type": "行业性",
            "signed_on": pd.Timestamp("2026-03-05"), "expires_on": pd.Timestamp("2027-03-04")}  # fmt: skip
    assert issues([wage], "wage_agreements")[0] == [(9, "agreement_name", ERROR)]


def test_ranges():
    got, _ = issues([ent(3, employees=-1)], "enterprises")
    assert got == [(3, "employees", ERROR)]
    grade = {
        "row": 4,
        "community": "东风社区",
        "name": "甲",
        "uscc": GOOD_USCC,
        "year": 2025,
        "grade": "A",
        "score": 101.0,
    }
    assert issues([grade], "harmonious")[0] == [(4, "score", ERROR)]


def test_duplicate_natural_key_rejects_later_rows():
    got, found = issues(
        [ent(3), ent(4, name="企业3", uscc=code(3)), ent(5, uscc=None, name="乙"), ent(6, uscc=None, name="乙")],
        "enterprises",
    )
    assert (4, "community", ERROR) in got and (6, "community", ERROR) in got
    assert any(i.message.startswith("第4行与第3行重复") for i in found)


def aid(row, **kw):
    base = {"row": row, "community": "东风社区", "recipient": "张三", "id_number": "11010519491231002X",
            "campaign": "冬送温暖", "given_on": pd.Timestamp("2026-01-10"), "cash": 500.0}  # fmt: skip
    base.update(kw)
    return base


def test_same_person_twice_in_a_campaign_is_a_warning():
    got, _ = issues([aid(3), aid(4, given_on=pd.Timestamp("2026-01-20")), aid(5, campaign="金秋助学")], "aid")
    assert got == [(3, "recipient", WARNING), (4, "recipient", WARNING)]


def test_different_festivals_are_different_campaigns():
    rows = [aid(3, campaign="节日慰问", festival="春节"), aid(4, campaign="节日慰问", festival="中秋",
                                                         given_on=pd.Timestamp("2026-09-20"))]  # fmt: skip
    assert issues(rows, "aid")[0] == []


def test_same_person_without_id_matched_by_name():
    got, _ = issues([aid(3, id_number=None), aid(4, id_number=None, given_on=pd.Timestamp("2026-02-01"))], "aid")
    assert got == [(3, "recipient", WARNING), (4, "recipient", WARNING)]


def test_schema_is_a_pandera_contract():
    import pandera.pandas as pa

    s = v.schema("enterprises", ERROR)
    assert isinstance(s, pa.DataFrameSchema) and "required:employees" in [c.name for c in s.checks]
