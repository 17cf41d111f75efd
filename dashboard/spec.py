"""The ledgers (台账) as data: fields, header aliases, vocabularies (the five of the plan's sections 二, 六, 七 and
the eight duty ledgers of 三, 四, 五, 七.四).

This module is the contract shared by the importer (which matches headers and normalises values),
the blank templates, the sample-street generator and the database schema. Nothing here does I/O.
The rules are those of the domain spec the project was built from (ledgers, aliases, vocabularies).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Field kinds understood by the normalisers.
TEXT = "text"
INT = "int"  # a count of people; "56人", full-width digits
AMOUNT = "amount"  # yuan; "1,200元"
NUMBER = "number"  # a score 0-100
PERCENT = "percent"  # stored as percent points: 5 means 5 %
DATE = "date"
YEAR = "year"
BOOL = "bool"
VOCAB = "vocab"  # one of VOCABULARIES[field.vocab]
USCC = "uscc"
ID_NUMBER = "id_number"
COMMUNITY = "community"


@dataclass(frozen=True)
class Field:
    name: str  # column name in the database
    label: str  # Chinese header in templates and messages
    aliases: tuple[str, ...]  # headers seen in real ledgers (label included first)
    kind: str = TEXT
    required: bool = False
    vocab: str | None = None
    personal: bool = False  # masked on projectors and in exports unless the role allows


@dataclass(frozen=True)
class Ledger:
    name: str  # table name
    label: str  # Chinese name
    fields: tuple[Field, ...]
    natural_key: tuple[str, ...]  # upsert key (enterprises: replaced per community instead)
    title_words: tuple[str, ...] = field(default=())  # words in a sheet title naming the ledger

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]


_COMMUNITY = Field("community", "所属社区", ("所属社区", "社区", "社区名称", "所在社区"), COMMUNITY, True)
_NAME = Field(
    "name", "企业名称", ("企业名称", "单位名称", "企业（单位）名称", "企业(单位)名称", "用人单位"), TEXT, True
)
_USCC = Field("uscc", "统一社会信用代码", ("统一社会信用代码", "信用代码", "社会信用代码"), USCC)

ENTERPRISES = Ledger(
    "enterprises",
    "企业名录及建会台账",
    (
        _COMMUNITY,
        _NAME,
        _USCC,
        Field("industry", "所属行业", ("所属行业", "行业", "行业类别", "国民经济行业分类"), VOCAB, vocab="industry"),
        Field("status", "经营状态", ("经营状态", "企业状态"), VOCAB, vocab="status"),
        Field("employees", "职工人数", ("职工人数", "职工数", "从业人数", "从业人员数", "职工总数"), INT, True),
        Field("migrant_workers", "农民工人数", ("农民工人数", "其中农民工", "农民工"), INT),
        Field("union_status", "建会情况", ("建会情况", "是否建会", "建会形式"), VOCAB, vocab="union_status"),
        Field("union_founded", "建会时间", ("建会时间", "工会成立时间", "成立日期"), DATE),
        Field("union_members", "会员人数", ("会员人数", "工会会员数", "会员数"), INT),
        Field("union_chair", "工会主席", ("工会主席", "主席姓名"), TEXT, personal=True),
        Field("phone", "联系电话", ("联系电话", "电话", "联系方式"), TEXT, personal=True),
    ),
    natural_key=("community", "uscc", "name"),
    title_words=("建会", "企业名录", "名录"),
)

WAGE_AGREEMENTS = Ledger(
    "wage_agreements",
    "工资集体协商台账",
    (
        _COMMUNITY,
        _NAME,
        _USCC,
        Field("agreement_type", "协议类型", ("协议类型", "协商形式", "签订形式"), VOCAB, vocab="agreement_type"),
        Field("agreement_name", "协议名称", ("协议名称", "行业（区域）协议名称", "行业(区域)协议名称"), TEXT),
        Field("sign_kind", "新签/续签", ("新签/续签", "签订类型", "新签续签"), VOCAB, vocab="sign_kind"),
        Field("signed_on", "签订日期", ("签订日期", "签订时间"), DATE, True),
        Field("expires_on", "到期日期", ("到期日期", "到期时间", "有效期至", "期限至"), DATE),
        Field("covered_employees", "覆盖职工人数", ("覆盖职工人数", "覆盖职工数", "涉及职工人数"), INT),
        Field("wage_increase_pct", "工资增长幅度（%）", ("工资增长幅度", "增幅", "工资增幅"), PERCENT),
        Field("filed", "是否审查备案", ("是否审查备案", "是否报人社部门备案", "备案"), BOOL),
    ),
    natural_key=("uscc", "signed_on"),
    title_words=("工资集体协商", "集体协商", "工资协议"),
)

HARMONIOUS = Ledger(
    "harmonious",
    "和谐企业创建台账",
    (
        _COMMUNITY,
        _NAME,
        _USCC,
        Field("year", "创建年度", ("创建年度", "年度", "评定年度"), YEAR, True),
        Field("grade", "评定等级", ("评定等级", "等级", "创建等级"), VOCAB, True, vocab="grade"),
        Field("score", "评分", ("评分", "得分"), NUMBER),
        Field("assessed_on", "评定日期", ("评定日期", "评定时间"), DATE),
    ),
    natural_key=("uscc", "year"),
    title_words=("和谐企业", "和谐劳动关系"),
)

AID = Ledger(
    "aid",
    "帮扶救助台账",
    (
        _COMMUNITY,
        Field("recipient", "姓名", ("姓名", "帮扶对象", "慰问对象"), TEXT, True, personal=True),
        Field("id_number", "身份证号", ("身份证号", "身份证号码", "公民身份号码"), ID_NUMBER, personal=True),
        Field("employer", "工作单位", ("工作单位", "所在单位"), TEXT),
        Field("category", "对象类别", ("对象类别", "类别", "人员类别"), VOCAB, vocab="aid_category"),
        Field("campaign", "活动名称", ("活动名称", "活动", "帮扶项目", "慰问活动"), VOCAB, True, vocab="campaign"),
        Field("given_on", "发放日期", ("发放日期", "发放时间", "慰问时间", "日期"), DATE, True),
        Field("cash", "慰问金（元）", ("慰问金", "金额", "发放金额"), AMOUNT),
        Field("goods_value", "物资折款（元）", ("物资折款", "物资折价", "物资价值"), AMOUNT),
        Field("goods", "物资内容", ("物资内容", "慰问品", "物资"), TEXT),
        Field("jobs_offered", "提供岗位数", ("提供岗位数", "推荐岗位数"), INT),
        Field("funding", "资金来源", ("资金来源",), VOCAB, vocab="funding"),
    ),
    natural_key=("id_number", "campaign", "given_on"),
    title_words=("帮扶", "送温暖", "慰问", "救助"),
)

DISPUTES = Ledger(
    "disputes",
    "劳动争议调解台账",
    (
        Field("case_no", "案件编号", ("案件编号", "编号", "案号"), TEXT, True),
        _COMMUNITY,
        _NAME,
        _USCC,
        Field("received_on", "受理日期", ("受理日期", "受理时间", "登记日期"), DATE, True),
        Field("dispute_type", "争议类型", ("争议类型", "案由"), VOCAB, vocab="dispute_type"),
        Field("workers", "涉及人数", ("涉及人数", "当事人数"), INT),
        Field("amount", "涉及金额（元）", ("涉及金额", "涉案金额"), AMOUNT),
        Field("level", "调解层级", ("调解层级", "调解组织"), VOCAB, vocab="mediation_level"),
        Field("outcome", "调解结果", ("调解结果", "处理结果", "结果"), VOCAB, vocab="outcome"),
        Field("closed_on", "结案日期", ("结案日期", "结案时间"), DATE),
    ),
    natural_key=("case_no",),
    title_words=("劳动争议", "调解"),
)

# ---- the work plan's other duties (sections 三, 四, 五, 七.四): one sheet per kind of record, as a
# community office keeps it. All upsert by their natural key (a `name` in a key is matched as name_norm).
_PERSON = Field("person", "姓名", ("姓名", "人员姓名", "参加人"), TEXT, True, personal=True)

STUDY_TESTS = Ledger(
    "study_tests",
    "学习测试成绩台账",
    (
        _COMMUNITY,
        _PERSON,
        Field("unit", "所在单位", ("所在单位", "单位", "所在工会"), TEXT),
        Field("test_kind", "学习类别", ("学习类别", "测试类别", "学习测试类别"), VOCAB, True, vocab="test_kind"),
        Field("taken_on", "学习测试日期", ("学习测试日期", "测试日期", "答题日期"), DATE, True),
        Field("score", "成绩", ("成绩", "测试成绩", "分数"), NUMBER),
    ),
    natural_key=("community", "person", "test_kind", "taken_on"),
    title_words=("每月一题", "测试成绩", "学习测试"),
)

TRAININGS = Ledger(
    "trainings",
    "工会干部培训台账",
    (
        _COMMUNITY,
        Field("title", "培训名称", ("培训名称", "培训主题", "培训内容"), TEXT, True),
        Field("held_on", "培训日期", ("培训日期", "培训时间"), DATE, True),
        Field("audience", "培训对象", ("培训对象", "参训对象"), VOCAB, vocab="trainee"),
        Field("attendees", "参训人数", ("参训人数", "参加培训人数"), INT),
    ),
    natural_key=("community", "title", "held_on"),
    title_words=("干部培训", "培训台账"),
)

RESEARCH_REPORTS = Ledger(
    "research_reports",
    "调研报告台账",
    (
        _COMMUNITY,
        Field("union_name", "所在工会", ("所在工会", "基层工会名称", "工会名称"), TEXT, True),
        _PERSON,
        Field("role", "工会职务", ("工会职务", "职务"), VOCAB, True, vocab="union_role"),
        Field("year", "年度", ("年度", "报告年度"), YEAR, True),
        Field("report_title", "调研报告题目", ("调研报告题目", "报告题目", "题目"), TEXT),
        Field("submitted_on", "提交日期", ("提交日期", "完成日期", "报送时间"), DATE),
        Field("award", "评比结果", ("评比结果", "评比等次", "获奖等次"), VOCAB, vocab="award"),
    ),
    natural_key=("community", "union_name", "person", "year"),
    title_words=("调研报告",),
)

INFO_SUBMISSIONS = Ledger(
    "info_submissions",
    "信息报送台账",
    (
        _COMMUNITY,
        Field("info_title", "信息标题", ("信息标题", "信息题目", "报送信息"), TEXT, True),
        Field("sent_on", "报送日期", ("报送日期", "报送时间"), DATE, True),
        Field("adopted", "是否采用", ("是否采用", "采用情况"), BOOL),
        Field("adopted_by", "采用单位", ("采用单位", "采用刊物"), TEXT),
    ),
    natural_key=("community", "info_title", "sent_on"),
    title_words=("信息报送",),
)

VISITS = Ledger(
    "visits",
    "走访企业台账",
    (
        _COMMUNITY,
        _NAME,
        _USCC,
        Field("visited_on", "走访日期", ("走访日期", "走访时间"), DATE, True),
        Field("problems_found", "发现问题数", ("发现问题数", "反映问题数", "问题数"), INT),
        Field("problems_solved", "解决问题数", ("解决问题数", "已解决问题数"), INT),
        Field("fed_back_on", "反馈日期", ("反馈日期", "情况反馈日期"), DATE),
    ),
    natural_key=("community", "name", "visited_on"),
    title_words=("走访",),
)

UNION_FUNDS = Ledger(
    "union_funds",
    "工会经费收缴台账",
    (
        _COMMUNITY,
        _NAME,
        _USCC,
        Field("year", "经费年度", ("经费年度", "所属年度"), YEAR, True),
        Field("channel", "收缴方式", ("收缴方式", "经费收缴方式"), VOCAB, True, vocab="fund_channel"),
        Field("due", "应缴金额（元）", ("应缴金额", "应缴经费", "应收金额"), AMOUNT, True),
        Field("collected", "实缴金额（元）", ("实缴金额", "实缴经费", "已缴金额", "实收金额"), AMOUNT),
    ),
    natural_key=("community", "name", "year", "channel"),
    title_words=("经费", "税务代收", "经费代管"),
)

SITES = Ledger(
    "sites",
    "阵地建设台账",
    (
        _COMMUNITY,
        Field("unit_name", "单位名称", ("单位名称", "社区或企业名称", "建设单位"), TEXT, True),
        Field("unit_type", "单位类型", ("单位类型",), VOCAB, True, vocab="unit_type"),
        Field("site_kind", "阵地类别", ("阵地类别", "建设内容", "项目"), VOCAB, True, vocab="site_kind"),
        Field("set_up_on", "建成日期", ("建成日期", "挂牌日期", "完成日期"), DATE, True),
    ),
    natural_key=("community", "unit_name", "site_kind"),
    title_words=("阵地", "职工书屋", "职工之家", "双亮"),
)

ACTIVITIES = Ledger(
    "activities",
    "职工活动台账",
    (
        _COMMUNITY,
        Field("theme", "活动主题", ("活动主题", "活动内容", "主题"), TEXT, True),
        Field("held_on", "举办日期", ("举办日期", "举办时间", "开展日期"), DATE, True),
        Field("activity_type", "活动类别", ("活动类别", "活动类型"), VOCAB, True, vocab="activity_type"),
        Field("participants", "参加人数", ("参加人数", "参与人数"), INT),
        Field("jobs_offered", "提供岗位数", ("提供岗位数", "招聘岗位数"), INT),
        Field("placed", "实现就业人数", ("实现就业人数", "就业人数", "达成就业意向人数"), INT),
    ),
    natural_key=("community", "theme", "held_on"),
    title_words=("职工活动", "技能培训", "再就业", "五比一创", "文化活动"),
)

PLAN_LEDGERS = (STUDY_TESTS, TRAININGS, RESEARCH_REPORTS, INFO_SUBMISSIONS, VISITS, UNION_FUNDS, SITES, ACTIVITIES)

# How a repeated row is named in messages ("同一…"), per ledger.
KEY_WORDS = {
    "study_tests": "同一人、同一学习类别、同一日期",
    "trainings": "同一培训名称、同一日期",
    "research_reports": "同一工会、同一人、同一年度",
    "info_submissions": "同一信息标题、同一报送日期",
    "visits": "同一企业、同一走访日期",
    "union_funds": "同一企业、同一年度、同一收缴方式",
    "sites": "同一单位、同一阵地类别",
    "activities": "同一活动主题、同一举办日期",
}

LEDGERS: dict[str, Ledger] = {
    lg.name: lg for lg in (ENTERPRISES, WAGE_AGREEMENTS, HARMONIOUS, AID, DISPUTES, *PLAN_LEDGERS)
}

# Canonical value -> synonyms seen in ledgers (matching is case- and space-insensitive).
VOCABULARIES: dict[str, dict[str, tuple[str, ...]]] = {
    "status": {
        "正常经营": ("正常", "在营", "存续", "开业", "营业"),
        "停产": ("停业",),
        "歇业": (),
        "注销": ("已注销", "吊销"),
        "迁出": ("已迁出",),
    },
    "union_status": {
        "独立建会": ("单独建会", "独立", "是", "已建", "已建会", "√", "有"),
        "联合建会": ("联合工会", "联合", "区域联合工会覆盖", "行业联合工会覆盖", "区域/行业联合工会覆盖"),
        "未建会": ("否", "未建", "无", "×", "没有"),
    },
    "agreement_type": {
        "单独签订": ("独立", "单独", "独立签订", "企业单独"),
        "行业性": ("行业", "行业性协议", "行业集体协商"),
        "区域性": ("区域", "区域性协议", "区域集体协商"),
    },
    "sign_kind": {"新签": ("首签", "新订"), "续签": ("续订",)},
    "grade": {
        "AAA": ("3A", "三A", "AAA级", "3A级", "三A级"),
        "AA": ("2A", "双A", "二A", "AA级", "2A级"),
        "A": ("A级", "一A", "1A"),
        "未达标": ("不达标", "未通过"),
        "申报中": ("在评", "待评定"),
    },
    "aid_category": {
        "困难职工": ("困难", "特困职工"),
        "农民工": (),
        "外来务工人员": ("外来务工", "外来人员"),
        "下岗失业人员": ("下岗职工", "失业人员", "下岗"),
        "劳模": ("劳动模范",),
        "其他": (),
    },
    "campaign": {
        "春送岗位": ("春风行动",),
        "夏送凉爽": ("夏送清凉", "送清凉", "夏季送清凉"),
        "金秋助学": ("助学",),
        "冬送温暖": ("送温暖", "冬季送温暖"),
        "节日慰问": ("元旦慰问", "春节慰问", "端午慰问", "中秋慰问", "国庆慰问"),
        "日常帮扶": ("日常", "临时救助"),
    },
    "funding": {
        "上级工会": ("区总工会", "市总工会"),
        "街道工会": ("街道总工会", "本级工会"),
        "企业": ("企业工会",),
        "社会捐助": ("捐助", "社会捐赠"),
    },
    "dispute_type": {
        "劳动报酬": ("拖欠工资", "劳动报酬（拖欠工资）", "工资"),
        "解除/终止劳动合同": ("解除劳动合同", "终止劳动合同", "解除合同"),
        "社会保险": ("社保",),
        "工伤待遇": ("工伤",),
        "经济补偿": ("补偿",),
        "加班": ("加班费",),
        "其他": (),
    },
    "mediation_level": {
        "企业": ("企业劳动争议调解委员会", "企业调委会"),
        "社区": ("社区调解委员会", "社区调委会"),
        "街道": ("街道调解中心", "街道劳动争议调解中心"),
    },
    "outcome": {
        "调解成功": ("成功", "达成协议"),
        "调解不成": ("调解不成（转仲裁/诉讼）", "转仲裁", "转诉讼", "不成功"),
        "撤回": ("撤诉", "申请人撤回"),
        "调解中": ("处理中", "在办"),
    },
    "test_kind": {"每月一题": ("每月一题学习", "月度学习"), "半年测试": ("半年考试", "测试", "半年度测试")},
    "trainee": {
        "社区工会主席": ("社区主席",),
        "企业工会主席": ("企事业单位工会主席", "企业主席"),
        "工会干事": ("干事", "工会干部"),
        "其他": (),
    },
    "union_role": {"主席": ("工会主席",), "副主席": ("工会副主席",)},
    "award": {"一等奖": (), "二等奖": (), "三等奖": (), "优秀奖": ("优秀",), "未获奖": ("无",)},
    "fund_channel": {"税务代收": ("税务代征", "地税代收"), "中小企业经费代管": ("经费代管", "代管")},
    "unit_type": {
        "社区": ("社区工会", "社区联合工会"),
        "规模企业": ("规模以上企业",),
        "其他单位": ("企业", "事业单位"),
    },
    "site_kind": {
        "职工书屋": ("书屋",),
        "职工之家": ("职工小家",),
        "工会亮牌子": ("亮牌子", "挂牌"),
        "主席亮身份": ("亮身份",),
    },
    "activity_type": {
        "五比一创": (),
        "四比一创": (),
        "职工技能培训": ("技能培训",),
        "文化活动": ("文体活动", "读书会", "文化节", "职工文化体育节"),
        "再就业招聘会": ("招聘会",),
        "再就业培训班": ("再就业培训", "下岗职工培训"),
    },
    # GB/T 4754-2017 sections; synonyms are section letters and the two-digit codes of the union
    # registration form (which follow the 2002 order).
    "industry": {
        "农、林、牧、渔业": ("A", "01", "农林牧渔业"),
        "采矿业": ("B", "02"),
        "制造业": ("C", "03"),
        "电力、热力、燃气及水生产和供应业": ("D", "04", "电力燃气及水的生产和供应业"),
        "建筑业": ("E", "05"),
        "批发和零售业": ("F", "08", "批发零售业"),
        "交通运输、仓储和邮政业": ("G", "06", "交通运输仓储和邮政业"),
        "住宿和餐饮业": ("H", "09", "住宿餐饮业"),
        "信息传输、软件和信息技术服务业": ("I", "07", "信息传输计算机服务和软件业"),
        "金融业": ("J", "10"),
        "房地产业": ("K", "11"),
        "租赁和商务服务业": ("L", "12"),
        "科学研究和技术服务业": ("M", "13", "科学研究技术服务和地质勘查业"),
        "水利、环境和公共设施管理业": ("N", "14"),
        "居民服务、修理和其他服务业": ("O", "15", "居民服务和其他服务业"),
        "教育": ("P", "16"),
        "卫生和社会工作": ("Q", "17", "卫生社会保障和社会福利业"),
        "文化、体育和娱乐业": ("R", "18"),
        "公共管理、社会保障和社会组织": ("S", "19"),
        "国际组织": ("T", "20"),
    },
}

# The vocabulary words queries/*.sql compare with, by an English name per vocabulary: `{{status.operating}}`
# in a query runs as '正常经营' (dashboard/db.py expands it), so no query file writes a word itself. Each
# must be a canonical word of VOCABULARIES[vocabulary] (checked below).
QUERY_WORDS: dict[str, dict[str, str]] = {
    "status": {"operating": "正常经营"},
    "union_status": {"own": "独立建会", "none": "未建会"},
    "agreement_type": {"single": "单独签订", "industry": "行业性", "area": "区域性"},
    "sign_kind": {"new": "新签"},
    "grade": {"pending": "申报中"},
    "aid_category": {"migrant_worker": "农民工", "outside_worker": "外来务工人员"},
    "campaign": {"festival": "节日慰问"},
    "dispute_type": {"wages": "劳动报酬"},
    "outcome": {"success": "调解成功", "failed": "调解不成", "withdrawn": "撤回", "ongoing": "调解中"},
    "test_kind": {"monthly": "每月一题", "half_year": "半年测试"},
    "union_role": {"chair": "主席", "vice_chair": "副主席"},
    "unit_type": {"community": "社区", "large": "规模企业"},
    "site_kind": {"book_house": "职工书屋", "home": "职工之家", "sign": "工会亮牌子", "badge": "主席亮身份"},
}
_not_canonical = sorted(
    f"{vocabulary}.{name}"
    for vocabulary, words in QUERY_WORDS.items()
    for name, word in words.items()
    if word not in VOCABULARIES.get(vocabulary, {})
)
if _not_canonical:
    raise ValueError(f"QUERY_WORDS names words no vocabulary has: {_not_canonical}")

# The kinds of 职工活动 each work-plan duty counts (dashboard/plan.py filters the activities query by them).
ACTIVITY_KINDS = {
    "five": "五比一创",
    "four": "四比一创",
    "skills": "职工技能培训",
    "culture": "文化活动",
    "job_fair": "再就业招聘会",
    "job_class": "再就业培训班",
}
if not set(ACTIVITY_KINDS.values()) <= set(VOCABULARIES["activity_type"]):
    raise ValueError("ACTIVITY_KINDS names words the activity_type vocabulary lacks")

YES_WORDS = ("是", "√", "✓", "有", "已", "已备案", "y", "yes", "true", "1")
NO_WORDS = ("否", "×", "✗", "无", "未", "未备案", "n", "no", "false", "0")

# Festivals kept beside 节日慰问 (元旦慰问 -> campaign 节日慰问, festival 元旦).
FESTIVALS = ("元旦", "春节", "端午", "中秋", "国庆")

CLOSED_OUTCOMES = ("调解成功", "调解不成", "撤回")
GRADES_A_OR_ABOVE_DEFAULT = ("A", "AA", "AAA")


def community_key(name: str) -> str:
    """'和平里' and '和平里社区' are one community: the stored name always ends in 社区."""
    s = "".join(str(name).split())
    if not s:
        return s
    return s if s.endswith("社区") else s + "社区"


# ---- names of figures shown on more than one surface ------------------------------------------------
# One definition, one name. Pages, meeting slides, the PowerPoint, the Excel pack and the CLI show these
# numbers under these words and no others (tests/test_consistency.py reads every surface); the README's
# indicator section repeats the definitions.

OPEN_THIS_YEAR = "本年受理未结"
OPEN_ALL = "全部未结（含往年）"
OVERDUE = "超期"

# Their definitions are spec.INDICATORS' D1.open_this_year, D1.open_all and D1.overdue (口径, with the date
# of the last import, like every other figure).


# ---- staff-size bands -------------------------------------------------------------------------------
# Lower bounds of the size bands above the U1 threshold (settings' size_threshold, the plan's 25): bands
# <25, 25–99, 100–499, 500+. dashboard.filters.size_bands combines the two.
SIZE_BAND_BOUNDS = (100, 500)

# ---- column headers ---------------------------------------------------------------------------------
# The Chinese header of every column a page, table or export shows, one spelling per column. A table
# takes the columns it shows, in its order, with column_labels(); a table where a column means something
# narrower says so with an override (column_labels("employees", employees="覆盖职工")).
COLUMN_LABELS: dict[str, str] = {
    "community": "社区",
    "name": "企业名称",
    "uscc": "统一社会信用代码",
    "industry": "行业",
    "employees": "职工人数",
    "union_status": "建会情况",
    "union_founded": "建会时间",
    "agreement_type": "协议类型",
    "agreement_name": "协议名称",
    "sign_kind": "新签/续签",
    "signed_on": "签订日期",
    "expires_on": "到期日期",
    "last_expires_on": "上次协议到期",
    "situation": "情况",
    "days_left": "剩余天数",
    "days_overdue": "已过期天数",
    "covered_employees": "覆盖职工",
    "wage_increase_pct": "工资增幅（%）",
    "union_chair": "工会主席",
    "phone": "联系电话",
    "enterprises": "覆盖企业",
    "file_name": "台账文件",
    "filed": "已备案",
    "grade_year": "评定年度",
    "imported_at": "上传时间",
    "in_current": "在最新名录中",
    "member_rate_text": "入会率",
    "members": "会员人数",
    "members_missing": "未填会员数的企业",
    "migrant_workers": "农民工人数",
    "reported": "填报会员数的企业",
    "score": "得分",
    "size_band": "职工规模",
    "state": "状态",
    "status": "经营状态",
    "unionised": "已建会企业",
}


def column_labels(*columns: str, **overrides: str) -> dict[str, str]:
    """{column: header} for `columns` in their order, from COLUMN_LABELS unless overridden; a column
    with no header anywhere is an error (add it to COLUMN_LABELS), not an English header on screen."""
    missing = [c for c in columns if c not in overrides and c not in COLUMN_LABELS]
    if missing:
        raise KeyError(f"no Chinese header for {missing}: add them to spec.COLUMN_LABELS")
    return {c: overrides.get(c, COLUMN_LABELS.get(c, "")) for c in columns}


# ---- 口径说明: what every indicator counts ----------------------------------------------------------
# One text per indicator, beside the SQL that computes it (`query`): the KPI cards' hover text
# (dashboard/explain.py adds when each source ledger was last imported), the PowerPoint's speaker notes
# and the README's 口径说明 table (scripts/indicator_table.py writes it; tests/test_explain.py checks it)
# all read these entries. Thresholds and targets are the work plan's defaults; settings may change them.


_NUMERALS = "〇一二三四五六七八九"
# how a per-community duty of the work plan is judged (dashboard/plan.py)
PER_COMMUNITY = "按社区计数：各社区完成数（以目标为上限）之和 ÷ 目标之和为任务进度，低于时间进度为滞后"
# 考核评比 at district level (dashboard/scoring.py evaluate_streets): how a street is scored
STREET_ASSESSMENT = (
    "街道与社区用同样的计分项目、权重和公式（得分 = 100 × Σ（权重 × 完成度）÷ Σ 权重），完成度按全街道自身的数值计算，"
    "不是各社区得分的平均：比率项（建会率、签约率、A级以上占比、双亮、调研报告、经费收缴率）为全街道合计"
    "（各社区分子之和 ÷ 分母之和）÷ 目标；按社区计数的项目（新增建会、新增建制、新创建和谐企业和"
    "工作计划的按社区计数事项）"
    "目标是每个社区的，完成度为各社区完成数（以目标为上限）之和 ÷（目标 × 社区数），与工作计划的任务进度相同；"
    "半年测试平均分为各社区平均分的平均。全街道没有统计基数的项目不计入，其余权重按比例折算。"
)


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str  # the name on cards, slides and in the README
    numerator: str  # what is counted (a count's only figure)
    denominator: str  # what it is divided by; "" for a count
    rule: str  # the work plan's rule and the counting conventions
    ledgers: tuple[str, ...]  # LEDGERS names the figure is computed from
    query: str  # queries/<query>.sql

    @property
    def shown_code(self) -> str:
        """The code as users read it: D1.success is one of D1's figures; a plan duty by its clause (四.一)."""
        if self.code.startswith("plan."):  # plan.4.1.monthly_topic -> 四.一
            _, part, clause, _ = self.code.split(".")
            return f"{_NUMERALS[int(part)]}.{_NUMERALS[int(clause)]}"
        return self.code.split(".")[0]

    @property
    def ledger_labels(self) -> list[str]:
        return [LEDGERS[name].label for name in self.ledgers]

    def lines(self) -> list[str]:
        """The definition as lines of text (分子 / 分母 / 规则 / 来源台账), the same on every surface."""
        out = [f"分子：{self.numerator}" if self.denominator else f"计数：{self.numerator}"]
        if self.denominator:
            out.append(f"分母：{self.denominator}")
        out.append(f"规则：{self.rule}")
        out.append(f"来源台账：{'、'.join(self.ledger_labels)}")
        return out


INDICATORS: dict[str, Indicator] = {
    i.code: i
    for i in (
        Indicator(
            "U1",
            "25人以上企业独立建会率",
            "正常经营、职工人数25人及以上、到统计截止日已独立建会的企业数",
            "正常经营、职工人数25人及以上的企业数",
            "工作计划：25人以上企业建独立工会率达95%以上；恰好25人计入；截止日后才建会的不计入。",
            ("enterprises",),
            "unionization_coverage_25plus",
        ),
        Indicator(
            "U2",
            "正常经营企业建会率",
            "正常经营、到统计截止日已建会（独立建会或联合建会）的企业数",
            "正常经营的企业数",
            "工作计划：建会率达95%以上；联合建会计入。",
            ("enterprises",),
            "unionization_coverage_operating",
        ),
        Indicator(
            "U3",
            "新增建会",
            "建会时间在本年度内（到统计截止日）的企业数，分社区",
            "",
            "工作计划：每个社区每年新增建会不少于2家。",
            ("enterprises",),
            "unionization_new_by_community",
        ),
        Indicator(
            "W1",
            "建会企业工资集体协商签约率",
            "正常经营、已建会、统计截止日有有效工资集体协议（单独签订、行业性或区域性均可）的企业数",
            "正常经营、已建会的企业数",
            "工作计划：签约率达90%以上；有效指签订日期 ≤ 截止日 ≤ 到期日，截止日当天到期的仍计入。",
            ("enterprises", "wage_agreements"),
            "wages_agreement_signing",
        ),
        Indicator(
            "W2",
            "新增建制",
            "本年度首次签订（新签）工资集体协议的企业数，分社区",
            "",
            "工作计划：在续签的基础上，每个社区每年新增建制不少于2家；续签不计入。",
            ("enterprises", "wage_agreements"),
            "wages_new_agreements_by_community",
        ),
        Indicator(
            "W3",
            "行业性、区域性协议",
            "统计截止日仍在有效期内的行业性、区域性协议份数（按协议名称），及其覆盖的企业和职工",
            "",
            "工作计划：推进行业性、区域性工资集体协商；只显示，不设目标。",
            ("wage_agreements",),
            "wages_industry_agreements",
        ),
        Indicator(
            "H1",
            "A级以上和谐企业占比",
            "正常经营、独立建会、本年度及以前最近一次评定为A、AA或AAA级的企业数",
            "正常经营、独立建会的企业数",
            "工作计划：A级以上和谐企业占比达40%以上；往年等级在新评定前继续有效。",
            ("enterprises", "harmonious"),
            "harmonious_a_or_above",
        ),
        Indicator(
            "H2",
            "新创建和谐企业",
            "本年度评为A级及以上、以前年度从未评为A级及以上的企业数，分社区",
            "",
            "工作计划：每个社区每年新创建和谐企业不少于2家。",
            ("enterprises", "harmonious"),
            "harmonious_new_by_community",
        ),
        Indicator(
            "A1",
            "帮扶救助（送温暖）",
            "本年度到统计截止日的帮扶记录：人次为发放记录条数，人数为不同的人，金额为慰问金加物资折款",
            "",
            "工作计划：春送岗位、夏送凉爽、金秋助学、冬送温暖等送温暖活动；人均金额 = 金额 ÷ 人数；只显示，不设目标。",
            ("aid",),
            "aid_totals",
        ),
        Indicator(
            "D1",
            "劳动争议",
            "本年度到统计截止日受理的劳动争议案件数；涉及10人及以上的为集体争议",
            "",
            "工作计划：三级调解，把矛盾化解在基层；只显示，不设目标。",
            ("disputes",),
            "disputes_kpis",
        ),
        Indicator(
            "D1.success",
            "调解成功率",
            "本年受理、到统计截止日调解成功的案件数",
            "本年受理、到统计截止日已结案（调解成功、调解不成、撤回）的案件数",
            "截止日后才结案的按未结计算；调解中的不计入分母。",
            ("disputes",),
            "disputes_kpis",
        ),
        Indicator(
            "D1.open_this_year",
            OPEN_THIS_YEAR,
            "本年受理、到统计截止日尚未结案的劳动争议案件数（不含往年受理的）",
            "",
            "截止日后才结案的按未结计算；往年受理、至今未结的计入“全部未结（含往年）”，见「劳动争议」页。",
            ("disputes",),
            "disputes_kpis",
        ),
        Indicator(
            "D1.open_all",
            OPEN_ALL,
            "统计截止日尚未结案的全部劳动争议案件数，含往年受理、至今未结的",
            "",
            "截止日后才结案的按未结计算；其中受理已超过法定调解期限的为“超期”。",
            ("disputes",),
            "disputes_kpis",
        ),
        Indicator(
            "D1.overdue",
            OVERDUE,
            "统计截止日尚未结案、受理已超过法定调解期限的劳动争议案件数，含往年受理的",
            "",
            "工作计划：三级调解，把矛盾化解在基层；法定调解期限默认 15 天（截止日减受理日超过 15 天为超期），"
            "可在设置中修改。",
            ("disputes",),
            "disputes_kpis",
        ),
        # ---- the work plan's other duties (dashboard/plan.py), by their Measure.id ----
        Indicator(
            "plan.3.2.double_display",
            "双亮（工会亮牌子、主席亮身份）",
            "到统计截止日阵地台账中工会亮牌子和主席亮身份都已登记的社区工会和规模企业数",
            "各社区工会，加上正常经营、独立建会、职工人数25人及以上的规模企业",
            "工作计划三.二：在社区和规模企业中继续推行双亮；按社区名称和单位名称对应。",
            ("sites", "enterprises"),
            "plan_double_display",
        ),
        Indicator(
            "plan.4.1.monthly_topic",
            "每月一题",
            "本年度到统计截止日有每月一题记录的月数，分社区",
            "",
            f"工作计划四.一：继续开展每月一题活动；{PER_COMMUNITY}。",
            ("study_tests",),
            "plan_study",
        ),
        Indicator(
            "plan.4.1.half_year_test",
            "半年测试",
            "本年度到统计截止日有半年测试记录的半年数，分社区；另计平均成绩",
            "",
            f"工作计划四.一：半年进行一次测试，成绩纳入年终考核；{PER_COMMUNITY}。",
            ("study_tests",),
            "plan_study",
        ),
        Indicator(
            "plan.4.1.training",
            "工会干部培训",
            "本年度到统计截止日举办的社区、企事业单位工会主席和干事培训场次，分社区",
            "",
            f"工作计划四.一：加强工会主席和干事的业务培训；{PER_COMMUNITY}。",
            ("trainings",),
            "plan_trainings",
        ),
        Indicator(
            "plan.4.2.research_report",
            "调研报告",
            "到统计截止日已提交调研报告的基层工会主席、副主席人数",
            "调研报告台账中本年度的基层工会主席、副主席人数",
            "工作计划四.二：各基层工会主席、副主席各完成一篇调研报告。",
            ("research_reports",),
            "plan_research_reports",
        ),
        Indicator(
            "plan.4.2.info_submission",
            "信息报送",
            "本年度到统计截止日有信息报送的季度数，分社区",
            "",
            "工作计划四.二：坚持每季度信息报送和反馈制度；按已过去的季度列出缺报的社区。",
            ("info_submissions",),
            "plan_info_quarters",
        ),
        Indicator(
            "plan.4.3.visit_feedback",
            "走访反馈",
            "本年度到统计截止日有走访并已反馈的季度数，分社区；另计发现和解决的问题数",
            "",
            "工作计划四.三：走访企事业单位，每季度反馈一次情况。",
            ("visits",),
            "plan_visits",
        ),
        Indicator(
            "plan.4.4.union_funds",
            "工会经费收缴",
            "本年度税务代收和中小企业经费代管的实缴金额（实缴未填按 0 元）",
            "本年度应缴金额",
            "工作计划四.四：做好工会经费税务代收和中小企业经费代管工作。",
            ("union_funds",),
            "plan_funds",
        ),
        Indicator(
            "plan.5.1.five_one",
            "五比一创、四比一创",
            "本年度到统计截止日开展的五比一创、四比一创活动次数，分社区",
            "",
            f"工作计划五.一：在企业开展五比一创、在机关事业单位开展四比一创；{PER_COMMUNITY}。",
            ("activities",),
            "plan_activities",
        ),
        Indicator(
            "plan.5.2.skills_training",
            "职工技能培训",
            "本年度到统计截止日举办的职工技能培训次数，分社区",
            "",
            f"工作计划五.二：开展职工技能培训；{PER_COMMUNITY}。",
            ("activities",),
            "plan_activities",
        ),
        Indicator(
            "plan.5.3.culture",
            "职工文化活动",
            "本年度到统计截止日举办的职工文化活动次数，分社区；另计参加人数",
            "",
            f"工作计划五.三：开展丰富多彩的职工文化活动；{PER_COMMUNITY}。",
            ("activities",),
            "plan_activities",
        ),
        Indicator(
            "plan.5.3.book_house",
            "职工书屋",
            "到统计截止日已建成的职工书屋个数，分社区",
            "",
            "工作计划五.三：有条件的建立职工书屋；是已有的状态，与全年目标比较，不按时间进度。",
            ("sites",),
            "plan_sites",
        ),
        Indicator(
            "plan.5.3.workers_home",
            "职工之家",
            "到统计截止日已建成的职工之家个数，分社区",
            "",
            "工作计划五.三：有条件的建立职工之家；是已有的状态，与全年目标比较，不按时间进度。",
            ("sites",),
            "plan_sites",
        ),
        Indicator(
            "plan.7.4.reemployment",
            "再就业招聘会、培训班",
            "本年度到统计截止日全街道举办的再就业招聘会和培训班场次；另计提供岗位数和实现就业人数",
            "",
            "工作计划七.四：举办下岗再就业招聘会、培训班。",
            ("activities",),
            "plan_activities",
        ),
        # ---- 报送情况 (dashboard/submissions.py): from the import batches of every ledger ----
        Indicator(
            "S1",
            "有逾期台账的社区",
            "至少有一期台账逾期未报送的社区数（逾期：某期结束后过了宽限期，该期内仍没有导入该社区的这本台账）",
            "应报送台账的社区数（街道设置的社区和有数据的社区）",
            "工作计划八：做好大统计，核查辖区各企业各项信息、加强数据库管理，靠各社区按期报送台账；各台账的报送周期"
            "（每月、每季度、每次活动等）和宽限期由管理员设置，撤销的导入不算报送。",
            tuple(LEDGERS),
            "submissions_batches",
        ),
    )
}
if not all(set(i.ledgers) <= set(LEDGERS) for i in INDICATORS.values()):
    raise ValueError("INDICATORS names a ledger LEDGERS lacks")


# Who imported a batch, as a person reads it: "local" is the importer's default (the command line, the
# sample street's first start), not a name (import_batches.imported_by).
IMPORTER_LABELS = {"local": "本机（命令行或首次启动）"}
