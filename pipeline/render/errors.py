"""Errors the renderers raise for problems the MSP can fix (a customised template, a missing layout)."""

from __future__ import annotations


class TemplateError(Exception):
    """A document template is unusable: the message says what is wrong and how to fix it."""
