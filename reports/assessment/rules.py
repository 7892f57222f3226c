"""The one home of the 督查考核 formula: a unit's score from its parts and a version of the rules.

    score = Σ weight × rate  (on time, on track, milestones met, 督办事项 closed on time; rates
            0–1, weights in points summing to 100)
          − Σ min(points per fact × facts, cap)  (延期, 催办, 督办单, reports returned, overdue
            milestones; no cap: no limit)
    floored at 0, rounded to one decimal.

A rate with nothing to count (no duties: on time and on track count 0; no milestone or 督办事项
due: full marks) follows the scorecard of before. ``DEFAULT_RULES``, for a year without rules, is
that scorecard's formula: 40 on time + 30 on track + 30 milestones − 2 per overdue milestone.
Never logins, clicks or online time: national rules forbid assessing units on them."""

from collections import Counter
from dataclasses import asdict, dataclass, field, fields
from decimal import Decimal
from typing import Any

from .models import DEDUCTIONS, WEIGHTS, AssessmentRules


@dataclass(frozen=True)
class Rules:
    """A version of the rules as plain numbers (``version`` 0: the defaults)."""

    year: int | None = None
    version: int = 0
    weights: dict[str, float] = field(
        default_factory=lambda: {"on_time": 40, "on_track": 30, "milestones": 30, "directives": 0}
    )
    deductions: dict[str, float] = field(
        default_factory=lambda: {
            "extensions": 0,
            "urges": 0,
            "orders": 0,
            "returns": 0,
            "overdue_milestones": 2,
        }
    )
    caps: dict[str, float | None] = field(
        default_factory=lambda: dict.fromkeys(k for k, _l, _u in DEDUCTIONS)
    )
    note: str = ""

    @property
    def is_default(self) -> bool:
        return self.version == 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Rules":
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


DEFAULT_RULES = Rules()


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def rules_of(version: AssessmentRules | None, year: int | None = None) -> Rules:
    """The numbers of a stored version (None: the defaults, for ``year``)."""
    if version is None:
        return Rules(year=year)
    return Rules(
        year=version.year,
        version=version.version,
        weights={k: float(getattr(version, f"w_{k}")) for k, _label in WEIGHTS},
        deductions={k: float(getattr(version, f"d_{k}")) for k, _l, _u in DEDUCTIONS},
        caps={k: _num(getattr(version, f"cap_{k}")) for k, _l, _u in DEDUCTIONS},
        note=version.note,
    )


@dataclass
class Parts:
    """What a unit's score is made of: four rates (None: nothing to count) and five counts."""

    on_time: float | None = None
    on_track: float | None = None
    milestones: float | None = None
    directives: float | None = None
    extensions: int = 0
    urges: int = 0
    orders: int = 0
    returns: int = 0
    overdue_milestones: int = 0


# A rate with nothing to count: on time and on track give nothing, milestones and items full.
EMPTY_RATE = {"on_time": 0.0, "on_track": 0.0, "milestones": 1.0, "directives": 1.0}


def score_parts(parts: Parts, rules: Rules) -> dict[str, Any]:
    """Each weighted part's points, each deduction's points (capped), and the score."""
    points = {}
    for key, _label in WEIGHTS:
        value = getattr(parts, key)
        points[key] = rules.weights[key] * (EMPTY_RATE[key] if value is None else value)
    deducted = {}
    for key, _label, _unit in DEDUCTIONS:
        d = rules.deductions[key] * getattr(parts, key)
        cap = rules.caps.get(key)
        deducted[key] = min(d, cap) if cap is not None else d
    score = round(max(sum(points.values()) - sum(deducted.values()), 0), 1)
    return {"points": points, "deducted": deducted, "score": score}


def score(parts: Parts, rules: Rules) -> float:
    """The unit's score under the rules (see the module's formula)."""
    return float(score_parts(parts, rules)["score"])


def scorecard_rule(rules: Rules) -> str:
    """The dashboard scorecard's formula in words, under ``rules``: the parts a quarter knows
    (on time, on track, milestones met, overdue milestones); the yearly ones (督办事项, 延期,
    催办, 督办单, returns) count in the annual 督查考核 only."""
    labels = dict(WEIGHTS)
    terms = [
        f"{labels[key]} {rules.weights[key]:g}%"
        for key in ("on_time", "on_track", "milestones")
        if rules.weights[key]
    ]
    text = "综合得分 = " + " + ".join(terms)
    if rules.weights["directives"]:
        text += f" + {labels['directives']} {rules.weights['directives']:g}%（本图按满分计）"
    if rules.deductions["overdue_milestones"]:
        text += f" − 每个逾期节点 {rules.deductions['overdue_milestones']:g} 分"
    source = "默认细则" if rules.is_default else f"{rules.year}年考核细则第 {rules.version} 版"
    return f"{text}（{source}；延期、催办等年度扣分项见督查考核）"


def rank(scorecard: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rank by score, equal scores sharing a rank (并列: 1, 2, 2, 4), ties in name order; each
    row gets ``rank``, ``tied`` and ``rank_label`` ("3" or "并列3"). The one ranking of the
    scorecard, the bulletin and the assessment."""
    ranked = sorted(scorecard, key=lambda s: (-s["score"], s["unit"]))
    same = Counter(s["score"] for s in scorecard)
    position, previous = 0, None
    for i, s in enumerate(ranked, 1):
        if s["score"] != previous:
            position, previous = i, s["score"]
        s["rank"] = position
        s["tied"] = same[s["score"]] > 1
        s["rank_label"] = f"并列{position}" if s["tied"] else str(position)
    return ranked
