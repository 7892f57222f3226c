"""The assessment's score equals a hand calculation; 并列 ranks; versions; the published ranking
never changes; the dashboard's scorecard follows the rules of its year."""

from decimal import Decimal

import pytest

from hefei_ai_zone.errors import ApplicationError
from reports.assessment import services as svc
from reports.assessment.models import AssessmentRules
from reports.assessment.rules import DEFAULT_RULES, Parts, rank, score
from reports.assessment.selectors import assessment_for, rules_in_force, year_facts
from reports.dashboards import dashboard_data

from .conftest import RULES_2025


def numbers(values: dict) -> dict:
    return {k: v if k == "note" or v is None else Decimal(str(v)) for k, v in values.items()}


def by_unit(rows: list[dict]) -> dict[str, dict]:
    return {r["unit"]: r for r in rows}


def test_the_facts_of_the_year_are_counted_per_unit(small):
    facts = {r["unit"]: r for r in year_facts(2025)}
    assert set(facts) == {"甲局", "乙局", "丙局"}
    a, b, c = facts["甲局"], facts["乙局"], facts["丙局"]
    assert a["facts"] == {
        "expected": 2, "submitted": 2, "on_time": 1, "green": 1, "milestones_due": 2,
        "milestones_met": 1, "directives": 1, "directives_on_time": 1,
    }  # fmt: skip
    assert (a["parts"].extensions, a["parts"].returns, a["parts"].overdue_milestones) == (1, 1, 1)
    assert b["facts"]["expected"] == 4 and b["facts"]["on_time"] == 3 and b["parts"].urges == 2
    assert b["parts"].milestones is None and b["parts"].directives is None  # nothing due
    assert c["parts"].orders == 1 and c["parts"].milestones == 0 and c["parts"].directives == 0


def test_the_score_equals_the_hand_calculation(small, people):
    svc.rules_create(actor=people["office"], year=2025, values=numbers(RULES_2025))
    rows = by_unit(assessment_for(2025)["rows"])
    # Rules 2025 v1: weights 30 on time / 20 on track / 20 milestones / 30 items; deductions
    # 1 per extension, 1 per 催办 (capped at 1.5), 2 per 督办单, 0.5 per return, 2 per overdue
    # milestone.
    # 甲局: on time 1/2 → 30×0.5 = 15; on track 1/2 → 20×0.5 = 10; milestones 1/2 → 10;
    #       items 1/1 → 30; = 65; − extension 1 − return 0.5 − overdue milestone 2 = 61.5
    # 乙局: on time 3/4 → 22.5; on track 3/4 → 15; no milestone due → 20; no item → 30;
    #       = 87.5; − 催办 2×1 = 2, capped at 1.5 → 86.0
    # 丙局: on time 2/2 → 30; on track 2/2 → 20; milestones 0/1 → 0; items 0/1 → 0; = 50;
    #       − 督办单 1×2 = 2 → 48.0
    assert rows["甲局"]["score"] == 61.5
    assert rows["乙局"]["score"] == 86.0
    assert rows["丙局"]["score"] == 48.0
    assert rows["乙局"]["deducted"]["urges"] == 1.5
    assert [(r["unit"], r["rank_label"]) for r in assessment_for(2025)["rows"]] == [
        ("乙局", "1"),
        ("甲局", "2"),
        ("丙局", "3"),
    ]


def test_without_rules_the_year_is_scored_by_the_old_fixed_formula(small):
    rows = by_unit(assessment_for(2025)["rows"])
    # 100 × (0.4 on time + 0.3 on track + 0.3 milestones) − 2 per overdue milestone:
    # 甲局 40×0.5 + 30×0.5 + 30×0.5 − 2 = 48; 乙局 30 + 22.5 + 30 = 82.5; 丙局 40 + 30 + 0 = 70
    assert {u: r["score"] for u, r in rows.items()} == {"甲局": 48.0, "乙局": 82.5, "丙局": 70.0}
    assert rules_in_force(2025) == DEFAULT_RULES.__class__(year=2025)


def test_equal_scores_share_a_rank_and_the_next_rank_is_skipped():
    rows = [{"unit": u, "score": s} for u, s in [("丁", 70), ("甲", 90), ("丙", 80), ("乙", 80)]]
    ranked = rank(rows)
    assert [(r["unit"], r["rank"], r["rank_label"]) for r in ranked] == [
        ("甲", 1, "1"),
        ("丙", 2, "并列2"),
        ("乙", 2, "并列2"),
        ("丁", 4, "4"),
    ]


def test_deductions_are_capped_and_the_score_never_goes_below_zero():
    rules = DEFAULT_RULES.__class__(
        weights={"on_time": 100, "on_track": 0, "milestones": 0, "directives": 0},
        deductions={
            "extensions": 0,
            "urges": 30,
            "orders": 0,
            "returns": 0,
            "overdue_milestones": 0,
        },
        caps={
            "extensions": None,
            "urges": 40,
            "orders": None,
            "returns": None,
            "overdue_milestones": None,
        },
    )
    assert score(Parts(on_time=1.0, urges=3), rules) == 60.0  # 100 − min(90, 40)
    assert score(Parts(on_time=0.2, urges=3), rules) == 0.0  # 20 − 40 → 0


def test_editing_makes_a_new_version_and_keeps_the_old(small, people):
    v1 = svc.rules_create(actor=people["office"], year=2025, values=numbers(RULES_2025))
    v2 = svc.rules_create(
        actor=people["office"], year=2025, values=numbers({**RULES_2025, "d_orders": 5})
    )
    assert (v1.version, v2.version) == (1, 2)
    v1.refresh_from_db()
    assert v1.d_orders == 2 and v2.d_orders == 5
    assert rules_in_force(2025).version == 2 and rules_in_force(2025).deductions["orders"] == 5
    assert rules_in_force(2026).is_default  # another year: untouched


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"w_on_time": 50}, "__all__", "各项权重之和须为 100，现为 120。"),
        ({"d_urges": -1}, "d_urges", "不能为负数。"),
        ({"w_on_time": None}, "w_on_time", "请填写数字。"),
        ({"cap_orders": 101}, "cap_orders", "不能超过 100 分。"),
    ],
)
def test_bad_rules_are_refused_in_chinese(small, people, change, field, message):
    with pytest.raises(ApplicationError) as error:
        svc.rules_create(
            actor=people["office"], year=2025, values=numbers({**RULES_2025, **change})
        )
    assert message in error.value.extra["fields"][field]
    assert not AssessmentRules.objects.exists()


def test_only_the_office_edits_rules_and_publishes(small, people):
    from hefei_ai_zone.errors import NotPermittedError

    with pytest.raises(NotPermittedError):
        svc.rules_create(actor=people["leader"], year=2025, values=numbers(RULES_2025))
    with pytest.raises(NotPermittedError):
        svc.assessment_publish(actor=people["leader"], year=2025)


def test_a_published_ranking_never_changes_after_a_rules_change(small, people):
    office = people["office"]
    svc.rules_create(actor=office, year=2025, values=numbers(RULES_2025))
    svc.assessment_publish(actor=office, year=2025)
    before = assessment_for(2025)
    assert before["published"] and before["rules"].version == 1

    # a new version of 2025 and rules for 2026: the weights all on 督办事项
    heavy = {**RULES_2025, "w_on_time": 0, "w_on_track": 0, "w_milestones": 0, "w_directives": 100}
    svc.rules_create(actor=office, year=2025, values=numbers(heavy))
    svc.rules_create(actor=office, year=2026, values=numbers(heavy))
    after = assessment_for(2025)
    assert after["rows"] == before["rows"]
    assert [(r["unit"], r["score"], r["rank_label"]) for r in after["rows"]] == [
        ("乙局", 86.0, "1"),
        ("甲局", 61.5, "2"),
        ("丙局", 48.0, "3"),
    ]
    assert after["rules"].version == 1
    preview = assessment_for(2026)  # not published: the preview under the 2026 rules
    assert not preview["published"] and preview["rules"].version == 1
    assert preview["rules"].weights["directives"] == 100


def test_publishing_again_needs_a_reason_and_keeps_the_old_publication(small, people):
    office = people["office"]
    first = svc.assessment_publish(actor=office, year=2025)
    with pytest.raises(ApplicationError) as error:
        svc.assessment_publish(actor=office, year=2025)
    assert "重新发布须说明理由" in error.value.message
    svc.rules_create(actor=office, year=2025, values=numbers(RULES_2025))
    second = svc.assessment_publish(actor=office, year=2025, reason="细则调整后重新发布")
    first.refresh_from_db()
    assert first.superseded and not second.superseded
    assert by_unit(first.rows)["甲局"]["score"] == 48.0  # the old one as it was
    assert by_unit(assessment_for(2025)["rows"])["甲局"]["score"] == 61.5


def test_the_dashboard_scorecard_follows_the_rules_of_its_year(period, people):
    """2021Q3 on the seed plan: unchanged without rules; after the office gives 2021 all the
    weight to on-time reporting and no deduction, each score is 100 × the on-time rate."""
    office = people["office"]
    before = dashboard_data(user=office, period=period)["scorecard"]
    svc.rules_create(
        actor=office,
        year=2021,
        values=numbers(
            {
                "w_on_time": 100,
                "w_on_track": 0,
                "w_milestones": 0,
                "w_directives": 0,
                "d_extensions": 0,
                "d_urges": 0,
                "d_orders": 0,
                "d_returns": 0,
                "d_overdue_milestones": 0,
            }
        ),
    )
    after = dashboard_data(user=office, period=period)["scorecard"]  # the cache is not served
    assert after != before
    for s in after:
        assert s["score"] == round(100 * (s["on_time_rate"] or 0), 1)
