"""Errors of the review layer; the web app maps them to HTTP statuses (404 / 403 / 400 / 409)."""

from __future__ import annotations

from haizhi.pipeline.core.errors import HaizhiError


class ReviewError(HaizhiError):
    """A request the review layer refuses; the message is Chinese and shown to the user."""


class NotFound(ReviewError):
    pass


class PermissionDenied(ReviewError):
    pass


class Invalid(ReviewError):
    pass


class Conflict(ReviewError):
    pass
