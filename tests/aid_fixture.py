"""A hand-written aid ledger for the A1 tests (plan year 2026, as-of 2026-06-30).

Expected values are worked out by hand in tests/test_aid.py from the comments here.
"""

from datetime import date

from tests.conftest import add_batch

C1, C2, C3 = "东风社区", "向阳社区", "光明社区"
AS_OF = date(2026, 6, 30)


def row(community, recipient, idn, category, campaign, given, cash=0, goods=0, jobs=None, funding=None):
    """campaign may carry its festival: '节日慰问·春节'."""
    campaign, _, festival = campaign.partition("·")
    return dict(
        community=community,
        recipient=recipient,
        id_number=idn,
        category=category,
        campaign=campaign,
        festival=festival or None,
        given_on=given,
        cash=cash,
        goods_value=goods,
        jobs_offered=jobs,
        funding=funding,
    )


def build_aid_street(con):
    # three communities in the registry; 光明社区 gives no aid and must still be listed with zeros
    add_batch(
        con,
        "enterprises",
        [dict(community=c, name=f"{c}企业", uscc=f"U{i}") for i, c in enumerate((C1, C2, C3))],
    )
    add_batch(
        con,
        "aid",
        [
            # 1-2: 张三 visited twice at 春节 -> repeat in one campaign
            row(C1, "张三", "A", "困难职工", "节日慰问·春节", date(2026, 2, 10), 500, 100, funding="街道工会"),
            row(C1, "张三", "A", "困难职工", "节日慰问·春节", date(2026, 2, 20), 300, 0, funding="上级工会"),
            # 3-4: 张三 also in 冬送温暖 and 春送岗位 -> three campaigns
            row(C1, "张三", "A", "困难职工", "冬送温暖", date(2026, 1, 5), 1000, 200, funding="上级工会"),
            row(C1, "张三", "A", "困难职工", "春送岗位", date(2026, 3, 1), jobs=2, funding="街道工会"),
            # 5-6: two people named 李四 without ID numbers, in different communities: two people
            row(C1, "李四", None, "农民工", "节日慰问·端午", date(2026, 6, 19), 200, funding="企业"),
            row(C2, "李四", None, "外来务工人员", "冬送温暖", date(2026, 1, 8), 400, funding="社会捐助"),
            # 7: blank category and funding -> 未填类别, 未填来源
            row(C2, "王五", "B", None, "节日慰问·春节", date(2026, 2, 11), 0, 150),
            # 8: after the as-of date -> not counted
            row(C2, "王五", "B", None, "节日慰问·中秋", date(2026, 9, 25), 200),
            # 9: last year, within the same period (1 Jan - 30 Jun 2025) -> in *_last
            row(C1, "赵六", "C", "困难职工", "冬送温暖", date(2025, 1, 10), 800, 100, funding="上级工会"),
            # 10: last year after 30 Jun 2025 -> not in *_last, but in last year's calendar
            row(C1, "赵六", "C", "困难职工", "金秋助学", date(2025, 8, 20), 1000, funding="上级工会"),
            # 11: on the as-of date itself -> counted
            row(C2, "钱七", "D", "农民工", "夏送凉爽", date(2026, 6, 30), 100, 50, funding="街道工会"),
        ],
    )
    # an undone upload is ignored everywhere
    add_batch(con, "aid", [row(C1, "张三", "A", "困难职工", "冬送温暖", date(2026, 1, 6), 9999)], status="undone")
    return con
