"""Production's content negotiation (REST_FRAMEWORK["DEFAULT_CONTENT_NEGOTIATION_CLASS"]): the API
renders JSON only, and a browser asking for text/html gets the JSON rather than a 406.

Its own module, apart from hefei_ai_zone.api, for the reason hefei_ai_zone.throttling gives.
"""

from collections.abc import Iterable

from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request


class JsonFallbackNegotiation(DefaultContentNegotiation):
    def select_renderer(
        self,
        request: Request,
        renderers: Iterable[BaseRenderer],
        format_suffix: str | None = None,
    ) -> tuple[BaseRenderer, str]:
        renderers = list(renderers)
        try:
            chosen: tuple[BaseRenderer, str] = super().select_renderer(
                request, renderers, format_suffix
            )
        except exceptions.NotAcceptable:
            return renderers[0], renderers[0].media_type
        return chosen
