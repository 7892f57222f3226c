from importlib import import_module

from django.apps import AppConfig

# The modules that register a kind of document (reports.documents.registry) at import time.
BUILDER_MODULES: tuple[str, ...] = (
    # one line per module that calls registry.register(...)
    "reports.documents.supervision_order",
    "reports.documents.directive_order",
    "reports.documents.report",
    "reports.bulletins.builder",
    "reports.annual.builders",
    "reports.assessment.red_yellow",
)


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "报表与导出"

    def ready(self) -> None:
        from . import (
            jobs,  # noqa: F401  (connects the queueing of document builds)
            signals,
        )

        signals.connect()
        for module in BUILDER_MODULES:
            import_module(module)
