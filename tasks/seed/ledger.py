"""Demo data for the achievement ledger (成果台账), 2020–2023, so that 主要目标 tells a story.

``demo_ledger_seed`` records what the zone plausibly achieved: invention patents with real-looking
numbers (ZL + application year + 1 + serial + the check digit of the CNIPA scheme), most in
智能语音; major achievements; standards; deep application scenarios; leading enterprises (generic
names); the parks and towns and the innovation platforms the plan names; conferences and contests.
Most entries are verified, some still pending (late 2023), a few rejected as duplicates of a
verified patent; nothing is dated, recorded or verified on or after the demo day
(``tasks.seed.day``, 2023-12-20). The counts are chosen so that some annual targets are met and
some are not (2020's patents fall short, the speech standard of 2022 is still pending, the fourth
park is not verified by the end of 2023, ...). Everything comes from the ``rng`` given, so the
ledger is the same on every run; rows are bulk-inserted. A plan that has entries already is left
alone.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from tasks.models import (
    AchievementDomain,
    AchievementEntry,
    AchievementKind,
    EntryState,
    Plan,
    Task,
)
from tasks.seed.day import demo_day
from units.models import Unit, User

K = AchievementKind
SPEECH = AchievementDomain.SPEECH
GENERAL = AchievementDomain.GENERAL

# Verified patents per year: (all, of which 智能语音). Targets: ≥50 and ≥30 a year.
PATENTS = {2020: (46, 28), 2021: (58, 33), 2022: (63, 31), 2023: (52, 27)}
PENDING_PATENTS = {2023: 7}
DUPLICATE_PATENTS = 3

PATENT_UNITS = [
    ("高新区管委会", 6),
    ("经开区管委会", 2),
    ("蜀山区政府", 1),
    ("包河区政府", 1),
    ("新站区管委会", 1),
    ("市市场监管局", 1),
]
SPEECH_SUBJECTS = [
    "远场语音识别",
    "多通道语音增强",
    "语音端点检测",
    "声纹识别",
    "个性化语音合成",
    "方言语音识别",
    "口语评测",
    "语音唤醒",
    "会议语音转写",
    "多语种语音翻译",
    "车载语音交互",
    "噪声环境下的关键词检出",
    "语音情感识别",
    "中英混合语音识别",
]
GENERAL_SUBJECTS = [
    "工业产品表面缺陷检测",
    "医学影像病灶分割",
    "自动驾驶车辆轨迹预测",
    "视频目标跟踪",
    "知识图谱构建",
    "手写文字识别",
    "机器人抓取位姿估计",
    "交通信号自适应控制",
    "类脑脉冲神经网络训练",
    "量子线路编译优化",
    "联邦学习模型聚合",
    "文本语义匹配",
    "电力设备故障诊断",
    "智能仓储路径规划",
]
PATENT_FORMS = [
    "一种{s}方法及装置",
    "一种基于深度神经网络的{s}方法",
    "{s}方法、电子设备及存储介质",
    "一种面向边缘设备的{s}系统",
    "一种端到端的{s}方法",
]


@dataclass(frozen=True)
class Fixed:
    """A named entry: kind, domain, year, month, title, unit, task code, state, identifier."""

    kind: str
    domain: str
    year: int
    month: int
    title: str
    unit: str
    task: str = ""
    state: str = EntryState.VERIFIED
    identifier: str = ""
    note: str = ""


V, P, R = EntryState.VERIFIED, EntryState.PENDING, EntryState.REJECTED
FIXED = [
    # 重大科技成果 (≥2 a year, of which 智能语音 ≥1): 2022 has no speech one, 2023 only one.
    Fixed(K.MAJOR, SPEECH, 2020, 9, "多语种智能语音语言关键技术及产业化应用", "市科技局", "3.2.1"),
    Fixed(K.MAJOR, GENERAL, 2020, 11, "面向复杂场景的类脑视觉感知芯片研制", "市科技局", "3.2.5"),
    Fixed(
        K.MAJOR, GENERAL, 2020, 12, "量子计算云平台关键技术研究与应用", "高新区管委会", "3.5.2-2"
    ),
    Fixed(K.MAJOR, SPEECH, 2021, 5, "复杂环境下高鲁棒语音识别技术及应用", "市科技局", "3.2.1"),
    Fixed(K.MAJOR, SPEECH, 2021, 10, "认知智能驱动的智能语音交互平台", "高新区管委会", "3.2.3"),
    Fixed(K.MAJOR, GENERAL, 2021, 8, "工业视觉缺陷检测大模型及产业化", "市经信局", "3.2.2"),
    Fixed(
        K.MAJOR, GENERAL, 2021, 12, "城市级多源交通数据融合与智能管控系统", "市公安局", "3.3.4-3"
    ),
    Fixed(K.MAJOR, GENERAL, 2022, 6, "类脑智能计算框架与开放平台", "市科技局", "3.5.2-1"),
    Fixed(K.MAJOR, GENERAL, 2022, 11, "高端智能装备精密控制关键技术", "经开区管委会", "3.3.1"),
    Fixed(
        K.MAJOR,
        SPEECH,
        2022,
        12,
        "语音大模型训练与推理关键技术",
        "高新区管委会",
        "3.2.1",
        P,
        note="成果鉴定材料尚在补充。",
    ),
    Fixed(K.MAJOR, SPEECH, 2023, 7, "多模态智能语音交互系统及其产业化", "市科技局", "3.2.1"),
    Fixed(
        K.MAJOR,
        GENERAL,
        2023,
        9,
        "智能网联汽车车路协同感知技术",
        "包河区政府",
        "3.3.6-4",
        R,
        note="已于 2022 年作为“城市级多源交通数据融合”成果的组成部分计入。",
    ),
    # 技术和应用标准 (智能语音 ≥1 a year): the 2022 speech standard is still pending.
    Fixed(
        K.STANDARD,
        SPEECH,
        2020,
        10,
        "信息技术 智能语音交互系统 第2部分：智能家居",
        "市市场监管局",
        "3.2.1",
        identifier="GB/T 36464.2-2020",
    ),
    Fixed(
        K.STANDARD,
        SPEECH,
        2021,
        4,
        "智能语音 车载语音交互系统技术要求",
        "市市场监管局",
        "3.2.1",
        identifier="T/CESA 1126-2021",
    ),
    Fixed(
        K.STANDARD,
        SPEECH,
        2021,
        11,
        "智能语音 语音合成系统评测方法",
        "高新区管委会",
        "3.5.2-5",
        identifier="T/CESA 1178-2021",
    ),
    Fixed(
        K.STANDARD,
        GENERAL,
        2022,
        3,
        "人工智能 工业视觉检测系统通用技术要求",
        "市市场监管局",
        "3.5.2-5",
        identifier="T/AHAI 003-2022",
    ),
    Fixed(
        K.STANDARD,
        SPEECH,
        2022,
        12,
        "智能语音 会议转写系统技术要求",
        "高新区管委会",
        "3.2.1",
        P,
        identifier="T/CESA 1235-2022",
    ),
    Fixed(
        K.STANDARD,
        SPEECH,
        2023,
        8,
        "信息技术 智能语音交互系统 第8部分：智能客服",
        "市市场监管局",
        "3.2.1",
        identifier="GB/T 36464.8-2023",
    ),
    # 深度应用场景和解决方案 (1–2 a year): none verified in 2023 yet.
    Fixed(
        K.SCENARIO, GENERAL, 2020, 12, "基层医疗机构智医助理辅助诊疗解决方案", "市卫健委", "3.3.3"
    ),
    Fixed(K.SCENARIO, GENERAL, 2021, 6, "智慧课堂因材施教解决方案", "市教育局", "3.3.2"),
    Fixed(
        K.SCENARIO, GENERAL, 2021, 11, "城市生命线工程安全运行监测场景", "经开区管委会", "3.3.4-1"
    ),
    Fixed(
        K.SCENARIO,
        GENERAL,
        2022,
        4,
        "城市智能运营平台（城市大脑）决策支撑场景",
        "市数据资源局",
        "3.3.5-2",
    ),
    Fixed(K.SCENARIO, GENERAL, 2022, 9, "自动驾驶公交示范线运营场景", "包河区政府", "3.3.6-4"),
    Fixed(K.SCENARIO, GENERAL, 2022, 11, "智慧平安社区综合治理解决方案", "市公安局", "3.3.4-2"),
    Fixed(
        K.SCENARIO,
        GENERAL,
        2023,
        11,
        "家电行业“黑灯工厂”智能制造解决方案",
        "市经信局",
        "3.3.1",
        P,
    ),
    # 细分领域龙头企业 (1–2 a year)
    Fixed(
        K.ENTERPRISE,
        SPEECH,
        2020,
        12,
        "合肥声联智能语音科技有限公司（智能语音）",
        "高新区管委会",
        "3.4.2",
    ),
    Fixed(
        K.ENTERPRISE,
        GENERAL,
        2021,
        12,
        "安徽慧视工业视觉技术有限公司（机器视觉）",
        "市经信局",
        "3.4.2",
    ),
    Fixed(
        K.ENTERPRISE,
        GENERAL,
        2022,
        6,
        "合肥擎行智能驾驶科技有限公司（自动驾驶）",
        "包河区政府",
        "3.4.2",
    ),
    Fixed(
        K.ENTERPRISE,
        GENERAL,
        2022,
        12,
        "安徽芯脑类脑计算科技有限公司（智能芯片）",
        "高新区管委会",
        "3.4.2",
    ),
    Fixed(
        K.ENTERPRISE,
        GENERAL,
        2023,
        12,
        "合肥云枢工业互联网有限公司（工业智能）",
        "经开区管委会",
        "3.4.2",
    ),
    # 应用示范园区和特色小镇 (≥4 by 2023, cumulative): the fourth is still pending.
    Fixed(K.PARK, GENERAL, 2020, 11, "中国（合肥）人工智能产业小镇", "高新区管委会", "3.3.6-2"),
    Fixed(K.PARK, GENERAL, 2021, 9, "南艳湖机器人小镇", "经开区管委会", "3.3.6-3"),
    Fixed(K.PARK, SPEECH, 2022, 10, "中国声谷智能语音产业示范园区", "高新区管委会", "3.4.4"),
    Fixed(K.PARK, GENERAL, 2023, 12, "合肥骆岗中央公园智慧园区", "滨湖科学城管委会", "3.3.6-1", P),
    # 人工智能创新平台 (5–8 by 2023, cumulative)
    Fixed(
        K.PLATFORM,
        SPEECH,
        2020,
        8,
        "智能语音国家新一代人工智能开放创新平台",
        "高新区管委会",
        "3.5.2-6",
    ),
    Fixed(K.PLATFORM, GENERAL, 2020, 12, "类脑智能开放平台", "市发改委", "3.5.2-1"),
    Fixed(K.PLATFORM, GENERAL, 2021, 6, "泰岳自然语义理解开放平台", "市科技局", "3.5.2-6"),
    Fixed(K.PLATFORM, GENERAL, 2021, 10, "金山智能写作产业技术创新公共平台", "市科技局", "3.5.2-6"),
    Fixed(K.PLATFORM, GENERAL, 2022, 7, "本源量子计算创新创业平台", "高新区管委会", "3.5.2-2"),
    Fixed(K.PLATFORM, GENERAL, 2023, 5, "机器人智能开放服务及支撑平台", "经开区管委会", "3.5.2-3"),
    # 有影响力的会议或赛事 (≥1 a year)
    Fixed(
        K.EVENT, GENERAL, 2020, 9, "2020世界制造业大会·人工智能创新发展论坛", "市经信局", "4.4-3"
    ),
    Fixed(K.EVENT, SPEECH, 2021, 9, "2021智能语音及人工智能产业发展大会", "市发改委", "4.4-3"),
    Fixed(K.EVENT, SPEECH, 2021, 11, "第三届中国声谷创新创业大赛", "市科技局", "4.4-4"),
    Fixed(K.EVENT, GENERAL, 2022, 11, "2022世界制造业大会·人工智能高峰论坛", "市经信局", "4.4-3"),
    Fixed(K.EVENT, SPEECH, 2023, 9, "2023智能语音及人工智能产业发展大会", "市发改委", "4.4-3"),
    Fixed(K.EVENT, SPEECH, 2023, 11, "第五届中国声谷创新创业大赛", "市科技局", "4.4-4", P),
]


def patent_number(year: int, serial: int) -> str:
    """ZL + application year + 1 (invention) + a 7-digit serial + "." + the check digit
    (weights 2–9, 2–5 over the 12 digits, sum mod 11; 10 is X)."""
    digits = f"{year}1{serial:07d}"
    weights = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]
    check = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    return f"ZL{digits}.{'X' if check == 10 else check}"


def _day(rng: random.Random, year: int, month: int | None = None, *, last: date) -> date:
    """A day of the year (or of its month), no later than ``last``."""
    if month is None:
        start, days = date(year, 1, 5), 355
    else:
        start = date(year, month, 1)
        days = 27
    days = max(1, min(days, (last - start).days + 1))
    return start + timedelta(days=rng.randrange(days))


def demo_ledger_seed(
    *,
    plan: Plan,
    rng: random.Random,
    reporters: dict[int, User] | None = None,
    office: User | None = None,
    as_of: date | None = None,
) -> int:
    """The ledger of the module's docstring for ``plan``, as it stands on ``as_of`` (the demo
    day); returns the number of entries created (0 when the plan has entries already)."""
    if AchievementEntry.objects.filter(plan=plan).exists():
        return 0
    reporters = reporters or {}
    tz = ZoneInfo(settings.TIME_ZONE)
    as_of = as_of or demo_day(plan)
    last = as_of - timedelta(days=3)  # the latest day an achievement is dated
    closing = datetime.combine(as_of - timedelta(days=1), time(17, 30), tz)  # of the office
    units = Unit.objects.in_bulk(field_name="name")
    tasks = {t.code: t for t in Task.objects.filter(plan=plan)}
    entries: list[AchievementEntry] = []
    created_at: list[datetime] = []

    def add(
        kind: str,
        domain: str,
        when: date,
        title: str,
        unit_name: str,
        *,
        task: str = "",
        state: str = V,
        identifier: str = "",
        note: str = "",
        comment: str = "",
    ) -> AchievementEntry:
        unit = units[unit_name]
        recorded = min(when + timedelta(days=rng.randint(3, 40)), as_of - timedelta(days=1))
        created = datetime.combine(recorded, time(9), tz)
        created += timedelta(minutes=rng.randrange(8 * 60))
        decided = created + timedelta(days=rng.randint(2, 20), minutes=rng.randrange(300))
        decided = min(decided, closing)
        entry = AchievementEntry(
            plan=plan,
            kind=kind,
            domain=domain,
            title=title,
            date=when,
            unit=unit,
            task=tasks.get(task),
            identifier=identifier,
            note=note,
            state=state,
            review_comment=comment,
            created_by=reporters.get(unit.pk),
            verified_by=office if state != P else None,
            verified_at=decided if state != P else None,
        )
        entries.append(entry)
        created_at.append(created)
        return entry

    for f in FIXED:
        comment = "不属于本年度新增成果，不予计入。" if f.state == R else ""
        add(
            f.kind,
            f.domain,
            _day(rng, f.year, f.month, last=last),
            f.title,
            f.unit,
            task=f.task,
            state=f.state,
            identifier=f.identifier,
            note=f.note,
            comment=comment,
        )

    # Invention patents: numbers unique, applied for one to three years before the grant.
    weights = [w for _, w in PATENT_UNITS]
    names = [n for n, _ in PATENT_UNITS]
    used: set[str] = set()
    verified: list[AchievementEntry] = []

    def number(grant_year: int) -> str:
        while True:
            value = patent_number(grant_year - rng.randint(1, 3), rng.randint(100000, 1299999))
            if value not in used:
                used.add(value)
                return value

    def title(domain: str) -> str:
        subjects = SPEECH_SUBJECTS if domain == SPEECH else GENERAL_SUBJECTS
        return rng.choice(PATENT_FORMS).format(s=rng.choice(subjects))

    for year, (total, speech) in PATENTS.items():
        for i in range(total + PENDING_PATENTS.get(year, 0)):
            domain = SPEECH if i < speech else GENERAL
            state = V if i < total else P
            if state == P:
                domain = SPEECH if i % 2 else GENERAL
            unit = "高新区管委会" if domain == SPEECH else rng.choices(names, weights)[0]
            month = None if state == V else rng.choice([10, 11, 12])
            when = _day(rng, year, month, last=last)
            entry = add(
                K.PATENT,
                domain,
                when,
                title(domain),
                unit,
                task="3.2.1" if domain == SPEECH else "4.3-3",
                state=state,
                identifier=number(year),
            )
            if state == V:
                verified.append(entry)

    # Duplicates: the same patent recorded again by another unit, rejected by the office.
    for original in rng.sample(verified, DUPLICATE_PATENTS):
        add(
            K.PATENT,
            original.domain,
            original.date,
            original.title,
            "市市场监管局" if original.unit.name != "市市场监管局" else "蜀山区政府",
            task="4.3-3",
            state=R,
            identifier=original.identifier,
            comment=f"与{original.unit.name}登记的同一专利（{original.identifier}）重复，"
            "不重复计数。",
        )

    AchievementEntry.objects.bulk_create(entries, batch_size=500)
    # created_at is an auto_now_add field, which an insert sets to now: give it the time each
    # entry was plausibly recorded.
    for entry, moment in zip(entries, created_at, strict=True):
        entry.created_at = moment
    AchievementEntry.objects.bulk_update(entries, ["created_at"], batch_size=500)
    return len(entries)
