"""The deck template contract: the slide layouts vcio builds from, by name, and their placeholders.

The QBR deck, the portfolio deck, the template check and tools/make_templates.py all read it from here, so a
rebranded template is checked against exactly what the renderers use.
"""

from __future__ import annotations

LAYOUT_TITLE = "vcio Title"
LAYOUT_SECTION = "vcio Section"
LAYOUT_CONTENT = "vcio Title and Content"
LAYOUT_TABLE = "vcio Title and Table"
LAYOUT_CHART = "vcio Title and Chart"
LAYOUT_TWO = "vcio Two Content"
LAYOUT_THREE = "vcio Three Content"
LAYOUT_CLOSING = "vcio Closing"
REQUIRED_LAYOUTS = {
    LAYOUT_TITLE: (0, 1, 13), LAYOUT_SECTION: (0, 1), LAYOUT_CONTENT: (0, 1), LAYOUT_TABLE: (0, 1, 13),
    LAYOUT_CHART: (0, 1, 13), LAYOUT_TWO: (0, 1, 2), LAYOUT_THREE: (0, 1, 2, 3, 13), LAYOUT_CLOSING: (0, 1, 13),
}
TAKEAWAY_IDX = 13
LOGO_IDX = 14
