"""The QBR deck's slides, told from the client review: the story first, the detail in the appendix.

Order: title; executive summary (where you stand, the worst risks, what it costs, the decisions today: a
business owner who sees only the first three slides knows the whole story); scorecard; business direction
(when goals are on record); what changed (from the second review); top risks; the quarter roadmap; proposals
for the next 90 days; budget; coming up; licences (when there is something to reclaim); decisions needed and
the decisions record; appendix (grouped findings, licences, data and method); closing.

A slide with nothing to show is left out; prompts for the presenter go to the speaker notes, never onto a
slide. Every number comes from the review and every cell is formatted by the review's wording.
"""

from __future__ import annotations

from ...review.build import top_risk_count
from ...review.model import NOT_ASSESSED, PARTLY, ClientReview
from ..palette import GRADE_COLOURS, SERIES_COLOURS, STATUS_COLOURS, category_colours
from .builder import (APPENDIX_PT, BODY_TABLE_PAGES, TABLE_PT, Deck, LAYOUT_CHART, LAYOUT_CLOSING, LAYOUT_CONTENT,
                      LAYOUT_SECTION, LAYOUT_TABLE, LAYOUT_THREE, LAYOUT_TITLE, LAYOUT_TWO, TAKEAWAY_IDX)

SEVERITY_COLOURS = {"critical": "red", "high": "red", "medium": "amber", "low": "green"}
ROADMAP_QUARTERS = 4  # quarters shown one by one on the roadmap slide; later ones are summed


def graded_cell(text: str, colour: str) -> dict:
    """A table cell filled with a grade colour, its text readable on it."""
    fill = GRADE_COLOURS.get(colour, GRADE_COLOURS["grey"])
    dark_text = colour in {"amber", "grey"}
    return {"text": text, "fill": fill, "color": "1F2933" if dark_text else "FFFFFF", "bold": True, "align": "ctr"}


def grade_text(grade) -> str:
    if grade.status == NOT_ASSESSED:
        return "Not assessed"
    text = f"{grade.colour.capitalize()} {grade.percent:.0f}%"
    return text + (" (partly assessed)" if grade.status == PARTLY else "")


def prepared_by(review: ClientReview) -> str:
    """ "Prepared by Priya Raman, Northwind MSP"; only what is known; empty when nothing is."""
    who = [part for part in (review.client.vcio, review.msp.name) if part]
    return f"Prepared by {', '.join(who)}" if who else ""


def render_deck(review: ClientReview, template) -> bytes:
    deck = Deck(template, footer=_footer(review), as_of=review.as_of)
    _title(deck, review)
    _executive_summary(deck, review)
    _scorecard(deck, review)
    _current_state(deck, review)
    _business_direction(deck, review)
    _changes(deck, review)
    _grade_trend(deck, review)
    _risks(deck, review)
    _roadmap(deck, review)
    _proposals(deck, review)
    _budget(deck, review)
    _coming_up(deck, review)
    _licences(deck, review)
    _decisions(deck, review)
    _decisions_record(deck, review)
    _appendix(deck, review)
    _closing(deck, review)
    return deck.save(review.as_of)


def _footer(review: ClientReview) -> str:
    return "  \u00b7  ".join(p for p in (review.msp.name, review.client.name, f"{review.quarter} business review") if p)


# ----------------------------------------------------------------------------- the story
def _title(deck: Deck, review: ClientReview) -> None:
    w = review.wording
    sources = _data_age(review)
    notes = (f"Welcome. This review covers {review.client.possessive} IT for {review.quarter}: where it stands, the "
             f"risks that matter, what they cost and the decisions we need today. Figures come from the exports "
             f"of {w.day(review.as_of)}." + (f" {sources}" if sources else ""))
    slide = deck.slide(LAYOUT_TITLE, review.review_name, notes)
    deck.text(slide, 1, [f"{review.client.name}  \u00b7  {review.quarter}"])
    lines = [line for line in (prepared_by(review), f"Data as of {w.day(review.as_of)}") if line]
    if sources:
        lines.append(sources)
    deck.text(slide, TAKEAWAY_IDX, lines)
    deck.logo(slide, review.msp.logo)


def _data_age(review: ClientReview) -> str:
    """ "Device data from Nov 18, 2026; Microsoft 365 data from Nov 20, 2026" when a source is days older than
    the review date."""
    w = review.wording
    old = [s for s in review.method.sources if s.observed and (review.as_of - s.observed).days > 3]
    if not old:
        return ""
    first = min(s.observed for s in old)
    return f"Some exports are older: the oldest is from {w.day(first)}"


def _executive_summary(deck: Deck, review: ClientReview) -> None:
    w = review.wording
    summary = review.summary
    goals_note = "" if review.goals else (
        " No business goals are on record: ask what IT must enable in the next 12 to 36 months (growth, "
        "compliance, remote work, cost) and add them to goals.csv for the next review.")
    notes = ("The whole story on one slide: status, the worst risks in plain words, the money and the decisions "
             "we need. The following slides give the detail." + goals_note)
    slide = deck.slide(LAYOUT_TWO, "Executive summary", notes)
    left = [summary.status, *[(line, 1) for line in summary.headline]]
    deck.text(slide, 1, left)
    right: list = []
    top = review.risks[:min(3, top_risk_count(review.risks))]
    if top:
        right.append("The worst risks")
        right += [(r.title, 1) for r in top]
    if review.decisions_needed:
        right.append("Decisions today")
        for d in review.decisions_needed[:4]:
            right.append((f"{d.title}: {d.money[0].lower()}{d.money[1:]}", 1))
        if len(review.decisions_needed) > 4:
            right.append((f"and {w.count(len(review.decisions_needed) - 4, 'more decision')}", 1))
    deck.text(slide, 2, right or ["No risks or decisions this quarter."])


def _scorecard(deck: Deck, review: ClientReview) -> None:
    w = review.wording
    first = review.changes.first_review
    header = ["Area", "Grade", "What it rests on"] if first else ["Area", "Grade", "Since last review",
                                                                  "What it rests on"]
    rows = []
    for grade in review.scorecard:
        basis = (f"{w.count(grade.assessed, _unit_word(grade.unit))} assessed" if grade.status != NOT_ASSESSED
                 else "")
        if grade.missing:
            missing = f"not checked: {w.join(list(grade.missing))}"
            basis = f"{basis}; {missing}" if basis else missing[0].upper() + missing[1:]
        row = [grade.label, graded_cell(grade_text(grade), grade.colour)]
        if not first:
            row.append(_trend(grade.delta))
        rows.append([*row, basis])
    provided = [c for c in review.coverage if c.provided]
    lacking = [c.label for c in review.coverage if not c.provided]
    takeaway = f"Data coverage: {len(provided)} of {len(review.coverage)} kinds of data provided"
    if lacking:
        takeaway += f"; missing: {w.join(lacking)}"
    notes = ("Walk the areas from worst to best and connect each amber or red grade to a risk later in the deck. "
             "An area without data reads 'Not assessed': say what export would let us grade it. " +
             review.method.grades)
    weights = [2.2, 2.8, 6.8] if first else [2.2, 2.8, 1.8, 5.6]
    align = ["l", "ctr", "l"] if first else ["l", "ctr", "ctr", "l"]
    deck.table_slides(LAYOUT_TABLE, "Scorecard", header, rows, weights, notes, takeaway, TABLE_PT + 2, align,
                      max_pages=1, min_row=int(0.6 * 914400))


def _current_state(deck: Deck, review: ClientReview) -> None:
    state = review.current_state
    panels = [("Support status", state.support_status), ("Device age", state.age_buckets),
              ("Warranty", state.warranty_status)]
    if not state.devices:
        return
    w = review.wording
    support = {c.label: c.count for c in state.support_status}
    warranty = {c.label: c.count for c in state.warranty_status}
    bits = [w.count(len(state.devices), "device")]
    if support.get("Unsupported"):
        bits.append(f"{support['Unsupported']} on an unsupported operating system")
    if warranty.get("Expired"):
        bits.append(f"{warranty['Expired']} out of warranty")
    notes = ("Point at the red bars first: each one is a risk later in the deck. Support status comes from each "
             "device's operating system and the lifecycle catalog; age from purchase or warranty start dates; "
             "warranty from the PSA, the RMM or a warranty lookup. " + review.method.catalog_note)
    slide = deck.slide(LAYOUT_THREE, "Current state", notes)
    deck.takeaway(slide, ", ".join(bits))
    for idx, (name, items) in enumerate(panels, start=1):
        if not items:
            deck.text(slide, idx, [f"{name}: not reported"])
            continue
        labels = [i.label for i in items]
        deck.chart(slide, idx, "bar", name, labels, {"Devices": [i.count for i in items]},
                   point_colours=[STATUS_COLOURS.get(label, SERIES_COLOURS[0]) for label in labels])


def _unit_word(unit: str) -> str:
    """ "devices and users" -> "item"; "devices" -> "device" (for counting with a plural)."""
    if " and " in unit:
        return "item"
    return unit[:-1] if unit.endswith("s") else unit


def _trend(delta: float | None) -> str:
    if delta is None:
        return ""
    if abs(delta) < 1:
        return "\u2192 no change"
    return f"\u25b2 +{delta:.0f} pts" if delta > 0 else f"\u25bc {delta:.0f} pts"


def _business_direction(deck: Deck, review: ClientReview) -> None:
    if not review.goals:
        return  # said once, in the executive summary's notes
    w = review.wording
    rows = []
    for goal in review.goals:
        when = " \u00b7 ".join(p for p in ((goal.priority or "").capitalize(), w.day(goal.target_date)) if p)
        rows.append([goal.goal, when, "\n".join(goal.initiatives) or "No initiative yet"])
    unaligned = [i for i in review.initiatives if not i.goal]
    notes = ("Start from the client's goals and show which initiative serves each. Ask whether the goals still "
             "hold." + (f" {w.count(len(unaligned), 'initiative')} serve no stated goal: ask whether one is "
                        "missing." if unaligned else ""))
    deck.table_slides(LAYOUT_TABLE, "Business direction", ["Business goal", "Priority \u00b7 target",
                                                           "Initiatives serving it"],
                      rows, [4, 2, 6], notes, f"{w.count(len(review.goals), 'goal')} on record",
                      max_pages=BODY_TABLE_PAGES, more_text="{n} more goals: see the roadmap.")


def _changes(deck: Deck, review: ClientReview) -> None:
    changes = review.changes
    if changes.first_review:
        return  # the executive summary says this is the baseline
    w = review.wording
    rows = [[c.status.replace("open", "still open").capitalize(), c.title, c.subject, c.severity.capitalize()]
            for c in (*changes.new, *changes.resolved)]
    notes = (f"{len(changes.new)} new, {len(changes.resolved)} resolved and {len(changes.still_open)} still open "
             f"since {changes.previous_quarter}. Celebrate what was resolved, then explain what is new.")
    if changes.completed_initiatives:
        notes += " Completed: " + "; ".join(changes.completed_initiatives) + "."
    if not rows:
        slide = deck.slide(LAYOUT_CONTENT, "What changed since last quarter", notes)
        deck.text(slide, 1, [changes.summary or "Nothing changed since the last review."])
        return
    deck.table_slides(LAYOUT_TABLE, "What changed since last quarter", ["Status", "Item", "Subject", "Severity"],
                      rows, [1.5, 5.6, 3.0, 1.4], notes, changes.summary, max_pages=BODY_TABLE_PAGES,
                      more_text=w.spell("{n} more changes: see the findings workbook."))


def _grade_trend(deck: Deck, review: ClientReview) -> None:
    trend = review.changes.trend
    if len(trend) < 2:
        return
    areas = [(g.area, g.label) for g in review.scorecard]
    quarters = [t["quarter"] for t in trend]
    series = {label: [t.get(area) for t in trend] for area, label in areas}
    moved = [f"{g.label} {g.delta:+.0f} pts" for g in review.scorecard if g.delta]
    slide = deck.slide(LAYOUT_CHART, "Scorecard trend",
                       "Grades per area over the last quarters (percent). A drop usually means new findings, a rise "
                       "resolved work. Right-click the chart and choose Edit Data for the numbers.")
    deck.takeaway(slide, "Since last quarter: " + (", ".join(moved) if moved else "no grade changed"))
    deck.chart(slide, 1, "line", "Grade by quarter (%)", quarters, series, legend=True, number_format="0")


def _risks(deck: Deck, review: ClientReview) -> None:
    top = review.risks[:top_risk_count(review.risks)]
    if not top:
        return
    w = review.wording
    rows = [[r.title, graded_cell(r.severity.capitalize(), SEVERITY_COLOURS[r.severity]), r.cost_of_inaction,
             "\n".join(r.mitigations) or "No initiative yet"] for r in top]
    notes = ("For each risk: which systems, what could happen to the business, and the initiative that removes it. "
             + review.method.risks + f" The full register of {w.count(len(review.risks), 'risk')} is in the roadmap.")
    deck.table_slides(LAYOUT_TABLE, "Top risks", ["Risk", "Severity", "What it could cost the business",
                                                  "What we will do"],
                      rows, [4.0, 1.3, 4.0, 3.4], notes,
                      f"The {w.count(len(top), 'worst risk')} of {w.count(len(review.risks), 'risk')} on the register",
                      align=["l", "ctr", "l", "l"], max_pages=BODY_TABLE_PAGES)


def _roadmap(deck: Deck, review: ClientReview) -> None:
    """The quarter roadmap: quarters across, one row per initiative, its spend (or its work) per quarter."""
    if not review.initiatives:
        return
    w = review.wording
    quarters = list(review.budget.quarters[:ROADMAP_QUARTERS])
    later = review.budget.quarters[ROADMAP_QUARTERS:]
    header = ["Initiative", *quarters, "Later", "Total"]
    rows = []
    for item in review.initiatives:
        spend = dict(item.schedule)
        cells = []
        for quarter in quarters:
            amount = spend.get(quarter, 0)
            active = item.target_quarter <= quarter <= item.last_quarter
            cells.append(_roadmap_cell(amount, active, item.severity, w))
        rest = sum(a for q, a in item.schedule if q in later or q > (later[-1] if later else quarters[-1]))
        late_active = item.last_quarter > quarters[-1]
        cells.append(_roadmap_cell(rest, late_active, item.severity, w))
        total = w.money(item.one_time_cost) if item.one_time_cost else (
            f"saves {w.money(item.annual_saving)}/yr" if item.annual_saving else "")
        rows.append([item.title, *cells, total])
    notes = ("Each initiative across the next quarters: a filled cell is a quarter with work, its amount the "
             "one-time spend planned then. " + review.method.money)
    takeaway = (f"Next 90 days ({review.next_quarter}): {w.money(review.budget.next_90_days_one_time)} one-time; "
                f"next 12 months: {w.money(review.budget.next_four_one_time)} one-time")
    deck.table_slides(LAYOUT_TABLE, "Roadmap", header, rows, [4.4, 1.4, 1.4, 1.4, 1.4, 1.3, 1.5], notes, takeaway,
                      align=["l", "ctr", "ctr", "ctr", "ctr", "ctr", "r"], max_pages=BODY_TABLE_PAGES)


_SHADES = {"critical": "F4C7C3", "high": "F8DDD9", "medium": "FBEBC5", "low": "DDEFE7"}


def _roadmap_cell(amount: float, active: bool, severity: str, w) -> dict | str:
    if not active and not amount:
        return ""
    return {"text": w.money(amount) if amount else "\u2713", "fill": _SHADES.get(severity, "E1E6EC"),
            "color": "1F2933", "bold": False, "align": "ctr"}


def _proposals(deck: Deck, review: ClientReview) -> None:
    items = review.next_90_days
    if not items:
        return
    w = review.wording
    quarter = review.next_quarter
    rows = []
    for item in items:
        spend = item.spend_in(quarter)
        total = w.money(item.one_time_cost) if item.one_time_cost else ""
        if item.phased:
            total += f" over {len([1 for _, a in item.schedule if a])} quarters"
        if item.annual_saving:
            total = (total + "; " if total else "") + f"saves {w.money(item.annual_saving)}/yr"
        rows.append([item.title, f"{item.summary} {_including(item, w)}".strip(), w.money(spend) if spend else "",
                     total, item.owner or ""])
    notes = ("The work we propose to start next quarter, each tied to a risk. Costs are planning estimates from "
             "our price list; quotes follow for what the client accepts. Owners are the client's, when goals.csv "
             "names one.")
    deck.table_slides(LAYOUT_TABLE, "Proposals for the next 90 days",
                      ["Initiative", "What it covers", f"In {quarter}", "In all", "Owner"], rows,
                      [3.4, 4.4, 1.4, 2.0, 1.6], notes,
                      f"{w.count(len(items), 'proposal')}: {w.money(review.budget.next_90_days_one_time)} one-time "
                      f"in {quarter}", align=["l", "l", "r", "r", "l"], max_pages=BODY_TABLE_PAGES)


def _including(item, w, limit: int = 3) -> str:
    """ "Includes GRM-ERP01, GRM-FS01 and 1 more.": the systems behind an initiative, named; people's accounts
    are counted, never named on a slide ("and 11 user accounts")."""
    names = [i.subject for i in item.items if i.kind != "user"]
    users = sum(1 for i in item.items if i.kind == "user")
    if not users and (not names or len(names) == 1 and names[0] in item.title):
        return ""
    if len(names) > limit + 1:
        names = [*names[:limit], f"{len(names) - limit} more"]
    if users:
        names.append(w.count(users, "user account"))
    return f"Includes {w.join(names)}."


def _budget(deck: Deck, review: ClientReview) -> None:
    budget = review.budget
    if not any(budget.totals):
        return
    w = review.wording
    labels = list(budget.fiscal_labels) if review.client.fiscal_year_start != 1 else list(budget.quarters)
    categories = [f"{label}\n{w.money(total)}" for label, total in zip(labels, budget.totals)]
    series = {line.category: list(line.amounts) for line in budget.lines if any(line.amounts)}
    fiscal = "; ".join(f"{label} {w.money(total)}" for label, total in budget.fiscal_years)
    notes = (f"One-time hardware and projects, plus what the client already pays for licences and agreements, "
             f"quarter by quarter; the first four quarters are the next 12 months. By fiscal year: {fiscal}. "
             + review.method.money + " Right-click the chart and choose Edit Data for the numbers.")
    slide = deck.slide(LAYOUT_CHART, "Budget forecast", notes)
    line = (f"Next 12 months: {w.money(budget.next_four_total)} ({w.money(budget.next_four_one_time)} one-time, "
            f"{w.money(budget.next_four_recurring)} recurring)")
    if budget.annual_savings:
        line += w.spell(f"  \u00b7  licence savings of {w.money(budget.annual_savings)} a year not deducted")
    deck.takeaway(slide, line)
    symbol = w.currency_symbol
    deck.chart(slide, 1, "stacked", f"Forecast by quarter ({review.currency})", categories, series, legend=True,
               number_format=f'"{symbol}"#,##0' if symbol else "#,##0", emphasise_first=4,
               colours=category_colours(series))


def _coming_up(deck: Deck, review: ClientReview) -> None:
    items = review.coming_up
    if not items:
        return
    w = review.wording
    rows = [[w.day(i.first), i.text, i.kind, f"{w.money(i.annual_value)}/yr" if i.annual_value else ""]
            for i in items]
    deck.table_slides(LAYOUT_TABLE, "Coming up in the next two quarters", ["Date", "What", "Type", "Value"], rows,
                      [1.6, 6.4, 1.8, 1.6],
                      "Renewals, commitments, ends of support and warranty dates before the end of the next two "
                      "quarters, so nothing surprises the client.",
                      f"{w.count(len(items), 'date')} to plan for", align=["l", "l", "l", "r"],
                      max_pages=BODY_TABLE_PAGES, more_text="{n} more dates: see the roadmap.")


def _licences(deck: Deck, review: ClientReview) -> None:
    cleanup = next((i for i in review.initiatives if i.kind == "licence_cleanup"), None)
    if cleanup is None:
        return
    w = review.wording
    groups = [g for g in review.finding_groups if g.category == "license_waste"]
    rows = [[g.text, str(g.count), w.money(g.annual) if g.annual else ""] for g in groups]
    notes = w.spell("Seats bought but unused, and licences on blocked or inactive accounts. Annual commitments "
                    "(NCE) can only be reduced at their end date, so act before it. Confirm each inactive user "
                    "with the client before removing a licence.")
    when = f": {cleanup.timing}" if cleanup.timing else ""
    deck.table_slides(LAYOUT_TABLE, w.spell("Licence savings"), ["What to reclaim", "Items", "Saving a year"],
                      rows, [8.8, 1.2, 1.8], notes,
                      f"{w.money(cleanup.annual_saving)} a year to reclaim{when}", align=["l", "l", "r"],
                      max_pages=BODY_TABLE_PAGES, more_text=w.spell("{n} more items: see the findings workbook."))


def _decisions(deck: Deck, review: ClientReview) -> None:
    items = review.decisions_needed
    if not items:
        return
    w = review.wording
    rows = [[str(n), d.title, d.why, d.money, d.owner or "", "Accept / defer / decline"]
            for n, d in enumerate(items, start=1)]
    notes = ("Ask for a decision on each: accept, defer (to a quarter) or decline. A declined recommendation stays "
             "on the roadmap with its risk and comes back at the next review.")
    deck.table_slides(LAYOUT_TABLE, "Decisions needed today", ["#", "Proposal", "Why now", "Cost or saving",
                                                               "Owner", "Decision"],
                      rows, [0.5, 3.7, 2.9, 2.4, 1.4, 2.0], notes,
                      f"{w.count(len(items), 'decision')}, most urgent first", align=["r", "l", "l", "r", "l", "l"],
                      max_pages=BODY_TABLE_PAGES)


def _decisions_record(deck: Deck, review: ClientReview) -> None:
    if not review.decisions:
        return
    w = review.wording
    rows = []
    for d in review.decisions:
        when = ", ".join(p for p in (w.day(d.decided_on), d.decided_by or "") if p)
        detail = d.risk_of_inaction if d.decision == "declined" else d.status
        rows.append([d.decision.capitalize(), d.title, when, detail])
    deck.table_slides(LAYOUT_TABLE, "Decisions record", ["Decision", "Item", "Decided", "Risk accepted or status"],
                      rows, [1.3, 4.2, 2.2, 4.6],
                      "Earlier decisions: declined items stay visible with the risk the client accepted; deferred "
                      "ones come back in the quarter agreed.", "Earlier decisions and where they stand",
                      max_pages=BODY_TABLE_PAGES)


# ----------------------------------------------------------------------------- appendix and close
def _appendix(deck: Deck, review: ClientReview) -> None:
    w = review.wording
    slide = deck.slide(LAYOUT_SECTION, "Appendix", "Reference material: use it if the client asks for detail.")
    deck.text(slide, 1, ["The findings behind the numbers, and how they were measured"])
    if review.finding_groups:
        rows = [[g.text, str(g.count), w.money(g.one_time) if g.one_time else "",
                 f"{w.money(g.annual)}/yr" if g.annual else "", g.initiative]
                for g in review.finding_groups]
        deck.table_slides(LAYOUT_TABLE, "Appendix: findings", ["Finding", "Count", "One-time", "Yearly",
                                                               "Initiative"],
                          rows, [5.2, 0.9, 1.3, 1.3, 3.7],
                          "Every finding, one line per kind. The findings workbook lists each device and user.",
                          f"{w.count(review.summary.findings, 'finding')} in "
                          f"{w.count(len(review.finding_groups), 'group')}; every row is in the findings workbook",
                          APPENDIX_PT, ["l", "r", "r", "r", "l"])
    licences = [row for row in review.current_state.licences if row.purchased or row.assigned]
    if licences:
        rows = [[row.product, _number(row.purchased), str(row.assigned), _number(row.spare),
                 w.money_exact(row.monthly_price)] for row in licences]
        deck.table_slides(LAYOUT_TABLE, w.spell("Appendix: licences"), ["Product", "Purchased", "Assigned", "Spare",
                                                                        "Price a month"],
                          rows, [5.0, 1.5, 1.5, 1.2, 1.6],
                          "Seats purchased (distributor) against seats assigned (Microsoft 365).",
                          w.spell(f"{w.count(len(licences), 'product')}; also in the findings workbook"),
                          APPENDIX_PT, ["l", "r", "r", "r", "r"])
    rows = [[c.label, "Provided" if c.provided else "Not provided", c.detail] for c in review.coverage]
    rows += [[s.tool, w.day(s.observed) if s.observed else "", f"{s.file}: {w.count(s.accepted, 'row')} used"]
             for s in review.method.sources]
    deck.table_slides(LAYOUT_TABLE, "Appendix: data and method", ["Data", "Status or date", "Detail"], rows,
                      [3.6, 2.0, 6.8], " ".join([review.method.catalog_note, *review.method.thresholds]),
                      review.method.catalog_note or "What the review rests on", APPENDIX_PT, ["l", "l", "l"])


def _number(value: int | None) -> str:
    return "" if value is None else str(value)


def _closing(deck: Deck, review: ClientReview) -> None:
    notes = (f"Close by confirming the decisions and their owners, and book the {review.next_review} review. The "
             "Word roadmap and the findings workbook go to the client after this meeting.")
    slide = deck.slide(LAYOUT_CLOSING, "Questions and next steps", notes)
    deck.text(slide, 1, ["Confirm the decisions and owners agreed today",
                         "We send the updated roadmap and the findings workbook",
                         f"Next review: {review.next_review}"])
    contact = [", ".join(p for p in (review.client.vcio, review.msp.name) if p), review.msp.contact or ""]
    deck.text(slide, TAKEAWAY_IDX, [line for line in contact if line])
    deck.logo(slide, review.msp.logo)

