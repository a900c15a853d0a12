"""The QBR deck, built from the client review through one deck builder shared with the portfolio deck."""

from .slides import render_deck

__all__ = ["render_deck"]
