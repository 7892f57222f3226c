"""The API's default throttle (REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]).

Its own module, apart from hefei_ai_zone.api: DRF's APIView reads the throttle classes when it is
defined, and hefei_ai_zone.api imports DRF's views, so a class named there would be imported
while that module is half-loaded.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle


class AnonThrottle(AnonRateThrottle):
    """Calls without credentials, per client address (DEFAULT_THROTTLE_RATES["anon"]), the rate
    read at each request (DRF's own reads it once, at import)."""

    def get_rate(self) -> str | None:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope or "")
        return None if rate is None else str(rate)
