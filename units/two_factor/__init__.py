"""Two-factor authentication (两步验证): TOTP with django-otp, recovery codes as its static
tokens. Enrolment and its removal on the page 两步验证 (``/accounts/2fa/``), the login's second
step (``/accounts/2fa/verify/``), the holds of ``middleware.py``, the administrator's reset in the
user admin, the token endpoint's ``otp`` (``units/api.py``). No models of its own: django-otp's
``TOTPDevice`` and ``StaticDevice``."""
