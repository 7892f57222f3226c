from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = "单位与用户"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from hefei_ai_zone.middleware import session_touch_at_login
        from units import jobs  # noqa: F401  (connects the queueing of deliveries)
        from units.audit import signals as audit_signals
        from units.two_factor.middleware import second_factor_at_login

        audit_signals.connect()  # the audit log hears logins and every write

        # The idle timeout's clock starts at login (hefei_ai_zone.middleware.SessionIdleMiddleware).
        user_logged_in.connect(session_touch_at_login, dispatch_uid="session_touch_at_login")
        # Whether this login must give a second factor (units.two_factor.middleware).
        user_logged_in.connect(second_factor_at_login, dispatch_uid="second_factor_at_login")
