"""Header alias matching and sheet classification."""

import pytest

from dashboard.ledgers import columns as c


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("职工人数", "employees"),
        ("职工人数（人）", "employees"),
        ("职工人数(人)", "employees"),
        (" 职 工 人 数 ", "employees"),
        ("*企业名称", "name"),
        ("企业（单位）名称", "name"),
        ("统一社会信用代码：", "uscc"),
        ("新签／续签", "sign_kind"),
        ("发放金额（元）", "cash"),
    ],
)
def test_alias_matching_is_tolerant(header, field):
    assert field in {f for _, f in c.match_header(header)}


def test_percent_header():
    assert ("wage_agreements", "wage_increase_pct") in c.match_header("工资增长幅度（%）")


def test_unknown_header():
    assert c.match_header("备注") == ()


def test_classify_each_ledger():
    cases = {
        "enterprises": ["序号", "社区", "企业名称", "统一社会信用代码", "职工人数", "是否建会", "建会时间"],
        "wage_agreements": ["社区", "企业名称", "协商形式", "签订日期", "到期日期", "工资增长幅度（%）"],
        "harmonious": ["社区", "企业名称", "年度", "评定等级", "得分"],
        "aid": ["社区", "姓名", "身份证号", "活动名称", "发放日期", "慰问金"],
        "disputes": ["案号", "社区", "用人单位", "受理日期", "争议类型", "调解结果", "结案日期"],
    }
    for ledger, headers in cases.items():
        got = c.classify(headers)
        assert got.ledger == ledger, (ledger, got)
        assert got.unmatched_required == [] or got.unmatched_required == ["community"]


def test_classify_reports_unmatched_required():
    got = c.classify(["社区", "企业名称", "信用代码", "是否建会", "建会时间"])
    assert got.ledger == "enterprises" and got.unmatched_required == ["employees"]


def test_classify_nothing():
    got = c.classify(["填表说明", "备注"])
    assert got.ledger is None and "未能识别" in got.note


def test_manual_mapping_overrides_aliases():
    headers = ["单位", "人数", "工会"]
    mapping = {"单位": "name", "人数": "employees", "工会": "union_status", "__ledger__": "enterprises"}
    got = c.classify(headers, mapping=mapping)
    assert got.ledger == "enterprises"
    assert got.columns == {"name": 0, "employees": 1, "union_status": 2}


def test_header_signature_is_stable_across_spacing():
    assert c.header_signature(["企业 名称", "职工人数", ""]) == c.header_signature(["企业名称", "职工人数"])
    assert c.header_signature(["企业名称"]) != c.header_signature(["职工人数"])


def test_explanation_sheet():
    assert c.is_explanation_sheet("填表说明") and not c.is_explanation_sheet("2025年")
