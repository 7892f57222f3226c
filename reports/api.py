"""/api/dashboard/: every number of 总览 in one response, the same the page draws from, under
the same rules (the office, the administrator and the leader; the lights count submitted reports
only, for all of them; the office also gets the drafts and returned reports counted; anyone else
403)."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from hefei_ai_zone.api import AuthedApiRequest, ErrorSerializer
from hefei_ai_zone.errors import ApplicationError

from . import dashboards


class DashboardSerializer(serializers.Serializer):
    """The shape of /api/dashboard/ (for the schema; the view answers the dict itself)."""

    audience = serializers.ChoiceField(
        choices=[(dashboards.OFFICE, "办公室"), (dashboards.LEADER, "领导")],
        help_text=(
            "office：另有草稿、退回数；leader：没有。两者灯色相同：只计已提交的报告"
            "（待单位审核、待办公室审核、已通过），草稿和已退回的报告计为“未提交”。"
        ),
    )
    plan = serializers.DictField(help_text="实施方案：code、name、years。")
    period = serializers.DictField(
        help_text="所选周期：code、label、state、start_date、end_date、due_date、as_of（亮灯日）。"
    )
    periods = serializers.ListField(
        child=serializers.DictField(), help_text="全部周期，has_reports 表示已有报告。"
    )
    tiles = serializers.DictField(
        help_text=(
            "汇总：tasks（按灯色的任务数）、reports（应报 due、按时 on_time、逾期提交 late、"
            "未提交 not_submitted、逾期未报 overdue、本期被逾期催办的单位数 escalated；"
            "办公室另有 draft、returned）、"
            "milestones（本期到期 due、完成 done；本年截至亮灯日到期 due_this_year、完成 "
            "done_this_year；截至亮灯日逾期 overdue，不论年份）、demos（按灯色）。"
        )
    )
    sections = serializers.ListField(
        child=serializers.DictField(), help_text="各板块按灯色的任务数：id、label、green…grey。"
    )
    scorecard = serializers.ListField(
        child=serializers.DictField(),
        help_text=(
            "各单位记分卡：按时报送率 on_time_rate、按计划推进占比 on_track_share、"
            "本年节点完成率 milestones_rate（milestones_done/milestones_due，本年截至亮灯日）、"
            "逾期节点 milestones_overdue（不论年份）、综合得分 score、排名 rank；"
            "亮灯日所在年度收到的催办次数 urges、督办单数 orders（supervision_year）、"
            "本期是否已被逾期催办 escalated。"
        ),
    )
    matrix = serializers.DictField(
        help_text="单位 × 板块灯色矩阵：units、sections、cells（unit、section 为下标）。"
    )
    trend = serializers.ListField(
        child=serializers.DictField(), help_text="截至所选周期，各周期按灯色的任务数。"
    )
    indicators = serializers.ListField(
        child=serializers.DictField(), help_text="主要目标：各年实际值（已核实台账）与目标值。"
    )
    demos = serializers.ListField(
        child=serializers.DictField(), help_text="示范工程：建设周期、责任单位、灯色。"
    )
    directives = serializers.DictField(
        help_text=(
            "督办事项（截至今天 as_of，不随所选周期变化）：在办事项 open 及其按灯色的数 lights、"
            "逾期 overdue、有单位逾期未签收 unsigned；本年 year 办结 closed，其中按时 "
            "closed_on_time（不晚于现行办结时限）、逾期 closed_late；按来源 by_source（source、"
            "label、在办 open、本年办结 closed）；红灯、黄灯事项 items（最差者在前，至多 50 项，"
            "共 attention 项）：id、number、title、source、state、lead_unit、due_date、"
            "original_due_date、extended、overdue_days、light、url。"
        )
    )


class DashboardView(APIView):
    """总览数据。"""

    @extend_schema(
        tags=["总览"],
        summary="总览数据",
        description=(
            "总览页面的全部数字，一次返回（页面的图表即由此绘制）。仅领导小组办公室、系统管理员"
            "和领导可用；灯色只计已提交的报告，办公室和领导看到的灯色相同（办公室另见草稿、退回数）。"
            "period 缺省时为最近一个有已提交报告的周期。"
        ),
        parameters=[
            OpenApiParameter(
                "period", str, OpenApiParameter.QUERY, description="周期代码，如 2021Q3。"
            )
        ],
        responses={
            200: DashboardSerializer,
            400: OpenApiResponse(ErrorSerializer, description="period 不是已有的周期代码。"),
            403: OpenApiResponse(ErrorSerializer, description="无权查看总览。"),
        },
    )
    def get(self, request: AuthedApiRequest) -> Response:
        dashboards.audience_of(request.user)  # 403 for anyone else
        periods = dashboards.dashboard_periods()
        code = request.query_params.get("period", "")
        period = next((p for p in periods if p.code == code), None)
        if (code and period is None) or (not code and not periods):
            message = f"没有代码为“{code}”的报送周期。" if code else "还没有报送周期。"
            raise ApplicationError(message, {"fields": {"period": [message]}})
        period = period or dashboards.period_default(periods)
        data = dashboards.dashboard_data(
            user=request.user,
            period=period,  # type: ignore[arg-type]
            periods=periods,
        )
        return Response(data)
