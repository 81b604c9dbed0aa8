"""Compression of pages: HTML (and JSON) answers are gzipped; static files are already
compressed by WhiteNoise, and downloads and exports (files, CSV streams) are left as
they are.

BREACH: a compressed page that holds a secret and reflects what the visitor sent can
leak the secret byte by byte through the compressed size. Django's defences are on:
the CSRF token in a page is masked with a fresh random value on every response (the
secret never repeats in the body), and GZipMiddleware pads each response with random
bytes ("Heal The Breach", Django 4.2+). Session cookies and API tokens are never in a
body. So pages with forms are compressed too: they are most of the product's pages.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

COMPRESSED_TYPES = ("text/html", "application/json", "text/plain")


class PageGZipMiddleware(GZipMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        content_type = response.get("Content-Type", "")
        if response.streaming or not content_type.startswith(COMPRESSED_TYPES):
            return response
        return super().process_response(request, response)
