"""The house palette (hex without '#'), shared by the deck's and the roadmap's charts, tables and grades.

Every series has its own lightness (and, in pictures, a hatch), so charts still read printed in greyscale.
"""

from __future__ import annotations

NAVY = "1B2A41"
INK = "1F2933"
SLATE = "5B6B7F"
GRID = "E1E6EC"
SERIES_COLOURS = ["1F3A5F", "1A9E8F", "A9B4C2", "5B6B7F", "D98E2B", "145C56"]  # dark, mid, light, ... in greyscale
SERIES_HATCHES = ["", "//", "..", "xx", "\\\\", "++"]
GRADE_COLOURS = {"green": "2E7D5B", "amber": "E0A526", "red": "C0392B", "grey": "A0AAB8"}
STATUS_COLOURS = {
    # support status
    "Supported": GRADE_COLOURS["green"], "Supported (newer than the catalog)": GRADE_COLOURS["green"],
    "Ends within 12 months": GRADE_COLOURS["amber"],
    "Unsupported": GRADE_COLOURS["red"], "Unknown": GRADE_COLOURS["grey"], "Not reported": GRADE_COLOURS["grey"],
    # warranty
    "In warranty": GRADE_COLOURS["green"], "Expires within 90 days": GRADE_COLOURS["amber"],
    "Expired": GRADE_COLOURS["red"],
    # device age: older is worse
    "< 2 years": "1A9E8F", "2-4 years": "1F3A5F", "4-6 years": GRADE_COLOURS["amber"],
    "6+ years": GRADE_COLOURS["red"],
}
STATUS_HATCHES = {"Supported": "", "In warranty": "", "Ends within 12 months": "//", "Expires within 90 days": "//",
                  "Unsupported": "xx", "Expired": "xx", "Unknown": "..", "Not reported": ".."}
PHASE_STYLE = {"0-6 months": ("1F3A5F", ""), "6-18 months": ("1A9E8F", "//"), "18-36 months": ("A9B4C2", "..")}

# One colour per budget category, whichever categories a client has, in the deck and the roadmap alike
# Contracts take the warm colour: the slate would fade into the Licensing grey in the later quarters.
CATEGORY_COLOURS = {"Hardware": SERIES_COLOURS[0], "Projects": SERIES_COLOURS[1], "Licensing": SERIES_COLOURS[2],
                    "Contracts": SERIES_COLOURS[4]}


def category_colours(names) -> list[str]:
    return [CATEGORY_COLOURS.get(name, SERIES_COLOURS[3]) for name in names]
