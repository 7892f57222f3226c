from django.db.models import QuerySet
from rest_framework import viewsets

from .selectors import unit_list
from .serializers import UnitSerializer


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    """责任单位与单位集合（kind 为 group，如“各县（市）区政府”，members 为其成员单位）。"""

    serializer_class = UnitSerializer
    filterset_fields = ["kind"]

    def get_queryset(self) -> QuerySet:
        return unit_list()
