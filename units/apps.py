from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = "单位与用户"

    def ready(self) -> None:
        from units import jobs  # noqa: F401  (connects the queueing of deliveries)
