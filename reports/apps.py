from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "报表与导出"

    def ready(self) -> None:
        from . import signals

        signals.connect()
