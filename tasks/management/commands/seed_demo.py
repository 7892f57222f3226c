import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from hefei_ai_zone.errors import ApplicationError
from tasks.models import ProgressStatus, ReportState
from tasks.plan.selectors import plan_current
from tasks.seed.demo import demo_data_seed


class Command(BaseCommand):
    help = (
        "生成演示数据（仅限开发环境，DEBUG 开启时；须先运行 load_plan）：演示账号，2020Q1–2023Q4 "
        "共 16 个季度报送周期（2023Q4 填报中，其余已关闭），每项责任分工各期的进展报告及其审核"
        "记录和版本。可重复执行：已有进展报告时不作改动。生成的数据每次相同。"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        plan = plan_current()
        if plan is None:
            raise CommandError("还没有实施方案：请先运行 load_plan。")
        try:
            with transaction.atomic():
                call_command("create_demo_accounts", stdout=self.stdout)
                result = demo_data_seed(plan=plan)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        # bulk_create and update send no signals: make the dashboards' kept numbers stale.
        from reports.dashboards import everything_changed

        everything_changed()
        elapsed = time.perf_counter() - started
        if not result.created:
            self.stdout.write(
                f"演示数据已存在（或已有真实填报）：{plan}已有 {result.reports} 份进展报告，"
                "未作改动。"
            )
            return
        first, last = result.periods[0], result.periods[-1]
        states = "、".join(
            f"{ReportState(s).label} {result.states[s]}" for s in ReportState if result.states[s]
        )
        statuses = "、".join(
            f"{ProgressStatus(s).label} {result.statuses[s]}"
            for s in ProgressStatus
            if result.statuses[s]
        )
        self.stdout.write(
            self.style.SUCCESS(f"演示数据已生成（{plan}，用时 {elapsed:.1f} 秒）：")
            + f"\n  报送周期 {first.code}–{last.code} 共 {len(result.periods)} 个"
            f"（{last.code} 填报中，其余已关闭）"
            f"\n  进展报告 {result.reports} 份：{states}"
            f"；{last.code} 另有 {result.missing} 项未填报"
            f"\n  进展状态：{statuses}"
            f"\n  逾期提交 {result.late} 份，退回后修改 {result.returned_fixed} 份"
            f"\n  流程记录 {result.transitions} 条，报告版本 {result.versions} 个"
            f"\n  年度节点 {result.milestones} 个，成果台账条目 {result.ledger_entries} 条"
            f"，督办事项 {result.directives} 项"
        )
        if result.placeholders:
            self.stdout.write(
                f"  另为没有演示账号的 {len(result.placeholders)} 个单位创建了停用的占位填报员"
                f"（{result.placeholders[0]} 等，不能登录），作为其报告的填报人。"
            )
