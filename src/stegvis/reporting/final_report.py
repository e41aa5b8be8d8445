"""The final report (slutrapport) of a partner or the whole programme, as PDF and DOCX.

The results section is filled in from data (``compute_indicators`` and the targets): enrollments
against the commitment, exits by reason with counts and shares, goal fulfilment per goal, and
progression (first against latest rating per dimension, by the progression app's rule). The
narrative sections are written by the coordinator in the app (``Narrative``). The same data
gives the same document: no dates of generation, fixed file metadata.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from stegvis.organisations.models import Partner, Programme

from .goals import Goal, goal_fulfilment, narratives_of
from .indicators import COUNT, IndicatorSet, compute_indicators
from .models import Section

FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Table:
    caption: str
    header: list[str]
    rows: list[list[str]]
    # Optional bars (label, percent 0-100) drawn under the table in the PDF.
    bars: tuple[tuple[str, Decimal], ...] = ()
    # Optional paired bars (label, first mean, latest mean, scale minimum, scale maximum).
    pairs: tuple[tuple[str, float, float, int, int], ...] = ()


@dataclass
class FinalReport:
    title: str
    subtitle: str
    # (heading, paragraphs, tables) in order; results first among the data sections.
    sections: list[tuple[str, list[str], list[Table]]] = field(default_factory=list)

    def text(self) -> str:
        """Plain text of the whole report (what the documents say)."""
        lines = [self.title, self.subtitle]
        for heading, paragraphs, tables in self.sections:
            lines.append(heading)
            lines.extend(paragraphs)
            for table in tables:
                lines.append(table.caption)
                lines.append(" | ".join(table.header))
                lines.extend(" | ".join(row) for row in table.rows)
        return "\n".join(lines)


def _pct(numerator: int | None, denominator: int) -> str:
    from .indicators import _share, round_share

    share = _share(numerator or 0, denominator) if numerator is not None else None
    rounded = round_share(share, 0)
    return "–" if rounded is None else f"{int(rounded)} %"


def _count(value: int | None) -> str:
    return "<5" if value is None else str(value)


def _goal_row(goal: Goal) -> list[str]:
    result = goal.result
    if result is None or result.numerator is None:
        if result is not None and not result.indicator.available:
            achieved = _("no data yet")
        else:
            achieved = "<5" if result is not None and result.suppressed else "–"
    elif goal.unit == COUNT:
        achieved = str(result.numerator)
        if goal.women_target is not None or goal.men_target is not None:
            achieved += " " + _("(women %(w)s, men %(m)s)") % {
                "w": _count(result.by_gender.get("woman")),
                "m": _count(result.by_gender.get("man")),
            }
    else:
        achieved = _("%(n)s of %(d)s (%(p)s)") % {
            "n": result.numerator,
            "d": result.denominator,
            "p": _pct(result.numerator, result.denominator),
        }
        if result.indicator.missing_text and result.missing != 0:
            # Missing data stays in the denominator and is said out loud.
            achieved += "; " + _("%(m)s %(what)s") % {
                "m": _count(result.missing),
                "what": result.indicator.missing_text,
            }
    status = (
        _("no data")
        if goal.met is None
        else (_("met") if goal.met else _("%(p)s %% of target") % {"p": goal.fulfilment})
    )
    title = f"{goal.label}: {goal.title}" if goal.label else goal.title
    target = goal.target_display
    if goal.women_target is not None or goal.men_target is not None:
        target += " " + _("(women %(w)s, men %(m)s)") % {
            "w": goal.women_target if goal.women_target is not None else "–",
            "m": goal.men_target if goal.men_target is not None else "–",
        }
    return [title, target, achieved, status]


def build_final_report(
    *, actor: Any, programme: Programme, partner: Partner | None = None
) -> FinalReport:
    """Raises ``indicators.NotAllowed`` when the actor may not see these numbers."""
    results: IndicatorSet = compute_indicators(actor=actor, programme=programme, partner=partner)
    goals = goal_fulfilment(programme=programme, partner=partner, results=results)
    texts = narratives_of(programme, partner)
    who = partner.organisation.name if partner else programme.name
    report = FinalReport(
        title=_("Final report: %(who)s") % {"who": who},
        subtitle=_("%(programme)s, %(start)s – %(end)s. %(fund)s %(ref)s")
        % {
            "programme": programme.name,
            "start": programme.start_date.isoformat(),
            "end": programme.end_date.isoformat(),
            "fund": programme.get_fund_display(),
            "ref": programme.funder_reference,
        },
    )
    placeholder = _("(To be written by the coordinator in Stegvis.)")

    def narrative(section: Section) -> None:
        text = texts.get(section.value, "").strip()
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()] or [placeholder]
        report.sections.append((str(section.label), paragraphs, []))

    narrative(Section.BACKGROUND)
    narrative(Section.WORK)

    # Results, from data.
    participants = results.get("participants")
    paragraphs = []
    committed = partner.committed_participants if partner else None
    if committed is None and partner is None:
        committed = sum(p.committed_participants or 0 for p in programme.partners.all()) or None
    if participants is not None:
        if committed:
            paragraphs.append(
                _(
                    "%(n)s participants were enrolled against a commitment of %(c)s "
                    "(%(p)s of the commitment)."
                )
                % {
                    "n": _count(participants.numerator),
                    "c": committed,
                    "p": _pct(participants.numerator, committed),
                }
            )
        else:
            paragraphs.append(
                _("%(n)s participants were enrolled.") % {"n": _count(participants.numerator)}
            )
        g = participants.by_gender
        paragraphs.append(
            _("Women %(w)s, men %(m)s, other %(o)s, not stated %(x)s.")
            % {
                "w": _count(g.get("woman")),
                "m": _count(g.get("man")),
                "o": _count(g.get("other")),
                "x": _count(g.get("not_stated")),
            }
        )
        if participants.excluded_ineligible or participants.excluded_unknown:
            paragraphs.append(
                _(
                    "Not counted: %(i)s enrollments of people who are not eligible and "
                    "%(u)s with eligibility unknown."
                )
                % {
                    "i": _count(participants.excluded_ineligible),
                    "u": _count(participants.excluded_unknown),
                }
            )
    exits_total = results.get("exits")
    tables = []
    if exits_total is not None and exits_total.numerator:
        total = exits_total.numerator
        rows = []
        for result in results:
            if result.code.startswith("exits.") and result.code != "exits.completed":
                members = [
                    r
                    for r in results
                    if r.code.startswith(f"exit.{result.code[6:]}.") and r.numerator != 0
                ]
                if result.numerator == 0:
                    continue
                rows.append(
                    [
                        str(result.indicator.title),
                        _count(result.numerator),
                        _pct(result.numerator, total),
                    ]
                )
                rows.extend(
                    [
                        f"– {r.indicator.title}",
                        _count(r.numerator),
                        _pct(r.numerator, total),
                    ]
                    for r in members
                )
        paragraphs.append(
            _("Of the %(n)s participants who left, by reason for leaving:") % {"n": total}
        )
        bars = tuple(
            (str(r.indicator.title), r.share or Decimal(0))
            for r in results
            if r.code.startswith("exits.")
            and r.code != "exits.completed"
            and r.numerator
            and r.share is not None
        )
        tables.append(
            Table(
                caption=_("Exits by reason (share of all exits)"),
                header=[_("Reason"), _("Exits"), _("Share")],
                rows=rows,
                bars=bars,
            )
        )
    if goals:
        tables.append(
            Table(
                caption=_("Goal fulfilment"),
                header=[_("Goal"), _("Target"), _("Result"), _("Status")],
                rows=[_goal_row(goal) for goal in goals],
            )
        )
    missing = [r for r in results if r.indicator.group in {"amif", "esf_plus"}]
    if missing:
        tables.append(
            Table(
                caption=_("Common indicators"),
                header=[_("Code"), _("Indicator"), _("Result"), _("Missing")],
                rows=[
                    [
                        r.code,
                        str(r.indicator.title),
                        _("no data yet")
                        if not r.indicator.available
                        else (
                            _count(r.numerator)
                            if r.indicator.unit == COUNT
                            else _("%(n)s of %(d)s (%(p)s)")
                            % {
                                "n": _count(r.numerator),
                                "d": r.denominator,
                                "p": _pct(r.numerator, r.denominator),
                            }
                        ),
                        _count(r.missing) if r.indicator.missing_text else "–",
                    ]
                    for r in missing
                ],
            )
        )
    report.sections.append((_("Results"), paragraphs, tables))
    progression_paragraphs, progression_tables = _progression(
        actor=actor, programme=programme, partner=partner
    )
    report.sections.append((_("Progression"), progression_paragraphs, progression_tables))
    narrative(Section.RESULTS)
    narrative(Section.LESSONS)
    narrative(Section.CONTINUATION)
    return report


def _progression(
    *, actor: Any, programme: Programme, partner: Partner | None
) -> tuple[list[str], list[Table]]:
    """First against latest rating per instrument and dimension, by the progression app's rule
    (``progression.selectors``: first and latest assessment of an instrument, compared on the
    dimensions both answered on the same scale). Same people as the indicators; three queries.
    """
    from stegvis.outcomes.models import ExitType
    from stegvis.progression.models import Assessment, InstrumentKind, InstrumentVersion
    from stegvis.progression.selectors import comparable_dimensions, dimension_label, rounds_for

    from .indicators import _base, _share
    from .selectors import SUPPRESSION_LIMIT

    base, record_access = _base(actor=actor, programme=programme, partner=partner, track=None)
    base = base.exclude(exit__exit_type=ExitType.ERRONEOUS)
    assessments = Assessment.objects.filter(
        enrollment__in=base,
        version__instrument__kind__in=[InstrumentKind.SELF_RATING, InstrumentKind.EMPLOYABILITY],
    )
    rounds = rounds_for(assessments)
    instrument_of = dict(
        InstrumentVersion.objects.filter(pk__in={r.version_id for r in rounds}).values_list(
            "pk", "instrument__name"
        )
    )
    per_person: dict[tuple[str, int], list[Any]] = {}
    for round_ in rounds:  # ordered by date, then id
        key = (instrument_of[round_.version_id], round_.enrollment_id)
        per_person.setdefault(key, []).append(round_)
    # (instrument, dimension, scale) -> [(first, latest), ...]
    pairs: dict[tuple[str, str, tuple[int, int]], list[tuple[float, float]]] = {}
    rated: dict[str, int] = {}
    once: dict[str, int] = {}
    for (instrument, _enrollment_id), own in sorted(per_person.items()):
        rated[instrument] = rated.get(instrument, 0) + 1
        if len(own) < 2:
            once[instrument] = once.get(instrument, 0) + 1
            continue
        first, latest = own[0], own[-1]
        for dimension in comparable_dimensions(first, latest):
            scale = first.dimensions[dimension][1]
            pairs.setdefault((instrument, dimension, scale), []).append(
                (first.dimensions[dimension][0], latest.dimensions[dimension][0])
            )

    def count(value: int) -> str:
        hidden = not record_access and 0 < value <= SUPPRESSION_LIMIT
        return "<5" if hidden else str(value)

    paragraphs = [
        _(
            "Each participant's first and latest rating of an instrument, compared on the "
            "dimensions both ratings answered on the same scale. Participants rated only once "
            "have no follow-up yet and are counted apart, never left out."
        )
    ]
    if not rated:
        paragraphs.append(_("No self-ratings have been recorded yet."))
        return paragraphs, []
    tables = []
    for instrument in sorted(rated):
        rows: list[list[str]] = []
        bars: list[tuple[str, Decimal]] = []
        chart: list[tuple[str, float, float, int, int]] = []
        for (name, dimension, scale), values in sorted(pairs.items()):
            if name != instrument:
                continue
            label = dimension_label(dimension)
            n = len(values)
            improved = sum(1 for before, after in values if after > before)
            if not record_access and n <= SUPPRESSION_LIMIT:
                rows.append([label, "<5", "–", "–", "–", "–"])
                continue
            before = sum(v[0] for v in values) / n
            after = sum(v[1] for v in values) / n
            rows.append(
                [
                    label,
                    str(n),
                    f"{before:.1f} ({scale[0]}–{scale[1]})",
                    f"{after:.1f}",
                    count(improved),
                    _pct(improved, n),
                ]
            )
            bars.append((label, _share(improved, n) or Decimal(0)))
            chart.append((label, before, after, scale[0], scale[1]))
        paragraphs.append(
            _("%(instrument)s: %(rated)s participants rated, %(once)s of them only once so far.")
            % {
                "instrument": instrument,
                "rated": count(rated[instrument]),
                "once": count(once.get(instrument, 0)),
            }
        )
        tables.append(
            Table(
                caption=_("Progression: %(instrument)s, first and latest rating")
                % {"instrument": instrument},
                header=[
                    _("Dimension"),
                    _("Compared"),
                    _("First (mean, scale)"),
                    _("Latest (mean)"),
                    _("Improved"),
                    _("Share improved"),
                ],
                rows=rows,
                bars=tuple(bars),
                pairs=tuple(chart),
            )
        )
    return paragraphs, tables


# ---------------------------------------------------------------------------------------------
# Rendering.


def fixed_zip(raw: bytes) -> bytes:
    """Rewrite an Office file's zip with fixed entry times (same data, same bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, src.read(item.filename))
    return out.getvalue()


def render_docx(report: FinalReport) -> bytes:
    import datetime

    from docx import Document

    document = Document()
    fixed = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
    props = document.core_properties
    props.author = "Stegvis"
    props.last_modified_by = "Stegvis"
    props.created = fixed
    props.modified = fixed
    props.last_printed = fixed
    props.revision = 1
    props.title = report.title
    document.add_heading(report.title, level=0)
    document.add_paragraph(report.subtitle)
    for heading, paragraphs, tables in report.sections:
        document.add_heading(heading, level=1)
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
        for table in tables:
            document.add_paragraph(table.caption, style="Caption")
            grid = document.add_table(rows=1, cols=len(table.header))
            grid.style = "Table Grid"
            for cell, text in zip(grid.rows[0].cells, table.header, strict=True):
                cell.text = text
            for row in table.rows:
                cells = grid.add_row().cells
                for cell, text in zip(cells, row, strict=True):
                    cell.text = text
    raw = io.BytesIO()
    document.save(raw)
    return fixed_zip(raw.getvalue())


FONT_DIR = "/usr/share/fonts/truetype/liberation"


def _fonts() -> tuple[str, str]:
    """Liberation Sans when installed (embedded), else the built-in Helvetica (Latin-1 covers
    å, ä and ö)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    regular = os.path.join(FONT_DIR, "LiberationSans-Regular.ttf")
    bold = os.path.join(FONT_DIR, "LiberationSans-Bold.ttf")
    if not (os.path.exists(regular) and os.path.exists(bold)):
        return "Helvetica", "Helvetica-Bold"
    try:
        if "StegvisSans" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("StegvisSans", regular))
            pdfmetrics.registerFont(TTFont("StegvisSans-Bold", bold))
    except Exception:  # a broken font file must not stop the report
        return "Helvetica", "Helvetica-Bold"
    return "StegvisSans", "StegvisSans-Bold"


def _bar_chart(bars: tuple[tuple[str, Decimal], ...], font: str) -> Any:
    """Horizontal bars, one per row, labelled with the percentage (the table has the counts)."""
    from reportlab.graphics.shapes import Drawing, Rect, String
    from reportlab.lib import colors

    from .indicators import round_share

    label_width, bar_width, row = 170.0, 260.0, 16.0
    drawing = Drawing(label_width + bar_width + 40, row * len(bars))
    for i, (label, percent) in enumerate(bars):
        y = row * (len(bars) - i - 1) + 3
        drawing.add(String(0, y + 2, label[:40], fontName=font, fontSize=8))
        drawing.add(
            Rect(
                label_width,
                y,
                bar_width,
                row - 6,
                fillColor=colors.HexColor("#f3f5f8"),
                strokeColor=None,
            )
        )
        drawing.add(
            Rect(
                label_width,
                y,
                bar_width * float(percent) / 100,
                row - 6,
                fillColor=colors.HexColor("#0b5394"),
                strokeColor=None,
            )
        )
        shown = round_share(percent, 0)
        drawing.add(
            String(label_width + bar_width + 4, y + 2, f"{shown} %", fontName=font, fontSize=8)
        )
    return drawing


def _pair_chart(pairs: tuple[tuple[str, float, float, int, int], ...], font: str) -> Any:
    """Per dimension two bars, first (light, dashed outline) and latest (dark) mean, drawn
    as the fraction of the scale; the numbers are in the table above."""
    from reportlab.graphics.shapes import Drawing, Rect, String
    from reportlab.lib import colors

    label_width, bar_width, bar, gap = 170.0, 260.0, 8.0, 8.0
    block = 2 * bar + gap
    drawing = Drawing(label_width + bar_width + 80, block * len(pairs) + 14)
    drawing.add(String(label_width, block * len(pairs) + 4, _("First"), fontName=font, fontSize=7))
    drawing.add(
        String(label_width + 60, block * len(pairs) + 4, _("Latest"), fontName=font, fontSize=7)
    )
    for i, (label, first, latest, low, high) in enumerate(pairs):
        y = block * (len(pairs) - i - 1) + gap / 2
        drawing.add(String(0, y + bar / 2, label[:40], fontName=font, fontSize=8))
        span = (high - low) or 1
        for j, (value, fill) in enumerate(((first, "#9fc5e8"), (latest, "#0b5394"))):
            top = y + bar * (1 - j)
            width = max(bar_width * (value - low) / span, 1.0)
            drawing.add(
                Rect(
                    label_width,
                    top,
                    width,
                    bar - 1,
                    fillColor=colors.HexColor(fill),
                    strokeColor=colors.HexColor("#0b5394") if j == 0 else None,
                    strokeDashArray=[2, 2] if j == 0 else None,
                    strokeWidth=0.5,
                )
            )
            drawing.add(
                String(
                    label_width + width + 4,
                    top + 1,
                    f"{value:.1f} / {high}",
                    fontName=font,
                    fontSize=7,
                )
            )
    return drawing


def render_pdf(report: FinalReport) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab import rl_config
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as PdfTable

    regular, bold = _fonts()
    styles = getSampleStyleSheet()
    for name in ("Normal", "Title", "Heading1", "Italic"):
        styles[name].fontName = bold if name in {"Title", "Heading1"} else regular
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        title=report.title,
        author="Stegvis",
        creator="Stegvis",
        producer="Stegvis",
        lang="sv",
    )
    story: list[Any] = [
        Paragraph(escape(report.title), styles["Title"]),
        Paragraph(escape(report.subtitle), styles["Normal"]),
        Spacer(1, 12),
    ]
    for heading, paragraphs, tables in report.sections:
        story.append(Paragraph(escape(heading), styles["Heading1"]))
        for paragraph in paragraphs:
            story.append(Paragraph(escape(paragraph), styles["Normal"]))
            story.append(Spacer(1, 6))
        for table in tables:
            story.append(Paragraph(escape(table.caption), styles["Italic"]))
            data = [
                [Paragraph(escape(c), styles["Normal"]) for c in row]
                for row in [table.header, *table.rows]
            ]
            grid = PdfTable(data, repeatRows=1, hAlign="LEFT")
            grid.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f5f8")),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            story.append(grid)
            if table.pairs:
                story.append(Spacer(1, 6))
                story.append(_pair_chart(table.pairs, regular))
            if table.bars:
                story.append(Spacer(1, 6))
                story.append(_bar_chart(table.bars, regular))
            story.append(Spacer(1, 12))
    # Fixed creation date and document id: the same data gives the same bytes.
    previous = rl_config.invariant
    rl_config.invariant = 1
    try:
        doc.build(story)
    finally:
        rl_config.invariant = previous
    return out.getvalue()
