"""Step 5 of the import: the data contract of each ledger, checked on the normalised frame.

Every rule is a pandera check on the frame (index = Excel row number) with a severity: an error
rejects the row, a warning keeps it. Each failing row becomes an Issue whose message names the row
and the header as the user sees them, and says what to do.

Severities chosen where the spec leaves room:
- USCC of the wrong length or with characters outside GB 32100 (0-9, A-Z less I O S V Z) -> error;
  a check-character mismatch -> warning (codes issued in practice sometimes fail it); missing ->
  warning (the enterprise is then keyed by name + community).
- ID numbers: a bad GB 11643 check digit or a malformed number -> warning (15-digit legacy accepted).
- The second and later rows repeating a natural key within the file -> error, naming the first row;
  the same person (id number, else name) aided twice in one campaign -> warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow
import pyarrow.compute as pc
from pandera.errors import SchemaErrors

from dashboard import spec
from dashboard.ledgers.model import ERROR, WARNING
from dashboard.ledgers.normalise import Issue
from dashboard.privacy import mask_id

# GB 32100-2015: the alphabet and the weights of the check character (as in stdnum.cn.uscc).
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28], dtype=np.int64)
USCC_PATTERN = r"^[0-9A-HJ-NPQRTUWXY]{18}$"
_USCC_VALUE = np.full(256, -1, dtype=np.int64)  # by UTF-8 byte: -1 outside the alphabet
for _i, _c in enumerate(USCC_ALPHABET):
    _USCC_VALUE[ord(_c)] = _i


def uscc_checksum_ok(codes: pd.Series) -> pd.Series:
    """True where a well-formed 18-character USCC has the right check character (vectorised)."""
    well_formed, vals = _uscc_values(codes)
    out = np.zeros(len(codes), dtype=bool)
    out[well_formed] = _check_character(vals) == vals[:, 17]
    return pd.Series(out, index=codes.index)


def _check_character(vals: np.ndarray) -> np.ndarray:
    return (31 - (vals[:, :17] @ USCC_WEIGHTS) % 31) % 31


def _uscc_values(codes: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(well-formed per row, the alphabet value of each character of the well-formed codes).

    Well-formed is USCC_PATTERN: 18 characters of the alphabet, so 18 bytes of UTF-8, each an alphabet
    character. Read from the Arrow buffer of the 18-byte codes, without a Python string per row.
    """
    arr = pyarrow.array(codes.astype("string[pyarrow]").array)
    if isinstance(arr, pyarrow.ChunkedArray):
        arr = arr.combine_chunks()
    arr = arr.cast(pyarrow.large_string())
    is18 = pc.fill_null(pc.equal(pc.binary_length(arr), 18), False)
    picked = arr.filter(is18)
    well_formed = is18.to_numpy(zero_copy_only=False).copy()
    if len(picked) == 0:
        return np.zeros(len(arr), dtype=bool), np.empty((0, 18), dtype=np.int64)
    offsets = np.frombuffer(picked.buffers()[1], dtype=np.int64)[picked.offset : picked.offset + len(picked) + 1]
    raw = np.frombuffer(picked.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]].reshape(-1, 18)
    vals = _USCC_VALUE[raw]
    ok = (vals >= 0).all(axis=1)
    well_formed[well_formed] = ok
    return well_formed, vals[ok]


_LEGACY_ID = re.compile(r"\d{15}")  # pre-1999 numbers: no check digit to verify


def ric_ok(numbers: pd.Series) -> pd.Series:
    """GB 11643 id numbers: 18 digits with a valid check digit, or a 15-digit legacy number."""
    from stdnum.cn import ric

    uniques = numbers.dropna().unique()
    valid = {u: bool(_LEGACY_ID.fullmatch(u)) or ric.is_valid(u) for u in uniques}
    return numbers.map(valid).fillna(True).astype(bool)


@dataclass(frozen=True)
class Rule:
    """One check of a ledger's contract: fails(df) is True on the rows breaking it."""

    name: str
    severity: str
    field: str  # the column the problem points at
    fails: Callable[[pd.DataFrame], pd.Series]
    message: Callable[[pd.Series, str], str]  # (the row, its header text) -> Chinese sentence


def _v(value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _rules_for(ledger: spec.Ledger) -> list[Rule]:
    rules: list[Rule] = []
    names = set(ledger.columns)
    for f in ledger.fields:
        if f.required:
            rules.append(
                Rule(
                    f"required:{f.name}",
                    ERROR,
                    f.name,
                    lambda df, c=f.name: df[c].isna(),
                    lambda r, h, lab=f.label: f"第{r.name}行「{h or lab}」为空，这一项必填，请补上后重新上传。",
                )
            )
    for col, low, text in (
        ("employees", 0, "不能是负数"),
        ("migrant_workers", 0, "不能是负数"),
        ("union_members", 0, "不能是负数"),
        ("covered_employees", 0, "不能是负数"),
        ("jobs_offered", 0, "不能是负数"),
        ("cash", 0, "不能是负数"),
        ("goods_value", 0, "不能是负数"),
        ("amount", 0, "不能是负数"),
        ("workers", 1, "应至少为 1 人"),
    ):
        if col in names:
            rules.append(
                Rule(
                    f"min:{col}",
                    ERROR,
                    col,
                    lambda df, c=col, lo=low: df[c].lt(lo).fillna(False),
                    lambda r, h, c=col, t=text: f"第{r.name}行「{h}」为 {_v(r[c])}，{t}，请更正。",
                )
            )
    if "score" in names:
        rules.append(
            Rule(
                "range:score",
                ERROR,
                "score",
                lambda df: (df["score"].lt(0) | df["score"].gt(100)).fillna(False),
                lambda r, h: f"第{r.name}行「{h}」为 {_v(r['score'])}，评分应在 0 到 100 之间，请更正。",
            )
        )
    if "uscc" in names:
        rules += [
            Rule(
                "uscc:format",
                ERROR,
                "uscc",
                _uscc_malformed,
                lambda r, h: (
                    f"第{r.name}行「{h}」为“{_v(r['uscc'])}”（{len(_v(r['uscc']))} 位），"
                    "统一社会信用代码应为 18 位数字或大写字母（不含 I、O、S、V、Z），请对照营业执照更正。"
                ),
            ),
            Rule(
                "uscc:checksum",
                WARNING,
                "uscc",
                _uscc_bad_checksum,
                lambda r, h: (
                    f"第{r.name}行「{h}」“{_v(r['uscc'])}”的校验位不符合国家标准，可能有一位填错，请对照营业执照核对"
                    "（本行仍会导入）。"
                ),
            ),
            Rule(
                "uscc:missing",
                WARNING,
                "uscc",
                lambda df: df["uscc"].isna(),
                lambda r, h: f"第{r.name}行未填「{h or '统一社会信用代码'}」，将按企业名称和社区识别该企业，建议补上。",
            ),
        ]
    if "id_number" in names:
        rules.append(
            Rule(
                "id_number:invalid",
                WARNING,
                "id_number",
                lambda df: ~ric_ok(df["id_number"]),
                lambda r, h: (
                    f"第{r.name}行「{h}」“{mask_id(_v(r['id_number']))}”不是有效的身份证号（位数或校验位不对），"
                    "请核对（本行仍会导入）。若号码被 Excel 显示成了科学计数法，请把该列设为文本后重新填写。"
                ),
            )
        )
    rules += _cross_field_rules(ledger)
    return rules


def _uscc_bad_checksum(df: pd.DataFrame) -> pd.Series:
    well_formed, vals = _uscc_values(df["uscc"])
    out = np.zeros(len(df), dtype=bool)
    out[well_formed] = _check_character(vals) != vals[:, 17]
    return pd.Series(out, index=df.index)


def _uscc_malformed(df: pd.DataFrame) -> pd.Series:
    """A code that is there but not 18 characters of the alphabet (USCC_PATTERN)."""
    return pd.Series(df["uscc"].notna().to_numpy(dtype=bool) & ~_uscc_values(df["uscc"])[0], index=df.index)


def _cross_field_rules(ledger: spec.Ledger) -> list[Rule]:
    names = set(ledger.columns)
    rules: list[Rule] = []
    if {"migrant_workers", "employees"} <= names:
        rules.append(
            Rule(
                "migrant_gt_employees",
                WARNING,
                "migrant_workers",
                lambda df: df["migrant_workers"].gt(df["employees"]).fillna(False),
                lambda r, h: (
                    f"第{r.name}行「{h}」（{_v(r['migrant_workers'])}）大于职工人数（{_v(r['employees'])}），请核对"
                    "（本行仍会导入）。"
                ),
            )
        )
    if {"union_members", "employees"} <= names:
        rules.append(
            Rule(
                "members_gt_employees",
                WARNING,
                "union_members",
                lambda df: df["union_members"].gt(df["employees"]).fillna(False),
                lambda r, h: (
                    f"第{r.name}行「{h}」（{_v(r['union_members'])}）大于职工人数（{_v(r['employees'])}），请核对"
                    "（本行仍会导入）。"
                ),
            )
        )
    if {"union_status", "union_founded"} <= names:
        rules.append(
            Rule(
                "founded_missing",
                WARNING,
                "union_founded",
                lambda df: df["union_status"].ne("未建会").fillna(False) & df["union_founded"].isna(),
                lambda r, h: (
                    f"第{r.name}行已建会（{_v(r['union_status'])}）但「{h or '建会时间'}」为空，请补上建会时间，"
                    "否则该企业不计入当年新增建会。"
                ),
            )
        )
    if {"expires_on", "signed_on"} <= names:
        rules.append(
            Rule(
                "expires_before_signed",
                ERROR,
                "expires_on",
                lambda df: df["expires_on"].lt(df["signed_on"]).fillna(False),
                lambda r, h: (
                    f"第{r.name}行「{h}」（{_v(r['expires_on'])}）早于签订日期（{_v(r['signed_on'])}），请核对两个日期。"
                ),
            )
        )
    if {"agreement_type", "agreement_name"} <= names:
        rules.append(
            Rule(
                "agreement_name_missing",
                ERROR,
                "agreement_name",
                lambda df: df["agreement_type"].isin(["行业性", "区域性"]).fillna(False) & df["agreement_name"].isna(),
                lambda r, h: (
                    f"第{r.name}行是{_v(r['agreement_type'])}协议，但「{h or '协议名称'}」为空。"
                    "行业性、区域性协议必须填写协议名称，以便统计同一份协议覆盖的企业。"
                ),
            )
        )
    if {"closed_on", "received_on"} <= names:
        rules.append(
            Rule(
                "closed_before_received",
                ERROR,
                "closed_on",
                lambda df: df["closed_on"].lt(df["received_on"]).fillna(False),
                lambda r, h: (
                    f"第{r.name}行「{h}」（{_v(r['closed_on'])}）早于受理日期（{_v(r['received_on'])}），请核对两个日期。"
                ),
            )
        )
    return rules


_RULES: dict[str, list[Rule]] = {}


def rules(ledger: str) -> list[Rule]:
    if ledger not in _RULES:
        _RULES[ledger] = _rules_for(spec.LEDGERS[ledger])
    return _RULES[ledger]


def schema(ledger: str, severity: str) -> pa.DataFrameSchema:
    """The pandera contract of a ledger for one severity: each rule a named wide check.

    Each check reports one failure case only: check() reads the failing rows from the check's output,
    and pandera's listing of every cell of every failing row (a missing USCC on 5,000 rows is 80,000
    cells, formatted into a message nobody reads) cost more than all the checks together.
    """
    lg = spec.LEDGERS[ledger]
    checks = [
        pa.Check(lambda df, r=r: ~r.fails(df), name=r.name, error=r.name, n_failure_cases=1)
        for r in rules(ledger)
        if r.severity == severity
    ]
    columns = {f.name: pa.Column(_DTYPES.get(f.kind), nullable=True, required=False) for f in lg.fields}
    return pa.DataFrameSchema(columns, checks=checks, name=f"{ledger}:{severity}")


_DTYPES = {
    spec.INT: "Int64",
    spec.YEAR: "Int64",
    spec.AMOUNT: "Float64",
    spec.NUMBER: "Float64",
    spec.PERCENT: "Float64",
    spec.DATE: "datetime64[s]",
    spec.BOOL: "boolean",
}


class _Rows:
    """The failing rows of one rule, converted a column at a time and only for the columns a message reads.

    Most messages read one or two columns, or none ("未填统一社会信用代码"): converting every column of
    thousands of failing rows (dates to Timestamps above all) cost more than the check itself.
    """

    def __init__(self, df: pd.DataFrame, rows: pd.Index) -> None:
        self.df, self.rows = df, rows
        self.columns: dict[str, dict] = {}

    def column(self, name: str) -> dict:
        if name not in self.columns:
            # the same conversion as df.loc[rows].to_dict("index"), for one column
            self.columns[name] = {
                row: values[name] for row, values in self.df.loc[self.rows, [name]].to_dict("index").items()
            }
        return self.columns[name]


class _Row(dict):
    """A failing row as the message lambdas read it: r[column] and r.name (the Excel row number)."""

    name: int
    source: _Rows

    def __missing__(self, column: str):
        value = self[column] = self.source.column(column)[self.name]
        return value


def check(df: pd.DataFrame, ledger: str, headers: dict[str, str], present: set[str] | None = None) -> list[Issue]:
    """Run the contract on a normalised frame (index = Excel row); return one Issue per failing row.

    `present` names the fields the sheet has a column for: a missing USCC is reported per row only
    when the column exists (a sheet without one gets a single note from the caller instead).
    """
    issues: list[Issue] = []
    by_name = {r.name: r for r in rules(ledger)}
    for severity in (ERROR, WARNING):
        try:
            schema(ledger, severity).validate(df, lazy=True)
            continue
        except SchemaErrors as exc:
            errors = exc.schema_errors
            failures = exc.failure_cases
        if not all(isinstance(e.check, pa.Check) and e.check.name in by_name for e in errors):
            _raise_breach(ledger, failures, by_name)  # a dtype breach: a bug in normalise, not the user's fault
        for err in errors:
            rule = by_name[err.check.name]
            if rule.name == "uscc:missing" and present is not None and "uscc" not in present:
                continue
            rows = _failing_rows(df, err)
            header = headers.get(rule.field, spec.LEDGERS[ledger].field(rule.field).label)
            # one conversion per column read for all failing rows, not a per-row .loc
            source = _Rows(df, rows)
            for row_no in rows:
                row = _Row()
                row.name, row.source = row_no, source
                issues.append(Issue(int(row_no), rule.field, severity, rule.message(row, header)))
    issues += _duplicates(df, ledger, headers)
    return issues


def _raise_breach(ledger: str, failures: pd.DataFrame, by_name: dict[str, Rule]) -> None:
    for check_name, group in failures.groupby("check", dropna=False, sort=False):
        if str(check_name) not in by_name:
            raise RuntimeError(f"{ledger}: contract breach {check_name}: {group.head(3).to_dict('records')}")
    raise RuntimeError(f"{ledger}: contract breach: {failures.head(3).to_dict('records')}")


def _failing_rows(df: pd.DataFrame, err) -> pd.Index:
    """The rows a failed wide check names, in the order pandera would list them in full.

    pandera lists the cells of the failing rows column by column and leaves out missing values, so a row
    comes in at its first non-missing column (all-missing rows pass). No row list when the check could
    not run at all (pandera then reports the exception, not rows).
    """
    if err.check_output is None or not isinstance(err.failure_cases, pd.DataFrame):
        return df.index[:0]
    positions = np.flatnonzero(~err.check_output.astype(bool).to_numpy())
    present = df.iloc[positions].notna().to_numpy()
    positions, present = positions[present.any(axis=1)], present[present.any(axis=1)]
    return df.index[positions[np.argsort(present.argmax(axis=1), kind="stable")]]


def _key_frame(df: pd.DataFrame, ledger: str) -> pd.DataFrame | None:
    """The natural key used to spot repeated rows within one file."""
    if ledger == "enterprises":
        ident = df["uscc"].fillna("名称:" + df["name_norm"].fillna(""))
        return pd.DataFrame({"community": df["community"], "ident": ident})
    if ledger in ("wage_agreements", "harmonious"):
        ident = df["uscc"].fillna("名称:" + df["community"].fillna("") + df["name_norm"].fillna(""))
        second = "signed_on" if ledger == "wage_agreements" else "year"
        return pd.DataFrame({"ident": ident, second: df[second]})
    if ledger == "aid":
        person = df["id_number"].fillna("姓名:" + df["recipient"].fillna(""))
        return pd.DataFrame({"person": person, "campaign": df["campaign"], "given_on": df["given_on"]})
    if ledger == "disputes":
        return pd.DataFrame({"case_no": df["case_no"]})
    if ledger in spec.KEY_WORDS:  # the duty ledgers: their natural key as written (a name as name_norm)
        return pd.DataFrame({c: df["name_norm" if c == "name" else c] for c in spec.LEDGERS[ledger].natural_key})
    return None


_KEY_WORDS = {
    "enterprises": "同一社区、同一企业",
    "wage_agreements": "同一企业、同一签订日期",
    "harmonious": "同一企业、同一年度",
    "aid": "同一人、同一活动、同一发放日期",
    "disputes": "同一案件编号",
}


def _duplicates(df: pd.DataFrame, ledger: str, headers: dict[str, str]) -> list[Issue]:
    issues: list[Issue] = []
    keys = _key_frame(df, ledger)
    if keys is None or df.empty:
        return issues
    complete = keys.notna().all(axis=1)
    keys = keys[complete]
    dup = keys.duplicated(keep="first")
    if dup.any():
        group = keys.groupby(list(keys.columns), sort=False, dropna=False).ngroup()
        first_row = pd.Series(keys.index, index=keys.index).groupby(group.to_numpy()).transform("first")
        field = spec.LEDGERS[ledger].natural_key[0]
        key_words = _KEY_WORDS.get(ledger) or spec.KEY_WORDS[ledger]
        for row_no in keys.index[dup]:
            issues.append(
                Issue(
                    int(row_no),
                    field,
                    ERROR,
                    f"第{row_no}行与第{first_row[row_no]}行重复（{key_words}），本行未导入；"
                    "如确是两条不同记录，请核对后修改。",
                )
            )
    if ledger == "aid":
        person = df["id_number"].fillna("姓名:" + df["recipient"].fillna(""))
        # 春节 and 中秋 慰问 are both 节日慰问 but separate campaigns: the festival is part of the key.
        pk = pd.DataFrame({"person": person, "campaign": df["campaign"], "festival": df["festival"].fillna("")})
        twice = pk.duplicated(keep=False) & pk[["person", "campaign"]].notna().all(axis=1)
        already = set(keys.index[dup]) if dup.any() else set()
        for row_no in df.index[twice]:
            if row_no in already:
                continue
            issues.append(
                Issue(
                    int(row_no),
                    "recipient",
                    WARNING,
                    f"第{row_no}行「{headers.get('recipient', '姓名')}」在同一活动（{_v(df.at[row_no, 'campaign'])}）中"
                    "出现不止一次，请确认是否重复发放（本行仍会导入）。",
                )
            )
    return issues


# --- problems grouped by kind, for the preview and the CLI ---------------------------------------

_ROW_REF = re.compile(r"第\d+行")
_QUOTED = re.compile(r"“[^”]*”")


@dataclass
class ProblemGroup:
    """All problems of one kind: same severity, sheet, column and message once rows and values are taken out."""

    severity: str
    sheet: str | None
    column: str | None
    kind: str  # the message with 第N行 dropped and quoted values shown as “…”
    count: int
    examples: list  # the first few Problems, in file order


def problem_kind(message: str) -> str:
    return _QUOTED.sub("“…”", _ROW_REF.sub("", message)).lstrip("，,")


def group_problems(problems, examples: int = 3) -> list[ProblemGroup]:
    """Counts per kind with the first `examples` of each; memory grows with the kinds, not the problems.

    Errors first, then by count (largest first). `problems` may be any iterable.
    """
    groups: dict[tuple, ProblemGroup] = {}
    for p in problems:
        key = (p.severity, p.sheet, p.column, problem_kind(p.message))
        g = groups.get(key)
        if g is None:
            g = groups[key] = ProblemGroup(p.severity, p.sheet, p.column, key[3], 0, [])
        g.count += 1
        if len(g.examples) < examples:
            g.examples.append(p)
    return sorted(groups.values(), key=lambda g: (g.severity != ERROR, -g.count))
