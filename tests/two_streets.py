"""Two streets of a district, for the street level (区 → 街道 → 社区): the small street (tests/small_street.py,
示例街道: 东风社区 and 向阳社区) and 河西街道, whose two communities are 东风社区 (the same name as the small
street's!) and 河西社区. Plan year 2026, as-of 2026-06-30 (small_street.AS_OF).

河西街道, worked out by hand (the comment by each row says where it counts):
  U1 (operating, >= 25 staff): 河西甲厂 own union, 河西乙厂 none, 河西丁厂 own union  -> 2/3
  U2 (operating): 甲 own, 乙 none, 丙 joint, 丁 own                                -> 3/4
  U3 (founded in 2026 up to as-of): 丙 (2026-04-01), 丁 (2026-05-01)               -> 2
  W1 (operating, unionised: 甲 丙 丁): 甲's agreement in force; 丁's expired 2026-02-28 -> 1/3
  W2 (新签 in 2026 up to as-of): 甲                                                 -> 1
  H1 (operating, own union: 甲 丁): 甲 graded A in 2026                              -> 1/2
  H2 (first A in 2026): 甲                                                          -> 1
"""

from datetime import date

from tests.conftest import add_batch
from tests.small_street import AS_OF, C1, C2, build_small_street, ent

__all__ = ["AS_OF", "C1", "C2", "HX", "S1", "S2", "S2_ONLY", "build_two_streets"]

S1, S2 = "示例街道", "河西街道"
HX = "河西社区"
# names only 河西街道's rows hold: a reader bound to 示例街道 (or to its 东风社区) never sees one
S2_ONLY = {S2, HX, "河西甲厂", "河西乙厂", "河西丙厂", "河西丁厂", "河西张某"}


def build_two_streets(con):
    build_small_street(con)  # 示例街道
    add_batch(
        con,
        "enterprises",
        [
            ent(C1, "河西甲厂", 30, "独立建会", date(2020, 1, 1), uscc="HX1"),  # U1 U2 yes; W1 H1 base
            ent(C1, "河西乙厂", 40, "未建会", uscc="HX2"),  # U1 U2 no
            ent(C1, "河西丙厂", 10, "联合建会", date(2026, 4, 1), uscc="HX3"),  # U2 yes, U3 new; not U1 (10)
        ],
        street=S2,
    )
    add_batch(con, "enterprises", [ent(HX, "河西丁厂", 60, "独立建会", date(2026, 5, 1), uscc="HX4")], street=S2)
    add_batch(
        con,
        "wage_agreements",
        [
            dict(
                community=C1,
                name="河西甲厂",
                uscc="HX1",
                signed_on=date(2026, 1, 15),
                expires_on=date(2027, 1, 14),
                sign_kind="新签",
                agreement_type="单独签订",
            ),  # in force; W2 new
            dict(
                community=HX,
                name="河西丁厂",
                uscc="HX4",
                signed_on=date(2025, 3, 1),
                expires_on=date(2026, 2, 28),
                sign_kind="续签",
                agreement_type="单独签订",
            ),  # expired before as-of
        ],
        street=S2,
    )
    add_batch(
        con, "harmonious", [dict(community=C1, name="河西甲厂", uscc="HX1", year=2026, grade="A")], street=S2
    )  # H1 yes, H2 new
    add_batch(
        con,
        "aid",
        [
            dict(
                community=C1,
                recipient="河西张某",
                campaign="冬送温暖",
                given_on=date(2026, 1, 8),
                cash=300,
                goods_value=0,
            )
        ],
        street=S2,
    )
    add_batch(
        con,
        "disputes",
        [
            dict(
                community=HX, name="河西丁厂", case_no="HXD1", received_on=date(2026, 2, 2), outcome="调解中", workers=1
            )
        ],
        street=S2,
    )
    return con
