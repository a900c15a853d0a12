"""vcio: quarterly technology roadmaps and QBR decks from MSP tool exports."""

__version__ = "0.1.0"
