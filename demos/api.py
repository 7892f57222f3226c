from django.db.models import QuerySet
from rest_framework import viewsets

from .selectors import demo_list
from .serializers import DemoProjectSerializer


class DemoProjectViewSet(viewsets.ReadOnlyModelViewSet):
    """附件2 示范工程：领域、名称、依托单位、建设周期、责任单位（首位牵头）及对应任务。"""

    serializer_class = DemoProjectSerializer
    filterset_fields = {"plan__code": ["exact"], "field": ["exact"]}

    def get_queryset(self) -> QuerySet:
        return demo_list()
