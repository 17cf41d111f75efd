"""Hand-written dispute ledgers for the D1 tests (plan year 2026, as-of 2026-06-30, collective from 10
workers, overdue after 15 days). Expected values are worked out in tests/test_disputes.py.
"""

from datetime import date

from tests.conftest import add_batch

C1, C2, C3 = "东风社区", "向阳社区", "光明社区"
AS_OF = date(2026, 6, 30)


def case(no, community, name, uscc, received, dtype, workers, amount, level, outcome, closed=None):
    return dict(
        case_no=no,
        community=community,
        name=name,
        uscc=uscc,
        received_on=received,
        dispute_type=dtype,
        workers=workers,
        amount=amount,
        level=level,
        outcome=outcome,
        closed_on=closed,
    )


def registry(con):
    add_batch(
        con,
        "enterprises",
        [
            dict(community=C1, name="甲厂", uscc="U1", industry="制造业"),
            dict(community=C2, name="乙店", uscc="U2", industry="住宿和餐饮业"),
            dict(community=C3, name="丙公司", uscc="U3", industry="制造业"),  # no cases: 光明社区 shows 0
        ],
    )


def build_dispute_street(con):
    registry(con)
    j, y, w = ("甲厂", "U1"), ("乙店", "U2"), ("无名店", None)  # 无名店 is not in the registry
    add_batch(
        con,
        "disputes",
        [
            case(
                "K1", C1, *j, date(2026, 1, 5), "劳动报酬", 12, 50000, "街道", "调解成功", date(2026, 1, 20)
            ),  # 15 days
            case(
                "K2", C1, *j, date(2026, 2, 1), "解除/终止劳动合同", 1, 8000, "企业", "调解不成", date(2026, 3, 1)
            ),  # 28
            # closed after the as-of date: open on it, 60 days old -> overdue
            case("K3", C2, *y, date(2026, 5, 1), "劳动报酬", 3, 9000, "社区", "调解成功", date(2026, 7, 10)),
            # exactly 10 workers: collective; 29 days old -> overdue
            case("K4", C2, *y, date(2026, 6, 1), "劳动报酬", 10, None, "社区", "调解中"),
            # exactly 15 days old: not yet overdue
            case("K5", C2, *w, date(2026, 6, 15), "社会保险", 1, 1000, "企业", "调解中"),
            # withdrawn with no closing date: closed
            case("K6", C2, *w, date(2026, 6, 14), "其他", 1, None, "企业", "撤回"),
            # received last December: not this year's, but in the 12-month repeat-employer window
            case("K7", C1, *j, date(2025, 12, 30), "劳动报酬", 2, 3000, "街道", "调解成功", date(2026, 1, 3)),
            # an old case still open: open and overdue (477 days); last year's same period
            case("K8", C1, *j, date(2025, 3, 10), "加班", 1, None, "企业", "调解中"),
            # received after the as-of date: ignored
            case("K9", C1, *j, date(2026, 7, 2), "劳动报酬", 30, 1, "街道", "调解中"),
            # exactly 12 months before the as-of date: outside the repeat window; in last year's period
            case("K10", C2, *y, date(2025, 6, 30), "劳动报酬", 2, 4000, "社区", "调解成功", date(2025, 7, 5)),
        ],
    )
    # an undone upload is ignored everywhere
    add_batch(con, "disputes", [case("X1", C1, *j, date(2026, 3, 3), "加班", 50, 1, "街道", "调解中")], status="undone")
    return con


# Cases per month for the spike rule: 2025 Jan..Dec, then 2026 Jan..Jun.
TREND_2025 = [7, 1, 7, 1, 6, 2, 4, 4, 4, 4, 4, 4]
TREND_2026 = [8, 0, 9, 0, 0, 0]


def build_trend_street(con):
    registry(con)
    rows = []
    for year, counts in ((2025, TREND_2025), (2026, TREND_2026)):
        for month, n in enumerate(counts, start=1):
            for i in range(n):
                received = date(year, month, 1 + i)
                rows.append(
                    case(f"T{year}{month:02d}{i}", C1, "甲厂", "U1", received, "加班", 1, 100, "企业", "调解成功")
                )
    add_batch(con, "disputes", rows)
    return con
