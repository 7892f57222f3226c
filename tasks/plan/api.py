from django.db.models import QuerySet
from django_filters import rest_framework as filters
from rest_framework import viewsets

from tasks.plan.filters import TaskFilter
from tasks.plan.selectors import indicator_list, section_list, task_list
from tasks.plan.serializers import IndicatorSerializer, SectionSerializer, TaskSerializer


class SectionViewSet(viewsets.ReadOnlyModelViewSet):
    """任务板块（三、重点任务与四、保障措施下的各部分）及其条目。"""

    serializer_class = SectionSerializer
    filterset_fields = {"plan__code": ["exact"]}

    def get_queryset(self) -> QuerySet:
        return section_list()


class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    """附件1 主要任务分工：每行一个任务，含责任单位（首位为牵头单位）。

    筛选：section（板块 id）、unit（单位 id，含其所属单位集合承担的任务）、role（lead/co，与 unit
    合用）、search（关键词）、plan（方案代码）、requires_plan。分页：page、page_size（1–1000）。
    """

    serializer_class = TaskSerializer
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = TaskFilter

    def get_queryset(self) -> QuerySet:
        return task_list()


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    """二、主要目标中的量化指标及其年度（或累计）目标值。"""

    serializer_class = IndicatorSerializer
    filterset_fields = {"plan__code": ["exact"]}

    def get_queryset(self) -> QuerySet:
        return indicator_list()
