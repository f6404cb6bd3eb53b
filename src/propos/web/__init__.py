"""The web interface and HTTP API over a propos database (``propos serve``).

``create_app(db_path, allow_store=False)`` builds the app: pages for people (search, speaker,
article, try-it, corpus figures) and a JSON API under ``/api/`` described by OpenAPI at
``/api/openapi.json``. See docs/web.md.
"""

from .app import create_app

__all__ = ["create_app"]
