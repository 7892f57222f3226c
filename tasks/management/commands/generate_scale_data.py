import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hefei_ai_zone.errors import ApplicationError
from tasks.models import ProgressStatus, ReportState
from tasks.seed.scale import ScaleOptions, scale_data_generate


class Command(BaseCommand):
    help = (
        "生成规模测试数据（合成数据，用于性能测试，须在 PostgreSQL 上运行）：一个独立的实施方案"
        "（默认代码 scale），含任务、规模测试单位、责任分工、连续的季度报送周期、每项填报职责每期"
        "一份进展报告、年度节点和成果台账条目。大表用 COPY 批量写入。已有同代码方案时拒绝执行，"
        "除非加 --replace。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        d = ScaleOptions()
        parser.add_argument("--tasks", type=int, default=d.tasks, help="任务数")
        parser.add_argument("--units", type=int, default=d.units, help="单位数（另有几个单位集合）")
        parser.add_argument(
            "--assignments", type=int, default=d.assignments, help="责任分工总数（约每项任务 5 条）"
        )
        parser.add_argument("--periods", type=int, default=d.periods, help="季度报送周期数")
        parser.add_argument(
            "--milestones-per-assignment",
            type=int,
            default=d.milestones_per_assignment,
            help="每项责任分工的年度节点数（默认 20：10 年每年 2 个）",
        )
        parser.add_argument("--ledger", type=int, default=d.ledger, help="成果台账条目数")
        parser.add_argument("--seed", type=int, default=d.seed, help="随机数种子")
        parser.add_argument("--plan-code", default=d.plan_code, help="方案代码")
        parser.add_argument("--start-year", type=int, default=d.start_year, help="第一个周期的年份")
        parser.add_argument(
            "--replace", action="store_true", help="先删除该代码方案的全部数据再生成"
        )
        parser.add_argument(
            "--current", action="store_true", help="设为当前方案（其他方案不再是当前方案）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        opts = ScaleOptions(
            tasks=options["tasks"],
            units=options["units"],
            assignments=options["assignments"],
            periods=options["periods"],
            milestones_per_assignment=options["milestones_per_assignment"],
            ledger=options["ledger"],
            seed=options["seed"],
            plan_code=options["plan_code"],
            start_year=options["start_year"],
            replace=options["replace"],
            current=options["current"],
        )
        self.stdout.write(f"生成规模测试数据（方案代码 {opts.plan_code}，种子 {opts.seed}）：")
        try:
            result = scale_data_generate(opts, progress=self.stdout.write)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        # COPY and bulk_create send no signals: make the dashboards' kept numbers stale by hand.
        from reports.dashboards import everything_changed

        everything_changed()
        elapsed = time.perf_counter() - started
        c = result.counts
        states = "、".join(
            f"{ReportState(s).label} {result.states[s]}" for s in ReportState if result.states[s]
        )
        statuses = "、".join(
            f"{ProgressStatus(s).label if s else '未填'} {n}"
            for s, n in sorted(result.statuses.items(), key=lambda kv: -kv[1])
        )
        self.stdout.write(
            self.style.SUCCESS(f"完成，用时 {elapsed:.1f} 秒：")
            + f"\n  任务 {c['tasks']} 项，单位 {c['units']} 个（另有单位集合 {c['groups']} 个），"
            f"责任分工 {c['assignments']} 条，填报职责 {c['duties']} 项"
            f"\n  报送周期 {c['periods']} 个（最后一期填报中，其余已关闭）"
            f"\n  进展报告 {c['reports']} 份：{states}；本期另有 {result.missing} 项未填报"
            f"\n  进展状态：{statuses}；逾期提交 {result.late} 份"
            f"\n  流程记录 {c['transitions']} 条、报告版本 {c['versions']} 个：只为填报中的一期"
            "生成，已关闭各期的报告没有流程记录和版本"
            f"\n  年度节点 {c['milestones']} 个，目标指标 {c['indicators']} 个，"
            f"成果台账条目 {c['ledger']} 条"
        )
