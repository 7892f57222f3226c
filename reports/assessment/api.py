"""/api/assessment/?year=: each unit's score and its parts for a year, by the published ranking
(frozen) or, while the year is not published, the preview under the rules in force (flagged
``published: false``). The same permissions as the page: the office and the leaders every unit;
a unit's staff their own unit's published row; anyone else 403."""

from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from hefei_ai_zone.api import AuthedApiRequest, ErrorSerializer
from hefei_ai_zone.errors import NotPermittedError

from .permissions import can_see, can_see_all, visible_rows
from .selectors import assessment_for, publication_for
from .years import parse_year


class AssessmentSerializer(serializers.Serializer):
    """The shape of /api/assessment/ (for the schema; the view answers the dict itself)."""

    year = serializers.IntegerField(help_text="考核年度。")
    published = serializers.BooleanField(
        help_text="true：已发布（固定）；false：预览，随数据变化。"
    )
    published_at = serializers.DateTimeField(allow_null=True, help_text="发布时间。")
    as_of = serializers.DateField(help_text="数据截至日期。")
    rules = serializers.DictField(
        help_text=(
            "所用考核细则：year、version（0 为默认细则）、weights（on_time、on_track、milestones、"
            "directives，合计 100）、deductions 与 caps（extensions、urges、orders、returns、"
            "overdue_milestones）、note。"
        )
    )
    units = serializers.ListField(
        child=serializers.DictField(),
        help_text=(
            "各单位：unit_id、unit、score、rank、tied、rank_label（如“并列3”）、parts（四项完成率"
            "0–1 或 null，五项次数）、points（各项得分）、deducted（各项扣分）、deductions、"
            "facts（计入的报告、节点、督办事项数）。不使用登录、点击或在线时长。"
        ),
    )


class AssessmentView(APIView):
    """督查考核结果。"""

    @extend_schema(
        tags=["督查考核"],
        summary="年度督查考核结果",
        description=(
            "各单位的年度得分、各项明细和排名（并列）。已发布的年度按发布时固定的结果；未发布的"
            "年度为按现行考核细则计算的预览（published=false）。办公室、系统管理员和领导可见"
            "全部单位；各单位工作人员仅见本单位已发布的结果。"
        ),
        parameters=[
            OpenApiParameter(
                "year",
                int,
                OpenApiParameter.QUERY,
                required=True,
                description="考核年度，如 2022。",
            )
        ],
        responses={
            200: AssessmentSerializer,
            400: OpenApiResponse(ErrorSerializer, description="year 缺失或不是有效的年度。"),
            401: OpenApiResponse(ErrorSerializer, description="未登录。"),
            403: OpenApiResponse(ErrorSerializer, description="无权查看督查考核结果。"),
        },
    )
    def get(self, request: AuthedApiRequest) -> Response:
        if not can_see(request.user):
            raise NotPermittedError("无权查看督查考核结果。")
        year = parse_year(request.query_params.get("year"))
        data: dict[str, Any]
        if can_see_all(request.user):
            data = assessment_for(year)
        else:
            publication = publication_for(year)
            data = {
                "year": year,
                "published": publication is not None,
                "publication": publication,
                "rules": publication.rules if publication else None,
                "as_of": publication.as_of if publication else None,
                "rows": publication.rows if publication else [],
            }
        publication = data["publication"]
        rules = data["rules"]
        return Response(
            {
                "year": year,
                "published": data["published"],
                "published_at": publication.published_at if publication else None,
                "as_of": data["as_of"],
                "rules": rules.as_dict() if hasattr(rules, "as_dict") else rules,
                "units": visible_rows(request.user, data["rows"], published=data["published"]),
            }
        )
