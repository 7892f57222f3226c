def test_the_scorecard_states_the_formula_of_the_rules_in_force() -> None:
    """The dashboard's scorecard hint says the formula it scores by (the defaults, or the year's
    version), never the old fixed text after the office edits the rules."""
    from reports.assessment.rules import DEFAULT_RULES, Rules, scorecard_rule

    assert scorecard_rule(DEFAULT_RULES).startswith(
        "综合得分 = 按时报送率 40% + 按计划推进占比 30% + 节点按期完成率 30% − 每个逾期节点 2 分"
    )
    assert "默认细则" in scorecard_rule(DEFAULT_RULES)
    edited = Rules(
        year=2025,
        version=2,
        weights={"on_time": 30, "on_track": 30, "milestones": 20, "directives": 20},
        deductions={**DEFAULT_RULES.deductions, "overdue_milestones": 1.5},
    )
    text = scorecard_rule(edited)
    assert "按时报送率 30%" in text and "督办事项按期办结率 20%（本图按满分计）" in text
    assert "每个逾期节点 1.5 分" in text and "2025年考核细则第 2 版" in text
