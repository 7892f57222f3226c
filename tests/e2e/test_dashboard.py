"""总览 in a real browser, on the demo data (four years of quarterly reports): a leader opens
it, every chart draws, a table view opens, a click on a block of the section chart or a cell of
the matrix lands on the tasks behind it (灯色明细) with as many tasks as the block showed;
photographed on a desktop and on a 390-pixel phone (test-artifacts/)."""

import pytest

from tasks.models import Plan
from tasks.seed.demo import demo_data_seed
from tests.e2e.browser import DESKTOP, PHONE, log_in
from tests.units.factories import make_user
from units.models import Role

CHARTS = ("sections", "trend", "scorecard", "matrix", "indicators", "demos")


@pytest.fixture
def seeded(live_plan):
    make_user("dc_office", Role.OFFICE, None)
    leader = make_user("leader_e2e", Role.LEADER, None)
    demo_data_seed(plan=Plan.objects.get(code="hefei-ai-2020-2023"))
    return leader


def drawn(page, chart: str) -> bool:
    """The chart's canvas has non-blank pixels."""
    return page.evaluate(
        """id => {
          const c = document.querySelector('#chart-' + id + ' canvas');
          if (!c || !c.width || !c.height) return false;
          const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          for (let i = 3; i < px.length; i += 4) if (px[i] > 0) return true;
          return false;
        }""",
        chart,
    )


@pytest.mark.parametrize(("tag", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_a_leader_reads_the_dashboard_and_drills_down(
    chromium, live_plan, seeded, shot, tag, viewport
):
    page = chromium.new_page(viewport=viewport)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, live_plan.url, "leader_e2e")
    page.wait_for_url("**/dashboard/")  # the leader lands on 总览
    page.wait_for_selector("#dashboard[data-drawn=true]")
    assert page.inner_text("h1").startswith("总览 · 2023年第四季度")
    for chart in CHARTS:
        assert drawn(page, chart), chart
    assert "草稿" not in page.inner_text("main")
    shot(page, f"dashboard-{tag}")

    # the scorecard says what its colours mean, and tied units share a rank
    legend = page.inner_text("#card-scorecard .chart-legend")
    assert "有逾期节点" in legend and "80 分及以上" in legend and "80 分以下" in legend
    page.click("button.chart-toggle[data-chart=scorecard]")
    table = page.locator("#table-scorecard table")
    assert table.is_visible()
    assert table.locator("tbody tr").count() > 30
    page.click("#table-scorecard .th-sort[data-key=on_time_rate]")
    assert (
        page.get_attribute("#table-scorecard th:has(.th-sort[data-key=on_time_rate])", "aria-sort")
        == "descending"
    )
    assert "并列" in page.inner_text("#table-scorecard")
    table.scroll_into_view_if_needed()
    shot(page, f"dashboard-table-{tag}")

    # click the first section's bar in the "status by section" chart
    page.locator("#chart-sections").scroll_into_view_if_needed()
    point = page.evaluate(
        """() => {
          const c = window.dashboardCharts.sections;
          const data = JSON.parse(document.getElementById('dashboard-data').textContent);
          const s = data.sections[0];
          const [x, y] = c.convertToPixel({seriesIndex: 0}, [s.green / 2, 0]);
          const r = c.getDom().getBoundingClientRect();
          return {x: r.left + x, y: r.top + y, id: s.id, green: s.green};
        }"""
    )
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url(f"**/dashboard/why/?period=2023Q4&section={point['id']}&light=green")
    # the tasks behind the block: as many as the block said, each with its light and reasons
    assert page.inner_text("#why-count") == str(point["green"])
    assert page.locator(".why-task[data-light=green]").count() == point["green"]
    shot(page, f"dashboard-drilldown-{tag}")

    # a red cell of the units × sections matrix: the unit's tasks in the section
    page.go_back()
    page.wait_for_selector("#dashboard[data-drawn=true]")
    page.locator("#chart-matrix").scroll_into_view_if_needed()
    cell = page.evaluate(
        """() => {
          const c = window.dashboardCharts.matrix;
          const m = JSON.parse(document.getElementById('dashboard-data').textContent).matrix;
          const cell = m.cells.find(x => x.light === 'red');
          const [x, y] = c.convertToPixel({seriesIndex: 0}, [cell.section, cell.unit]);
          const r = c.getDom().getBoundingClientRect();
          return {x: r.left + x, y: r.top + y, tasks: cell.tasks,
                  unit: m.units[cell.unit].id, section: m.sections[cell.section].id};
        }"""
    )
    page.mouse.click(cell["x"], cell["y"])
    page.wait_for_url(
        f"**/dashboard/why/?period=2023Q4&section={cell['section']}&unit={cell['unit']}"
    )
    assert page.inner_text("#why-count") == str(cell["tasks"])
    assert page.locator(".why-task[data-light=red]").count() >= 1
    shot(page, f"dashboard-why-cell-{tag}")
    assert errors == []
    page.close()
