"""Generate the sample street (示例街道): the clean truth and the messy Excel ledgers made from it.

`build_truth()` draws a fictional street of ten communities, 2024-2026 (plan year 2026, today
2026-11-20), as clean rows with the canonical values and field names of dashboard/spec.py.
`write_sample()` renders those rows the way community cadres fill ledgers by hand: title and unit
lines, two-row merged headers, blank rows, 合计 rows, footers, varied headers, dates in every form,
units in numbers, full-width digits, yes/no words and synonyms. The messy files mean exactly the
truth: rows the importer must reject carry `expect_rejected`, rows it must warn about `expect_problem`.

Deterministic: a fixed seed, a fixed today and fixed workbook timestamps, so running it twice gives
byte-identical files. Run `python data/make_sample.py [--out DIR]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import numbers
import random
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter
from stdnum.cn import ric
from stdnum.cn import uscc as uscc_std

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from dashboard import spec  # noqa: E402

STREET = "示例街道"
TODAY = dt.date(2026, 11, 20)
PLAN_YEAR = 2026
YEARS = (2024, 2025, 2026)
SEED = 20261120
OUT_DIR = Path(__file__).resolve().parent / "sample"
# Fixed document timestamps: xlsxwriter writes zip entries with a fixed date already.
CREATED = dt.datetime(2026, 11, 20, 9, 0, 0)
EXCEL_EPOCH = dt.date(1899, 12, 30)

# Rows the importer must drop with an error, and the marks for rows it must warn about.
BAD_EMPLOYEES = "employees_not_int"  # error: row rejected
BAD_USCC_CHECK = "uscc_checksum"  # warning: row kept
BAD_USCC_LENGTH = "uscc_length"  # error: row rejected (the code is not a USCC at all)
MIGRANTS_OVER = "migrants_over_employees"  # warning: row kept
REJECTING_PROBLEMS = (BAD_EMPLOYEES, BAD_USCC_LENGTH)


@dataclass(frozen=True)
class CommunityPlan:
    """The story of one community: its size and where it stands on each target in 2026."""

    name: str
    size: int  # enterprises in its registry
    u1: float  # share of 25+ normal enterprises with their own union
    u2: float  # share of normal enterprises covered by any union
    new_unions: int  # U3: unions founded in 2026
    w1: float  # share of unionised normal enterprises with an agreement in force
    new_agreements: int  # W2: enterprises with a 新签 agreement in 2026
    h1: float  # share of independent-union normal enterprises graded A or above
    new_harmonious: int  # H2: first graded A or above in 2026
    regional: bool  # has an area-wide (区域性) wage agreement for its small firms


COMMUNITIES: tuple[CommunityPlan, ...] = (
    CommunityPlan("东风社区", 168, 0.97, 0.96, 4, 0.92, 3, 0.44, 3, True),
    CommunityPlan("向阳社区", 142, 0.96, 0.96, 3, 0.91, 2, 0.40, 0, False),
    CommunityPlan("红旗社区", 156, 0.81, 0.90, 1, 0.80, 0, 0.30, 1, False),
    CommunityPlan("和平里社区", 131, 0.97, 0.96, 2, 0.90, 2, 0.42, 2, True),
    CommunityPlan("光明社区", 160, 0.98, 0.97, 3, 0.92, 4, 0.45, 3, True),
    CommunityPlan("新华社区", 147, 0.96, 0.95, 0, 0.89, 2, 0.38, 2, True),
    CommunityPlan("朝阳社区", 173, 0.97, 0.96, 5, 0.91, 3, 0.41, 2, False),
    CommunityPlan("育才社区", 121, 0.96, 0.95, 2, 0.88, 2, 0.36, 2, False),
    CommunityPlan("滨河社区", 150, 0.84, 0.91, 2, 0.82, 2, 0.31, 1, True),
    CommunityPlan("明珠社区", 152, 0.98, 0.96, 3, 0.90, 1, 0.43, 2, False),
)

# How each community's enterprises workbook looks: no 社区 column in several, a two-row merged
# header in some, its own main date form and sheet name.
LAYOUTS: dict[str, dict] = {
    "东风社区": {"column": True, "two_row": True, "date": "dot", "sheet": "建会台账", "yesno": "form"},
    "向阳社区": {"column": False, "two_row": False, "date": "date_cell", "sheet": "Sheet1", "yesno": "yes"},
    "红旗社区": {"column": True, "two_row": True, "date": "cn", "sheet": "2026年", "yesno": "built"},
    "和平里社区": {"column": True, "two_row": False, "date": "slash", "sheet": "企业名录", "yesno": "form"},
    "光明社区": {"column": False, "two_row": False, "date": "cn_fmt", "sheet": "Sheet1", "yesno": "tick"},
    "新华社区": {"column": True, "two_row": False, "date": "serial", "sheet": "建会情况", "yesno": "form"},
    "朝阳社区": {"column": True, "two_row": True, "date": "iso", "sheet": "台账", "yesno": "built"},
    "育才社区": {"column": False, "two_row": False, "date": "cn", "sheet": "Sheet1", "yesno": "yes"},
    "滨河社区": {"column": True, "two_row": False, "date": "dot", "sheet": "企业建会", "yesno": "form"},
    "明珠社区": {"column": False, "two_row": True, "date": "date_cell", "sheet": "明珠社区", "yesno": "tick"},
}

INDUSTRIES = (
    ("制造业", 17, ("机械制造", "电子科技", "包装制品", "精密模具", "塑料制品", "服装", "食品")),
    ("建筑业", 7, ("建筑工程", "装饰工程", "建设工程")),
    ("批发和零售业", 22, ("商贸", "贸易", "超市", "医药连锁", "五金建材")),
    ("住宿和餐饮业", 14, ("餐饮管理", "酒店管理", "饭店", "快餐")),
    ("交通运输、仓储和邮政业", 6, ("物流", "运输", "仓储服务")),
    ("信息传输、软件和信息技术服务业", 6, ("网络科技", "信息技术", "软件")),
    ("租赁和商务服务业", 8, ("企业管理咨询", "人力资源服务", "广告")),
    ("居民服务、修理和其他服务业", 9, ("家政服务", "汽车维修", "美容美发")),
    ("房地产业", 4, ("物业管理", "房地产经纪")),
    ("科学研究和技术服务业", 3, ("检测技术", "工程设计")),
    ("教育", 2, ("培训学校",)),
    ("卫生和社会工作", 2, ("养老服务", "诊所")),
)
STATUSES = (("正常经营", 86), ("停产", 3), ("歇业", 3), ("注销", 5), ("迁出", 3))
BRAND_CHARS = "恒达宏远鑫盛华泰瑞丰嘉诚信海通汇金源博创锦润和兴安德永佳新益康明天辰星宇峰隆昌聚祥福凯龙"
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋"
    "蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方")
GIVEN_CHARS = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀英华慧建国红玉兰桂平刚辉鹏霞婷雪梅琳晨浩宇佳欣子涵俊凯志文斌亮"
LOCAL_REGIONS = ("120101", "120102", "120103", "120104", "120105", "120106", "120110", "120111", "120113")
MIGRANT_REGIONS = ("130102", "130603", "370102", "371302", "410105", "411502", "340104", "341202", "510107", "220102")
INDUSTRY_CODES = {  # the two-digit codes of the union registration form
    "制造业": "03",
    "建筑业": "05",
    "批发和零售业": "08",
    "住宿和餐饮业": "09",
    "交通运输、仓储和邮政业": "06",
    "信息传输、软件和信息技术服务业": "07",
    "房地产业": "11",
    "租赁和商务服务业": "12",
    "科学研究和技术服务业": "13",
    "居民服务、修理和其他服务业": "15",
    "教育": "16",
    "卫生和社会工作": "17",
}
INDUSTRY_LETTERS = {canon: syn[0] for canon, syn in spec.VOCABULARIES["industry"].items()}
CATERING_AGREEMENT = "示例街道餐饮行业工资集体协议"
BUILDING_AGREEMENT = "示例街道建筑行业工资集体协议"


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------


def _weighted(rng: random.Random, pairs) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _add_years(d: dt.date, years: int) -> dt.date:
    return d.replace(year=d.year + years)  # no 29 Feb anchors are drawn


def _expiry(signed: dt.date, term_years: int) -> dt.date:
    return _add_years(signed, term_years) - dt.timedelta(days=1)


def _rand_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _month_date(rng: random.Random, year: int, month: int) -> dt.date:
    return dt.date(year, month, rng.randint(1, 28))


def _person_name(rng: random.Random) -> str:
    surname = rng.choice(COMPOUND_SURNAMES) if rng.random() < 0.02 else rng.choice(SURNAMES)
    given = "".join(rng.choice(GIVEN_CHARS) for _ in range(1 if rng.random() < 0.35 else 2))
    return surname + given


def _phone(rng: random.Random) -> str:
    if rng.random() < 0.15:
        return f"022-{rng.randint(2, 8)}{rng.randint(0, 9_999_999):07d}"
    return f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(0, 99_999_999):08d}"


def _unique(make, used: set[str]) -> str:
    """Draw until the value is new: codes and ID numbers must not collide within the street."""
    while True:
        value = make()
        if value not in used:
            used.add(value)
            return value


def _uscc(rng: random.Random, small: bool) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    head = ("92" if small and rng.random() < 0.4 else "91") + rng.choice(LOCAL_REGIONS)
    if rng.random() < 0.6:
        org = "MA0" + "".join(rng.choice(alphabet) for _ in range(6))
    else:
        org = "".join(rng.choice("0123456789") for _ in range(8)) + rng.choice("0123456789X")
    body = head + org
    return body + uscc_std.calc_check_digit(body)


def _id_number(rng: random.Random, migrant: bool, born_from: int = 1966, born_to: int = 2003) -> str:
    while True:
        region = rng.choice(MIGRANT_REGIONS if migrant else LOCAL_REGIONS)
        born = _rand_date(rng, dt.date(born_from, 1, 1), dt.date(born_to, 12, 28))
        body = f"{region}{born:%Y%m%d}{rng.randint(1, 999):03d}"
        number = body + ric.calc_check_digit(body + "0")  # stdnum expects a check-digit slot
        # Some district codes were created after the birth year: such a number is not valid.
        if ric.is_valid(number):
            return number


# ---------------------------------------------------------------------------------------------
# The truth
# ---------------------------------------------------------------------------------------------


class _Names:
    """Unique fictional enterprise names across the street."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def enterprise(self, industry: str, small: bool) -> str:
        words = next(i[2] for i in INDUSTRIES if i[0] == industry)
        while True:
            brand = "".join(self.rng.sample(BRAND_CHARS, 2))
            word = self.rng.choice(words)
            if small and self.rng.random() < 0.25:
                form = self.rng.choice(("店", "经营部", "工作室"))
                name = f"示例街道{brand}{word}{form}" if self.rng.random() < 0.2 else f"{brand}{word}{form}"
            else:
                form = "股份有限公司" if not small and self.rng.random() < 0.1 else "有限公司"
                prefix = "天津" if self.rng.random() < 0.3 else ""
                name = f"{prefix}{brand}{word}{form}"
            if name not in self.used:
                self.used.add(name)
                return name


def _employees(rng: random.Random) -> int:
    r = rng.random()
    if r < 0.62:
        return rng.randint(3, 24)
    if r < 0.96:
        return int(25 * math.exp(rng.random() * math.log(12)))
    return rng.randint(300, 1500)


def _migrants(rng: random.Random, industry: str, employees: int) -> int | None:
    if rng.random() < 0.08:
        return None
    share = (0.3, 0.75) if industry in ("制造业", "建筑业", "住宿和餐饮业", "交通运输、仓储和邮政业") else (0.0, 0.25)
    return int(employees * rng.uniform(*share))


def _founded(rng: random.Random, year: int, until: dt.date | None = None) -> dt.date:
    end = until or dt.date(year, 12, 28)
    d = _rand_date(rng, dt.date(year, 1, 5), end)
    # Many ledgers only know the month a union was founded: those are written as 2019年5月.
    return d.replace(day=1) if rng.random() < 0.2 else d


def _enterprises(rng: random.Random, names: _Names) -> list[dict]:
    out: list[dict] = []
    codes: set[str] = set()
    for plan in COMMUNITIES:
        rows = []
        for i in range(plan.size):
            industry = _weighted(rng, [(x[0], x[1]) for x in INDUSTRIES])
            employees = _employees(rng)
            if i == 0:
                employees = 25  # the U1 edge: exactly 25 staff counts
            elif i == 1:
                employees = 24
            status = "正常经营" if i < 2 else _weighted(rng, STATUSES)
            if employees < 10 and rng.random() < 0.06:
                uscc = None  # a small shop whose code nobody wrote down
            else:
                uscc = _unique(lambda e=employees: _uscc(rng, e < 25), codes)
            rows.append(
                {
                    "community": plan.name,
                    "name": names.enterprise(industry, employees < 25),
                    "uscc": uscc,
                    "industry": industry,
                    "status": status,
                    "employees": employees,
                    "migrant_workers": _migrants(rng, industry, employees),
                    "union_status": "未建会",
                    "union_founded": None,
                    "union_members": None,
                    "union_chair": None,
                    "phone": _phone(rng) if rng.random() < 0.95 else None,
                    "expect_rejected": False,
                    "expect_problem": None,
                }
            )
        _assign_unions(rng, plan, rows)
        out.extend(rows)
    _spoil_enterprises(rng, out)
    return out


def _assign_unions(rng: random.Random, plan: CommunityPlan, rows: list[dict]) -> None:
    normal = [r for r in rows if r["status"] == "正常经营"]
    big = [r for r in normal if r["employees"] >= 25]
    small = [r for r in normal if r["employees"] < 25]
    own = set(map(id, rng.sample(big, round(plan.u1 * len(big)))))
    for r in big:
        r["union_status"] = "独立建会" if id(r) in own else rng.choice(("联合建会", "未建会"))
    covered = sum(r["union_status"] != "未建会" for r in big)
    need = max(0, round(plan.u2 * len(normal)) - covered)
    for r in rng.sample(small, min(need, len(small))):
        r["union_status"] = "独立建会" if rng.random() < 0.3 else "联合建会"
    for r in rows:
        if r["status"] != "正常经营":
            r["union_status"] = _weighted(rng, (("独立建会", 50), ("联合建会", 15), ("未建会", 35)))

    unionised_normal = [r for r in normal if r["union_status"] != "未建会" and r["employees"] != 24]
    rng.shuffle(unionised_normal)
    new26 = unionised_normal[: plan.new_unions]
    new25 = unionised_normal[plan.new_unions : plan.new_unions + rng.randint(2, 5)]
    new24 = unionised_normal[plan.new_unions + len(new25) : plan.new_unions + len(new25) + rng.randint(1, 4)]
    dated = {id(r) for r in new26 + new25 + new24}
    for r in new26:
        r["union_founded"] = _founded(rng, 2026, dt.date(2026, 11, 10))
    for r in new25:
        r["union_founded"] = _founded(rng, 2025)
    for r in new24:
        r["union_founded"] = _founded(rng, 2024)
    for r in rows:
        if r["union_status"] == "未建会":
            continue
        if id(r) not in dated:
            # A joint union's member firm sometimes does not know when it joined: left blank.
            if r["union_status"] == "联合建会" and rng.random() < 0.04:
                r["union_founded"] = None
            else:
                r["union_founded"] = _founded(rng, rng.randint(2004, 2023))
        share = rng.uniform(0.75, 1.0) if r["union_status"] == "独立建会" else rng.uniform(0.5, 1.0)
        r["union_members"] = max(1, int(r["employees"] * share))
        if r["union_status"] == "独立建会" or rng.random() < 0.5:
            r["union_chair"] = _person_name(rng)


def _spoil_enterprises(rng: random.Random, rows: list[dict]) -> None:
    """A handful of bad rows to exercise validation; none of them appears in another ledger."""
    small = [
        r for r in rows if r["employees"] < 25 and r["employees"] != 24 and r["uscc"] and r["status"] == "正常经营"
    ]
    picks = rng.sample(small, 8)
    for r in picks[:2]:  # a wrong check character: a warning, the row is kept
        body = r["uscc"][:17]
        right = r["uscc"][17]
        r["uscc"] = body + next(c for c in "0123456789ABCDEF" if c != right)
        r["expect_problem"] = BAD_USCC_CHECK
    picks[2]["uscc"] = picks[2]["uscc"][:17]  # a character lost
    picks[3]["uscc"] = picks[3]["uscc"] + "1"  # a character too many
    for r in picks[2:4]:
        r["expect_problem"] = BAD_USCC_LENGTH
        r["expect_rejected"] = True
    for r in picks[4:6]:  # 职工人数 as words: an error, the row is rejected
        r["employees"] = None
        r["migrant_workers"] = None
        r["union_members"] = None
        r["expect_problem"] = BAD_EMPLOYEES
        r["expect_rejected"] = True
    for r in picks[6:8]:
        r["migrant_workers"] = r["employees"] + rng.randint(2, 9)
        r["expect_problem"] = MIGRANTS_OVER
    for r in picks:
        r["_bad"] = True


def _agreement_anchor(rng: random.Random) -> tuple[int, int]:
    month = rng.choices(range(1, 13), weights=(5, 4, 14, 16, 14, 12, 6, 5, 5, 5, 6, 8))[0]
    return month, rng.randint(1, 28)


def _agreements(rng: random.Random, ents: list[dict]) -> list[dict]:
    out: list[dict] = []
    regional_anchor = {p.name: (rng.choice((4, 5, 6)), rng.randint(1, 28)) for p in COMMUNITIES if p.regional}
    pct_by_agreement: dict[tuple[str, int], float] = {}

    def pct(agreement: str | None, year: int) -> float:
        if agreement is None:
            return round(rng.uniform(3.0, 8.0), 1)
        return pct_by_agreement.setdefault((agreement, year), round(rng.uniform(3.0, 8.0), 1))

    by_community: dict[str, list[dict]] = {}
    for e in ents:
        by_community.setdefault(e["community"], []).append(e)
    for plan in COMMUNITIES:
        rows = by_community[plan.name]
        eligible = [
            e for e in rows if e["status"] == "正常经营" and e["union_status"] != "未建会" and not e.get("_bad")
        ]
        rng.shuffle(eligible)
        n_in = round(plan.w1 * len(eligible))
        fates = {
            id(e): "in_force" if i < n_in else rng.choice(("expired", "expired", "none"))
            for i, e in enumerate(eligible)
        }
        new_in_2026 = {id(e) for e in eligible[: plan.new_agreements]}
        for e in rows:
            if e.get("_bad"):
                continue
            if id(e) in fates:
                fate = fates[id(e)]
            elif e["status"] != "正常经营" and e["union_status"] != "未建会" and rng.random() < 0.3:
                fate = "expired"  # closed firms keep their old agreements in the ledger
            else:
                continue
            if fate == "none":
                continue
            kind, name, anchor = "单独签订", None, _agreement_anchor(rng)
            if e["employees"] < 25 and e["status"] == "正常经营":
                if e["industry"] == "住宿和餐饮业":
                    kind, name, anchor = "行业性", CATERING_AGREEMENT, (3, 18)
                elif e["industry"] == "建筑业":
                    kind, name, anchor = "行业性", BUILDING_AGREEMENT, (4, 10)
                elif plan.regional and rng.random() < 0.85:
                    kind, name, anchor = "区域性", f"{plan.name}区域性工资集体协议", regional_anchor[plan.name]
            new = id(e) in new_in_2026
            if new and kind == "单独签订" and anchor > (11, 20):
                anchor = (rng.randint(3, 9), anchor[1])
            years, term = _signing_years(rng, fate, anchor, kind, new)
            if kind == "单独签订" and rng.random() < 0.15:
                name = f"{e['name']}工资专项集体合同"
            for y in years:
                signed = dt.date(y, *anchor)
                expires = _expiry(signed, term)
                out.append(
                    {
                        "community": e["community"],
                        "name": e["name"],
                        "uscc": e["uscc"],
                        "agreement_type": kind,
                        "agreement_name": name,
                        "sign_kind": "新签" if y == years.first else "续签",
                        "signed_on": signed,
                        "expires_on": expires,
                        "covered_employees": e["employees"],
                        "wage_increase_pct": pct(name if kind != "单独签订" else None, y),
                        "filed": None if rng.random() < 0.03 else rng.random() < 0.92,
                    }
                )
    return out


class _Years(list):
    """Signing years in the ledger window; `first` is the year of the first agreement ever."""

    first: int


def _signing_years(rng: random.Random, fate: str, anchor: tuple[int, int], kind: str, new: bool):
    """Which years an enterprise signs (from 2024 on) so that its fate at TODAY holds."""
    md_passed = anchor <= (TODAY.month, TODAY.day)
    term = 2 if kind == "单独签订" and not new and rng.random() < 0.2 else 1
    if fate == "in_force":
        if term == 1:
            last = 2026 if md_passed else 2025
        else:
            last = rng.choice((2025, 2026)) if md_passed else rng.choice((2024, 2025))
        if new:
            last = 2026
    else:
        term = 1
        last = 2025 if md_passed and rng.random() < 0.7 else 2024
    years = sorted(y for y in range(last, 2023, -term))
    out = _Years(years)
    if new:
        out.first = 2026
    else:
        candidates = [y for y in years if y < 2026]
        out.first = rng.choice([*candidates, 2000, 2000]) if candidates else 2000  # 2000: before the window
    out[:] = [y for y in years if y >= out.first]
    return out, term


def _harmonious(rng: random.Random, ents: list[dict]) -> list[dict]:
    out: list[dict] = []
    a_plus = ("A", "AA", "AAA")

    def row(e: dict, year: int, grade: str) -> dict:
        if grade == "申报中":
            score, assessed = None, None
        else:
            lo, hi = {"AAA": (90, 99), "AA": (80, 89.9), "A": (70, 79.9), "未达标": (52, 69.9)}[grade]
            score = round(rng.uniform(lo, hi), 1)
            if year < 2026:
                assessed = _rand_date(rng, dt.date(year, 10, 10), dt.date(year, 12, 20))
            else:
                assessed = _rand_date(rng, dt.date(2026, 6, 1), dt.date(2026, 11, 15))
            if rng.random() < 0.15:
                assessed = assessed.replace(day=1)
        return {
            "community": e["community"],
            "name": e["name"],
            "uscc": e["uscc"],
            "year": year,
            "grade": grade,
            "score": score,
            "assessed_on": assessed,
        }

    def step(grade: str) -> str:
        i = a_plus.index(grade)
        r = rng.random()
        if r < 0.2 and i < 2:
            return a_plus[i + 1]
        if r < 0.3 and i > 0:
            return a_plus[i - 1]
        return grade

    by_community: dict[str, list[dict]] = {}
    for e in ents:
        by_community.setdefault(e["community"], []).append(e)
    for plan in COMMUNITIES:
        rows = by_community[plan.name]
        own = [e for e in rows if e["status"] == "正常经营" and e["union_status"] == "独立建会"]
        eligible = [e for e in own if not e.get("_bad")]
        # Bigger firms take part more often.
        eligible.sort(key=lambda e: -(e["employees"] or 0) * rng.uniform(0.3, 1.0))
        n_a = round(plan.h1 * len(own))
        top, rest = eligible[:n_a], eligible[n_a:]
        rng.shuffle(top)
        for i, e in enumerate(top):
            if i < plan.new_harmonious:
                if rng.random() < 0.4:
                    out.append(row(e, 2025, "未达标"))
                out.append(row(e, 2026, "A" if rng.random() < 0.7 else "AA"))
                continue
            first = rng.choice((2024, 2024, 2025))
            if first == 2025 and rng.random() < 0.4:
                out.append(row(e, 2024, "未达标"))
            grade = _weighted(rng, (("A", 50), ("AA", 35), ("AAA", 15)))
            years = list(range(first, 2027))
            if len(years) > 1 and rng.random() < 0.3:
                years.pop()  # not yet assessed this year: the latest grade is last year's
            for y in years:
                out.append(row(e, y, grade))
                grade = step(grade)
        rng.shuffle(rest)
        for e in rest:
            r = rng.random()
            if r < 0.12:  # downgraded
                g = rng.choice(("A", "AA"))
                out.append(row(e, 2024, g))
                if rng.random() < 0.5:
                    out.append(row(e, 2025, g))
                    out.append(row(e, 2026, "未达标"))
                else:
                    out.append(row(e, 2025, "未达标"))
                    if rng.random() < 0.5:
                        out.append(row(e, 2026, "未达标"))
            elif r < 0.20:
                for y in sorted(rng.sample(YEARS, rng.randint(1, 2))):
                    out.append(row(e, y, "未达标"))
            elif r < 0.27:  # applied this year, not assessed yet
                if rng.random() < 0.4:
                    out.append(row(e, 2025, "未达标"))
                out.append(row(e, 2026, "申报中"))
    # Closed firms keep old grades.
    for e in ents:
        if e["status"] in ("注销", "迁出") and e["union_status"] == "独立建会" and rng.random() < 0.15:
            out.append(row(e, 2024, rng.choice(("A", "未达标"))))
    return out


# Aid campaigns: (campaign, festival, {month: weight}, rows per full year, categories, funding).
AID_PLANS = (
    ("冬送温暖", None, {1: 35, 2: 15, 12: 50}, 320, ("困难职工", "下岗失业人员", "劳模", "农民工"), "winter"),
    ("节日慰问", "春节", {1: 60, 2: 40}, 130, ("困难职工", "劳模", "外来务工人员"), "festival"),
    ("节日慰问", "元旦", {12: 70, 1: 30}, 40, ("困难职工", "劳模"), "festival"),
    ("春送岗位", None, {2: 30, 3: 45, 4: 25}, 110, ("下岗失业人员", "外来务工人员", "农民工"), "jobs"),
    ("夏送凉爽", None, {7: 55, 8: 45}, 220, ("农民工", "外来务工人员", "困难职工"), "summer"),
    ("金秋助学", None, {8: 50, 9: 50}, 70, ("困难职工", "下岗失业人员", "农民工"), "school"),
    ("节日慰问", "端午", {6: 100}, 20, ("困难职工", "其他"), "festival"),
    ("节日慰问", "中秋", {9: 80, 10: 20}, 80, ("困难职工", "外来务工人员", "农民工", "其他"), "festival"),
    ("节日慰问", "国庆", {9: 30, 10: 70}, 40, ("困难职工", "劳模"), "festival"),
    ("日常帮扶", None, dict.fromkeys(range(1, 13), 1), 40, ("困难职工", "下岗失业人员", "其他"), "daily"),
)
FUNDING = {
    "winter": (("上级工会", 50), ("街道工会", 30), ("社会捐助", 20)),
    "festival": (("街道工会", 55), ("上级工会", 30), ("企业", 15)),
    "jobs": (("街道工会", 70), ("上级工会", 30)),
    "summer": (("街道工会", 50), ("企业", 30), ("上级工会", 20)),
    "school": (("上级工会", 60), ("社会捐助", 40)),
    "daily": (("街道工会", 60), ("上级工会", 40)),
}


def _aid_values(rng: random.Random, kind: str, festival: str | None) -> dict:
    cash, goods_value, goods, jobs = 0.0, 0.0, None, None
    if kind == "winter":
        cash = float(rng.randrange(500, 2001, 100))
        goods_value, goods = float(rng.randrange(100, 301, 20)), rng.choice(("大米、食用油", "棉被", "米面油"))
    elif kind == "festival":
        cash = float(rng.randrange(200, 1001, 100)) if festival in ("春节", "元旦", "国庆") else 0.0
        goods, goods_value = {
            "春节": ("米面油", 200.0),
            "元旦": ("食用油", 120.0),
            "端午": ("粽子", 80.0),
            "中秋": ("月饼、水果", 150.0),
            "国庆": ("食用油", 100.0),
        }[festival]
    elif kind == "jobs":
        jobs = rng.randint(1, 5)
    elif kind == "summer":
        goods = rng.choice(("绿豆、白糖、防暑药品", "毛巾、藿香正气水", "清凉饮料"))
        goods_value = float(rng.randrange(50, 151, 10))
    elif kind == "school":
        cash = float(rng.choice((1000, 2000, 3000, 5000)))
    else:
        cash = float(rng.randrange(500, 3001, 100))
    return {"cash": cash, "goods_value": goods_value, "goods": goods, "jobs_offered": jobs}


def _aid(rng: random.Random, ents: list[dict]) -> list[dict]:
    # A pool of people per community; migrants' ID numbers come from other provinces.
    people: list[dict] = []
    ids: set[str] = set()
    employers: dict[str, list[str]] = {}
    for e in ents:
        if e["status"] == "正常经营" and not e.get("_bad"):
            employers.setdefault(e["community"], []).append(e["name"])
    categories = (
        ("困难职工", 35),
        ("农民工", 22),
        ("外来务工人员", 20),
        ("下岗失业人员", 12),
        ("劳模", 5),
        ("其他", 6),
    )
    for plan in COMMUNITIES:
        for _ in range(int(plan.size * 1.1)):
            category = _weighted(rng, categories)
            migrant = category in ("农民工", "外来务工人员")
            people.append(
                {
                    "community": plan.name,
                    "recipient": _person_name(rng),
                    "id_number": _unique(lambda m=migrant: _id_number(rng, m), ids),
                    "employer": None
                    if category == "下岗失业人员" or rng.random() < 0.05
                    else rng.choice(employers[plan.name]),
                    "category": category,
                }
            )
    by_category: dict[str, list[dict]] = {}
    for p in people:
        by_category.setdefault(p["category"], []).append(p)
    out: list[dict] = []
    keys: set[tuple] = set()
    for year in YEARS:
        for campaign, festival, months, count, cats, kind in AID_PLANS:
            pool = [p for c in cats for p in by_category[c]]
            chosen = rng.sample(pool, min(count, len(pool)))
            # A few people are aided twice in one campaign (a cross-check warning, not an error).
            chosen += rng.sample(chosen, 2 if kind in ("winter", "summer") else 0)
            for p in chosen:
                month = rng.choices(list(months), weights=list(months.values()))[0]
                given = _month_date(rng, year, month)
                if festival == "元旦" and month == 12:
                    given = dt.date(year, 12, rng.randint(20, 31))
                if given > TODAY or (p["id_number"], campaign, given) in keys:
                    continue
                keys.add((p["id_number"], campaign, given))
                out.append(
                    {
                        **p,
                        "campaign": campaign,
                        "festival": festival,
                        "given_on": given,
                        **_aid_values(rng, kind, festival),
                        "funding": _weighted(rng, FUNDING[kind]),
                    }
                )
    out.sort(key=lambda r: (r["given_on"], r["community"], r["id_number"]))
    return out


DISPUTE_TYPES = (
    ("劳动报酬", 34),
    ("解除/终止劳动合同", 20),
    ("社会保险", 14),
    ("工伤待遇", 8),
    ("经济补偿", 12),
    ("加班", 8),
    ("其他", 4),
)


def _dispute_month_counts(rng: random.Random) -> dict[tuple[int, int], int]:
    counts = {}
    for y in YEARS:
        for m in range(1, 13):
            if dt.date(y, m, 1) > TODAY:
                break
            n = rng.randint(13, 19)
            if m == 1:
                n += 8  # wage arrears before the Spring Festival every year
            if m == 12:
                n += 3
            if (y, m) == (2026, 1):
                n = 64  # the spike: a wave of wage arrears in construction and catering
            if (y, m) == (2026, 11):
                n = 10  # only 20 days so far
            counts[(y, m)] = n
    return counts


def _disputes(rng: random.Random, ents: list[dict]) -> list[dict]:
    weights = {p.name: p.size for p in COMMUNITIES}
    employers: dict[str, list[dict]] = {}
    for e in ents:
        if not e.get("_bad") and e["status"] != "迁出":
            employers.setdefault(e["community"], []).append(e)
    out: list[dict] = []
    seq: dict[int, int] = {}
    for (y, m), n in _dispute_month_counts(rng).items():
        for _ in range(n):
            received = _month_date(rng, y, m)
            if received > TODAY:
                received = _rand_date(rng, dt.date(y, m, 1), TODAY)
            spike = (y, m) == (2026, 1)
            community = rng.choices(list(weights), weights=list(weights.values()))[0]
            if rng.random() < 0.05:
                name, uscc = f"{rng.choice(BRAND_CHARS)}{rng.choice(BRAND_CHARS)}小吃店", None  # not in the registry
            else:
                pool = employers[community]
                e = rng.choices(pool, weights=[math.sqrt(x["employees"]) for x in pool])[0]
                name, uscc = e["name"], e["uscc"]
            dtype = "劳动报酬" if spike and rng.random() < 0.7 else _weighted(rng, DISPUTE_TYPES)
            r = rng.random()
            collective_share = 0.18 if spike else 0.05
            if r < collective_share:
                workers = rng.randint(10, 45)
            elif r < 0.25:
                workers = rng.randint(2, 9)
            else:
                workers = 1
            amount = None if rng.random() < 0.05 else float(workers * rng.randrange(2000, 20001, 100))
            if workers >= 10:
                level = "街道" if rng.random() < 0.8 else "社区"
            else:
                level = _weighted(rng, (("企业", 40), ("社区", 35), ("街道", 25)))
            days = rng.randint(*{"企业": (2, 20), "社区": (4, 30), "街道": (7, 60)}[level])
            closed = received + dt.timedelta(days=days)
            if closed > TODAY or rng.random() < 0.02:
                outcome, closed = "调解中", None  # open: recent ones and a few long-pending
            else:
                outcome = _weighted(rng, (("调解成功", 76), ("调解不成", 14), ("撤回", 10)))
            seq[y] = seq.get(y, 0) + 1
            out.append(
                {
                    "case_no": f"示街调〔{y}〕{seq[y]:03d}号",
                    "community": community,
                    "name": name,
                    "uscc": uscc,
                    "received_on": received,
                    "dispute_type": dtype,
                    "workers": workers,
                    "amount": amount,
                    "level": level,
                    "outcome": outcome,
                    "closed_on": closed,
                }
            )
    # Case numbers follow the receiving order within a year.
    out.sort(key=lambda r: (r["received_on"], r["case_no"]))
    counters: dict[int, int] = {}
    for r in out:
        y = r["received_on"].year
        counters[y] = counters.get(y, 0) + 1
        r["case_no"] = f"示街调〔{y}〕{counters[y]:03d}号"
    return out


_DTYPES = {
    spec.INT: "Int64",
    spec.YEAR: "Int64",
    spec.AMOUNT: "Float64",
    spec.NUMBER: "Float64",
    spec.PERCENT: "Float64",
    spec.BOOL: "boolean",
}


def _frame(ledger: str, rows: list[dict]) -> pd.DataFrame:
    lg = spec.LEDGERS[ledger]
    extra = ["festival"] if ledger == "aid" else []
    cols = lg.columns + extra
    df = pd.DataFrame([{c: r.get(c) for c in cols} for r in rows], columns=cols)
    for f in lg.fields:
        if f.kind == spec.DATE:
            df[f.name] = pd.to_datetime(df[f.name])
        elif f.kind in _DTYPES:
            df[f.name] = df[f.name].astype(_DTYPES[f.kind])
        else:
            df[f.name] = df[f.name].astype("string")
    if extra:
        df["festival"] = df["festival"].astype("string")
    df["expect_rejected"] = pd.array([bool(r.get("expect_rejected")) for r in rows], dtype="boolean")
    df["expect_problem"] = pd.array([r.get("expect_problem") for r in rows], dtype="string")
    return df


def build_truth(seed: int = SEED) -> dict[str, pd.DataFrame]:
    """The clean sample street: one DataFrame per ledger, spec field names and canonical values.

    Every frame has a `community` column, `expect_rejected` (the importer must reject the row) and
    `expect_problem` (the deliberate flaw in the messy file, or missing); aid also has `festival`.
    """
    rng = random.Random(seed)
    ents = _enterprises(rng, _Names(rng))
    raw = {
        "enterprises": ents,
        "wage_agreements": _agreements(rng, ents),
        "harmonious": _harmonious(rng, ents),
        "aid": _aid(rng, ents),
        "disputes": _disputes(rng, ents),
    }
    return {k: _frame(k, v) for k, v in raw.items()}


# ---------------------------------------------------------------------------------------------
# The messy rendering
# ---------------------------------------------------------------------------------------------

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
DATE_STYLES = ("iso", "slash", "dot", "cn", "serial", "date_cell", "cn_fmt")
# Excel's built-in Chinese date formats (zh-CN): 27 yyyy年m月, 28 m月d日, 30 m-d-yy, 31 yyyy年m月d日,
# 36 yyyy年m月. The stored value is the full date whatever the display.
CN_FORMAT_IDS = (27, 28, 30, 31, 36)


@dataclass
class _Date:
    """A real date cell: the serial number with a number format (a format string or a built-in id)."""

    value: dt.date
    num_format: str | int


class _Messer:
    """Turns canonical values into what a cadre types; one per file, with that file's habits."""

    def __init__(self, rng: random.Random, date_style: str, yesno: tuple[str, str] = ("是", "否")):
        self.rng = rng
        self.date_style = date_style
        self.yesno = yesno

    def text(self, s: str | None):
        if s is None:
            return None
        r = self.rng.random()
        if r < 0.04:
            return s + " "
        if r < 0.06:
            return "\u3000" + s
        return s

    def int_(self, n: int | None):
        if n is None:
            return None
        r = self.rng.random()
        if r < 0.08:
            return f"{n}人"
        if r < 0.12:
            return str(n).translate(FULL_WIDTH)
        if r < 0.18:
            return str(n)
        return n

    def amount(self, x: float | None):
        if x is None:
            return None
        r = self.rng.random()
        if r < 0.12:
            return f"{x:,.0f}元"
        if r < 0.18:
            return f"{x:,.0f}"
        if r < 0.21:
            return f"{x:.0f}".translate(FULL_WIDTH)
        return x

    def pct(self, p: float, fraction_ok: bool):
        r = self.rng.random()
        if r < 0.35:
            return f"{p:g}%"
        if fraction_ok and r < 0.55:
            return round(p / 100, 4)  # the % header makes a value below 1 a fraction
        return p

    def date(self, d: dt.date | None, month_only_ok: bool = False):
        if d is None:
            return None
        style = self.date_style if self.rng.random() < 0.75 else self.rng.choice(DATE_STYLES)
        if month_only_ok and d.day == 1 and self.rng.random() < 0.7:
            return f"{d.year}年{d.month}月"
        if style == "iso":
            return d.isoformat()
        if style == "slash":
            return f"{d.year}/{d.month}/{d.day}"
        if style == "dot":
            return f"{d.year}.{d.month}.{d.day}"
        if style == "cn":
            return f"{d.year}年{d.month}月{d.day}日"
        if style == "serial":
            return (d - EXCEL_EPOCH).days  # a plain number in a General cell
        if style == "date_cell":
            return _Date(d, self.rng.choice(("yyyy-mm-dd", "yyyy/m/d")))
        return _Date(d, self.rng.choice(CN_FORMAT_IDS))

    def bool_(self, b: bool | None):
        if b is None:
            return None
        return self.yesno[0] if b else self.yesno[1]

    def vocab(self, vocab: str, canon: str | None, synonym_share: float = 0.25):
        if canon is None:
            return None
        synonyms = spec.VOCABULARIES[vocab][canon]
        if synonyms and self.rng.random() < synonym_share:
            return self.rng.choice(synonyms)
        return canon

    def community(self, name: str):
        if name == "和平里社区" and self.rng.random() < 0.6:
            return "和平里"
        return self.text(name)


@dataclass
class _Column:
    field: str | None  # None for 序号
    header: str
    group: str | None = None  # the upper header of a two-row header


class _SheetWriter:
    """Writes one ledger sheet: title, unit line, header (one or two rows), data, 合计, footer."""

    def __init__(self, wb: xlsxwriter.Workbook, ws, columns: list[_Column]):
        self.wb, self.ws, self.columns = wb, ws, columns
        self.row = 0
        self.formats: dict = {}
        self.bold = wb.add_format({"bold": True, "align": "center", "valign": "vcenter", "border": 1})
        self.title_fmt = wb.add_format({"bold": True, "font_size": 16, "align": "center"})

    def fmt(self, num_format):
        if num_format not in self.formats:
            self.formats[num_format] = self.wb.add_format({"num_format": num_format})
        return self.formats[num_format]

    def line(self, text: str, merged: bool = True, title: bool = False):
        last = len(self.columns) - 1
        fmt = self.title_fmt if title else None
        if merged and last > 0:
            self.ws.merge_range(self.row, 0, self.row, last, text, fmt)
        else:
            self.ws.write_string(self.row, 0, text, fmt)
        self.row += 1

    def blank(self, n: int = 1):
        self.row += n

    def header(self, two_row: bool):
        cols = self.columns
        if two_row:
            c = 0
            while c < len(cols):
                group = cols[c].group
                end = c
                while end + 1 < len(cols) and group and cols[end + 1].group == group:
                    end += 1
                if group is None:  # a lone column spans both header rows
                    self.ws.merge_range(self.row, c, self.row + 1, c, cols[c].header, self.bold)
                else:
                    if end > c:
                        self.ws.merge_range(self.row, c, self.row, end, group, self.bold)
                    else:
                        self.ws.write_string(self.row, c, group, self.bold)
                    for k in range(c, end + 1):
                        self.ws.write_string(self.row + 1, k, cols[k].header, self.bold)
                c = end + 1
            self.row += 2
        else:
            for c, col in enumerate(cols):
                self.ws.write_string(self.row, c, col.header, self.bold)
            self.row += 1

    def cells(self, values: list):
        for c, v in enumerate(values):
            self.cell(self.row, c, v)
        self.row += 1

    def cell(self, r: int, c: int, v):
        if v is None:
            return
        if isinstance(v, _Date):
            serial = (v.value - EXCEL_EPOCH).days
            self.ws.write_number(r, c, serial, self.fmt(v.num_format))
        elif isinstance(v, str):
            self.ws.write_string(r, c, v)
        elif isinstance(v, bool):
            raise TypeError("booleans are written as yes/no words")
        else:
            self.ws.write_number(r, c, v)


def _pick_header(rng: random.Random, ledger: str, field: str, unit_ok: bool = True) -> str:
    f = spec.LEDGERS[ledger].field(field)
    header = rng.choice(f.aliases)
    if unit_ok and f.kind == spec.INT and "人" not in header and rng.random() < 0.4:
        header += "（人）"
    if unit_ok and f.kind == spec.AMOUNT and "元" not in header and rng.random() < 0.6:
        header += "（元）"
    return header


def _new_workbook(path: Path) -> xlsxwriter.Workbook:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    wb.set_properties({"created": CREATED, "author": "示例街道总工会", "title": path.stem})
    return wb


def _footer(sw: _SheetWriter, rng: random.Random, date_text: str):
    sw.blank(rng.randint(0, 1))
    sw.line(f"填报人：{_person_name(rng)}    审核人：    填报日期：{date_text}", merged=False)


def _write_enterprises(out_dir: Path, rng: random.Random, plan: CommunityPlan, rows: list[dict]) -> Path:
    layout = LAYOUTS[plan.name]
    path = out_dir / f"企业建会台账_{plan.name}.xlsx"
    wb = _new_workbook(path)
    ws = wb.add_worksheet(layout["sheet"])
    base, union = "企业基本情况", "工会组建情况"
    fields = [
        ("name", base),
        ("uscc", base),
        ("industry", base),
        ("status", base),
        ("employees", base),
        ("migrant_workers", base),
        ("union_status", union),
        ("union_founded", union),
        ("union_members", union),
        ("union_chair", union),
        ("phone", union),
    ]
    if layout["column"]:
        fields.insert(0, ("community", base))
    columns = [_Column(None, "序号")]
    for f, group in fields:
        header = _pick_header(rng, "enterprises", f)
        if f == "union_status":
            header = {"form": "建会形式", "yes": "是否建会", "built": "建会情况", "tick": "是否建会"}[layout["yesno"]]
        columns.append(_Column(f, header, group if layout["two_row"] else None))
    sw = _SheetWriter(wb, ws, columns)
    sw.line(f"{plan.name}企业建会情况台账", title=True)
    sw.line(f"填报单位：{plan.name}工会联合会  填报日期：2026年11月", merged=rng.random() < 0.5)
    sw.header(layout["two_row"])
    m = _Messer(rng, layout["date"])
    industry_form = rng.choice(("name", "letter", "code", "mixed"))
    blanks = set(rng.sample(range(10, len(rows)), 2))
    totals = {"employees": 0, "migrant_workers": 0, "union_members": 0}
    for i, r in enumerate(rows, start=1):
        if i in blanks:
            sw.blank()
        values = [i]
        for f, _ in fields:
            v = r[f]
            if f == "community":
                cell = m.community(v)
            elif f == "industry":
                form = industry_form if industry_form != "mixed" else rng.choice(("name", "letter", "code"))
                cell = {"name": v, "letter": INDUSTRY_LETTERS[v], "code": INDUSTRY_CODES[v]}[form]
            elif f == "status":
                cell = None if v == "正常经营" and rng.random() < 0.3 else m.vocab("status", v, 0.3)
            elif f == "employees":
                bad = r.get("expect_problem") == BAD_EMPLOYEES
                cell = rng.choice(("待核实", "不详")) if bad else m.int_(v)  # not 约三十人: an estimate is kept
            elif f in ("migrant_workers", "union_members"):
                cell = m.int_(v)
            elif f == "union_status":
                cell = _union_word(rng, layout["yesno"], v, r["union_founded"] is None)
            elif f == "union_founded":
                cell = m.date(v, month_only_ok=True)
            elif f == "uscc":
                cell = v.lower() if v and rng.random() < 0.01 else v
            else:
                cell = m.text(v)
            values.append(cell)
            if f in totals and isinstance(v, int):
                totals[f] += v
        sw.cells(values)
    total_row = ["合计"] + [totals.get(f) for f, _ in fields]
    total_row[1 + [f for f, _ in fields].index("name")] = f"共{len(rows)}家"
    sw.cells(total_row)
    _footer(sw, rng, "2026年11月" + str(rng.randint(10, 19)) + "日")
    ws.set_column(0, 0, 6)
    ws.set_column(1, len(columns) - 1, 16)
    if plan.name in ("向阳社区", "滨河社区"):
        wb.add_worksheet("Sheet2")  # an empty sheet the importer skips
    wb.close()
    return path


def _union_word(rng: random.Random, habit: str, status: str, no_date: bool):
    if status == "未建会" and no_date and rng.random() < 0.3:
        return None  # blank with no founding date means 未建会
    words = {
        "form": {"独立建会": ("独立建会", "单独建会"), "联合建会": ("联合建会", "联合工会"), "未建会": ("未建会",)},
        "yes": {"独立建会": ("是",), "联合建会": ("联合",), "未建会": ("否",)},
        "built": {"独立建会": ("已建",), "联合建会": ("联合建会", "区域联合工会覆盖"), "未建会": ("未建",)},
        "tick": {"独立建会": ("√",), "联合建会": ("联合工会",), "未建会": ("×",)},
    }[habit][status]
    return rng.choice(words)


def _write_street_sheet(
    wb,
    rng: random.Random,
    ledger: str,
    sheet: str,
    rows: list[dict],
    title: str,
    date_style: str,
    groups: dict[str, str] | None = None,
    yesno: tuple[str, str] = ("是", "否"),
    total_fields: tuple[str, ...] = (),
    fixed_headers: dict[str, str] | None = None,
):
    lg = spec.LEDGERS[ledger]
    fields = [f.name for f in lg.fields]
    headers = {f: _pick_header(rng, ledger, f) for f in fields}
    headers.update(fixed_headers or {})
    columns = [_Column(None, "序号", None)] + [_Column(f, headers[f], (groups or {}).get(f)) for f in fields]
    ws = wb.add_worksheet(sheet)
    sw = _SheetWriter(wb, ws, columns)
    sw.line(title, title=True)
    sw.line(f"填报单位：{STREET}总工会    填报日期：2026年11月20日", merged=False)
    if rng.random() < 0.5:
        sw.blank()
    sw.header(groups is not None)
    m = _Messer(rng, date_style, yesno)
    pct_fraction_ok = "%" in headers.get("wage_increase_pct", "")
    blanks = set(rng.sample(range(5, max(6, len(rows))), 2)) if len(rows) > 10 else set()
    totals: dict[str, float] = dict.fromkeys(total_fields, 0)
    for i, r in enumerate(rows, start=1):
        if i in blanks:
            sw.blank()
        values: list = [i]
        for f in fields:
            kind = lg.field(f).kind
            v = r.get(f)
            if f == "community":
                cell = m.community(v)
            elif f == "campaign":
                cell = _campaign_word(rng, v, r.get("festival"))
            elif f == "expires_on" and v == _expiry(r["signed_on"], 1) and rng.random() < 0.1:
                cell = None  # blank: signed_on + 1 year - 1 day
            elif f == "outcome" and v == "调解中":
                cell = rng.choice((None, "调解中", "处理中"))
            elif f in ("cash", "goods_value") and v == 0 and rng.random() < 0.7:
                cell = None  # nothing given of that kind: left blank
            elif kind == spec.DATE:
                cell = m.date(v, month_only_ok=f == "assessed_on")
            elif kind == spec.INT:
                cell = m.int_(v)
            elif kind == spec.AMOUNT:
                cell = m.amount(v)
            elif kind == spec.PERCENT:
                cell = m.pct(v, pct_fraction_ok)
            elif kind == spec.BOOL:
                cell = m.bool_(v)
            elif kind == spec.VOCAB:
                cell = m.vocab(lg.field(f).vocab, v)
            elif kind == spec.YEAR:
                cell = v if rng.random() < 0.8 else f"{v}年"
            elif kind == spec.NUMBER:
                cell = v
            else:
                cell = m.text(v)
            values.append(cell)
            if f in totals and v is not None:
                totals[f] += v
        sw.cells(values)
    if total_fields:
        sw.cells(["合计"] + [totals.get(f) for f in fields])
    _footer(sw, rng, "2026年11月20日")
    ws.set_column(0, 0, 6)
    ws.set_column(1, len(columns) - 1, 15)


def _campaign_word(rng: random.Random, campaign: str, festival: str | None) -> str:
    if festival:
        return f"{festival}慰问"
    if campaign == "夏送凉爽" and rng.random() < 0.35:
        return "夏送清凉"
    if campaign == "冬送温暖" and rng.random() < 0.1:
        return "送温暖"
    return campaign


AID_NOTE = (
    "填表说明",
    "1. 本台账按年度分表填写，每位帮扶对象每次发放填写一行。",
    "2. 身份证号码请填写18位，末位X大写。",
    "3. 活动名称填写：春送岗位、夏送凉爽、金秋助学、冬送温暖、节日慰问（可写春节慰问、中秋慰问等）、日常帮扶。",
    "4. 慰问金与物资折款以元为单位；春送岗位请填写推荐岗位数。",
    "5. 资金来源：上级工会、街道工会、企业、社会捐助。",
)


def _records(df: pd.DataFrame) -> list[dict]:
    """Frame rows as plain Python values: None for missing, date for dates, int for counts."""
    out = []
    for rec in df.to_dict("records"):
        row = {}
        for k, v in rec.items():
            if v is None or v is pd.NA or (not isinstance(v, str) and pd.isna(v)):
                row[k] = None
            elif isinstance(v, pd.Timestamp):
                row[k] = v.date()
            elif isinstance(v, (bool, np.bool_)):
                row[k] = bool(v)
            elif isinstance(v, numbers.Integral):
                row[k] = int(v)
            elif isinstance(v, numbers.Real):
                row[k] = float(v)
            else:
                row[k] = v
        out.append(row)
    return out


def write_sample(out_dir: Path, truth: dict[str, pd.DataFrame], seed: int = SEED) -> list[Path]:
    """Render the truth as the messy workbooks communities upload; returns the files written."""
    raw = {k: _records(df) for k, df in truth.items()}
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed + 1)
    paths: list[Path] = []
    for plan in COMMUNITIES:
        rows = [r for r in raw["enterprises"] if r["community"] == plan.name]
        rng.shuffle(rows)
        paths.append(_write_enterprises(out_dir, rng, plan, rows))

    path = out_dir / "工资集体协商台账.xlsx"
    wb = _new_workbook(path)
    rows = sorted(raw["wage_agreements"], key=lambda r: (r["signed_on"], r["community"], r["name"]))
    _write_street_sheet(
        wb,
        rng,
        "wage_agreements",
        "工资集体协商",
        rows,
        f"{STREET}工资集体协商情况台账（2024—2026年）",
        "slash",
        yesno=("是", "否"),
        fixed_headers={"wage_increase_pct": "工资增长幅度（%）", "agreement_type": "协商形式"},
        total_fields=("covered_employees",),
    )
    wb.close()
    paths.append(path)

    path = out_dir / "和谐企业创建台账.xlsx"
    wb = _new_workbook(path)
    rows = sorted(raw["harmonious"], key=lambda r: (r["year"], r["community"], r["name"]))
    groups = dict.fromkeys(("community", "name", "uscc"), "企业信息") | dict.fromkeys(
        ("year", "grade", "score", "assessed_on"), "创建评定情况"
    )
    _write_street_sheet(
        wb, rng, "harmonious", "和谐企业", rows, f"{STREET}和谐劳动关系企业创建台账", "cn_fmt", groups=groups
    )
    wb.close()
    paths.append(path)

    path = out_dir / "帮扶救助台账.xlsx"
    wb = _new_workbook(path)
    note = wb.add_worksheet("说明")
    for i, text in enumerate(AID_NOTE):
        note.write_string(i, 0, text)
    note.set_column(0, 0, 90)
    for year, style in zip(YEARS, ("dot", "date_cell", "cn_fmt"), strict=True):
        rows = [r for r in raw["aid"] if r["given_on"].year == year]
        _write_street_sheet(
            wb,
            rng,
            "aid",
            f"{year}年",
            rows,
            f"{STREET}{year}年帮扶救助（送温暖）工作台账",
            style,
            total_fields=("cash", "goods_value"),
        )
    wb.close()
    paths.append(path)

    path = out_dir / "劳动争议调解台账.xlsx"
    wb = _new_workbook(path)
    _write_street_sheet(
        wb,
        rng,
        "disputes",
        "调解台账",
        raw["disputes"],
        f"{STREET}劳动争议调解工作台账",
        "iso",
        fixed_headers={"outcome": "调解结果", "level": "调解组织"},
    )
    wb.close()
    paths.append(path)
    paths.append(_write_plan_ledgers(out_dir, build_plan_truth(truth, seed)))
    return paths


# ---------------------------------------------------------------------------------------------
# The work plan's duty ledgers (sections 三, 四, 五, 七.四): one workbook, a sheet per ledger
# ---------------------------------------------------------------------------------------------

PLAN_FILE = "工作计划台账.xlsx"


def build_plan_truth(truth: dict[str, pd.DataFrame], seed: int = SEED) -> dict[str, list[dict]]:
    """Clean rows of the eight duty ledgers for 2026 (up to TODAY) and a few for 2025, from their own
    random stream (the other files do not move). The story: most communities keep pace; 红旗 and 滨河
    fall behind on 每月一题, 信息报送 and 走访 feedback; 新华 has no 职工书屋; some chairs have no report."""
    rng = random.Random(seed + 8)
    ents = truth["enterprises"]
    names = [c.name for c in COMMUNITIES]
    weak = {"红旗社区", "滨河社区"}
    out: dict[str, list[dict]] = {lg.name: [] for lg in spec.PLAN_LEDGERS}
    months_2026 = range(1, TODAY.month + 1)
    for c in names:
        people = [_person_name(rng) for _ in range(4)]
        # 四.一 每月一题 and 半年测试
        skipped = set(rng.sample(list(months_2026), 4 if c in weak else rng.choice((0, 0, 1))))
        for year, months in ((2025, range(1, 13)), (2026, months_2026)):
            for m in months:
                if year == 2026 and m in skipped:
                    continue
                for person in people[: rng.randint(2, 4)]:
                    out["study_tests"].append(
                        dict(
                            community=c,
                            person=person,
                            unit=f"{c[:-2]}社区联合工会",
                            test_kind="每月一题",
                            taken_on=_month_date(rng, year, m),
                            score=None,
                        )
                    )
        for half_end in (dt.date(2025, 12, 26), dt.date(2026, 6, 26)) + (() if c in weak else (dt.date(2026, 11, 16),)):
            for person in people:
                out["study_tests"].append(
                    dict(
                        community=c,
                        person=person,
                        unit=f"{c[:-2]}社区联合工会",
                        test_kind="半年测试",
                        taken_on=half_end,
                        score=float(rng.randint(62, 99)),
                    )
                )
        # 四.一 干部培训
        for i in range(rng.randint(2, 3) if c in weak else rng.randint(3, 5)):
            out["trainings"].append(
                dict(
                    community=c,
                    title=f"工会业务培训（第{i + 1}期）",
                    held_on=_month_date(rng, 2026, 2 + 2 * i),
                    audience=rng.choice(("社区工会主席", "企业工会主席", "工会干事")),
                    attendees=rng.randint(15, 60),
                )
            )
        # 四.二 调研报告: the chairs and vice-chairs of the community's unions with their own union
        own = ents[(ents["community"] == c) & (ents["union_status"] == "独立建会")].sort_values("name").head(4)
        unions = [f"{c[:-2]}社区联合工会", *(f"{n}工会" for n in own["name"])]
        for union in unions:
            for role in ("主席", "副主席"):
                written = rng.random() < (0.55 if c in weak else 0.85)
                out["research_reports"].append(
                    dict(
                        community=c,
                        union_name=union,
                        person=_person_name(rng),
                        role=role,
                        year=2026,
                        report_title=f"关于{union[:6]}职工队伍情况的调研" if written else None,
                        submitted_on=_rand_date(rng, dt.date(2026, 3, 1), TODAY) if written else None,
                        award=rng.choice(("一等奖", "二等奖", "三等奖", "优秀奖", "未获奖", None)) if written else None,
                    )
                )
        # 四.二 信息报送 and 四.三 走访, per quarter (the weak communities miss one)
        missed = {rng.choice((2, 3))} if c in weak else set()
        for q in (1, 2, 3, 4):
            start = dt.date(2026, 3 * q - 2, 1)
            end = min(dt.date(2026, 3 * q, 28), TODAY)
            if start > TODAY or q in missed:
                continue
            for k in range(rng.randint(1, 3)):
                out["info_submissions"].append(
                    dict(
                        community=c,
                        info_title=f"{c}{q}季度工作信息{k + 1}",
                        sent_on=_rand_date(rng, start, end),
                        adopted=rng.random() < 0.4,
                        adopted_by=None,
                    )
                )
            for e in ents[ents["community"] == c].sample(2, random_state=rng.randint(0, 10**6)).itertuples():
                visited = _rand_date(rng, start, end)
                found = rng.randint(0, 4)
                fed = visited + dt.timedelta(days=rng.randint(3, 20))
                out["visits"].append(
                    dict(
                        community=c,
                        name=e.name,
                        uscc=e.uscc,
                        visited_on=visited,
                        problems_found=found,
                        problems_solved=rng.randint(0, found),
                        fed_back_on=fed if fed <= TODAY else None,
                    )
                )
        # 四.四 经费: enterprises with their own union pay through 税务代收; small ones are held in custody
        for e in ents[(ents["community"] == c) & (ents["union_status"] != "未建会")].head(12).itertuples():
            due = float(max(int(e.employees or 10), 5) * 40)
            paid = due if rng.random() < (0.7 if c in weak else 0.9) else round(due * rng.choice((0.0, 0.5)), 2)
            out["union_funds"].append(
                dict(
                    community=c,
                    name=e.name,
                    uscc=e.uscc,
                    year=2026,
                    channel="税务代收" if (e.employees or 0) >= 25 else "中小企业经费代管",
                    due=due,
                    collected=paid,
                )
            )
        # 三 双亮 and 五.三 职工书屋、职工之家
        out["sites"].append(
            dict(community=c, unit_name=c, unit_type="社区", site_kind="工会亮牌子", set_up_on=dt.date(2024, 5, 1))
        )
        if c not in weak:
            out["sites"].append(
                dict(community=c, unit_name=c, unit_type="社区", site_kind="主席亮身份", set_up_on=dt.date(2025, 4, 1))
            )
        large = ents[
            (ents["community"] == c)
            & (ents["employees"] >= 25)
            & (ents["union_status"] == "独立建会")
            & (ents["status"] == "正常经营")
        ]
        for e in large.itertuples():
            if rng.random() < 0.8:
                out["sites"].append(
                    dict(
                        community=c,
                        unit_name=e.name,
                        unit_type="规模企业",
                        site_kind="工会亮牌子",
                        set_up_on=_rand_date(rng, dt.date(2024, 1, 1), TODAY),
                    )
                )
                if rng.random() < 0.85:
                    out["sites"].append(
                        dict(
                            community=c,
                            unit_name=e.name,
                            unit_type="规模企业",
                            site_kind="主席亮身份",
                            set_up_on=_rand_date(rng, dt.date(2024, 1, 1), TODAY),
                        )
                    )
        if c != "新华社区":
            out["sites"].append(
                dict(community=c, unit_name=c, unit_type="社区", site_kind="职工书屋", set_up_on=dt.date(2023, 9, 1))
            )
        out["sites"].append(
            dict(community=c, unit_name=c, unit_type="社区", site_kind="职工之家", set_up_on=dt.date(2022, 6, 1))
        )
        # 五 活动 and 七.四 再就业
        kinds = [("五比一创", 2), ("四比一创", 1), ("职工技能培训", 2), ("文化活动", 4 if c not in weak else 2)]
        if c in ("东风社区", "和平里社区", "光明社区"):
            kinds += [("再就业招聘会", 1), ("再就业培训班", 1)]
        for kind, n in kinds:
            for i in range(n):
                fair = kind.startswith("再就业")
                out["activities"].append(
                    dict(
                        community=c,
                        theme=f"{c[:-2]}{kind}（{i + 1}）",
                        held_on=_month_date(rng, 2026, rng.randint(2, 10)),
                        activity_type=kind,
                        participants=rng.randint(20, 300),
                        jobs_offered=rng.randint(50, 200) if kind == "再就业招聘会" else None,
                        placed=rng.randint(3, 30) if fair else None,
                    )
                )
    return out


def _write_plan_ledgers(out_dir: Path, rows: dict[str, list[dict]]) -> Path:
    """One workbook, a sheet per duty ledger: a title line, the template's headers, the rows."""
    path = out_dir / PLAN_FILE
    wb = _new_workbook(path)
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    for lg in spec.PLAN_LEDGERS:
        ws = wb.add_worksheet(lg.label.removesuffix("台账"))
        ws.write_string(0, 0, f"{STREET}{lg.label}（2025–2026年）")
        for j, f in enumerate(lg.fields):
            ws.write_string(1, j, f.label)
            ws.set_column(j, j, 16)
        for i, r in enumerate(rows[lg.name], start=2):
            for j, f in enumerate(lg.fields):
                v = r.get(f.name)
                if v is None or (not isinstance(v, (str, dt.date)) and pd.isna(v)):
                    continue
                if isinstance(v, dt.date):
                    ws.write_datetime(i, j, dt.datetime(v.year, v.month, v.day), date_fmt)
                elif isinstance(v, bool):
                    ws.write_string(i, j, "是" if v else "否")
                elif isinstance(v, (int, float)):
                    ws.write_number(i, j, v)
                else:
                    ws.write_string(i, j, str(v))
    wb.close()
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成示例街道的台账样例（确定性，可重复）")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="输出目录（默认 data/sample）")
    parser.add_argument("--seed", type=int, default=SEED, help="随机种子")
    args = parser.parse_args(argv)
    truth = build_truth(args.seed)
    paths = write_sample(args.out, truth, args.seed)
    for p in paths:
        print(p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
