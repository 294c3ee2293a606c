"""The HTTP API (Flask). `create_app(settings)` builds it; see docs/api.md for the routes."""

from api.app import create_app

__all__ = ["create_app"]
