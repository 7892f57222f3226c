from rest_framework.routers import DefaultRouter

from demos.api import DemoProjectViewSet
from tasks.api import IndicatorViewSet, SectionViewSet, TaskViewSet
from units.api import UnitViewSet

router = DefaultRouter()
router.register("sections", SectionViewSet, basename="section")
router.register("tasks", TaskViewSet, basename="task")
router.register("units", UnitViewSet, basename="unit")
router.register("demos", DemoProjectViewSet, basename="demo")
router.register("indicators", IndicatorViewSet, basename="indicator")

urlpatterns = router.urls
