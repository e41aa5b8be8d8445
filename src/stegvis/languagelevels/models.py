"""Language results: SFI courses, SAS grund and CEFR levels per skill, over time.

The ordered level scales
------------------------
"Improved at least one level" compares like with like (INDICATORS.md, "Language levels": there
is no official SFI↔CEFR mapping, so a CEFR level is its own assessed value and never derived
from an SFI course). There are six scales: the **Swedish scale** (SFI courses and SAS grund)
and one **CEFR scale per skill** (listening, reading, spoken interaction, spoken production,
writing). Results on different scales are never compared.

Swedish scale, from the SFI course and whether it is passed (grades A–E, or G since the
pass/fail grades; F and IG are not passed; no grade = studying the course, not graded yet):

=====  ================================================  =====================
level  meaning                                           results at this level
=====  ================================================  =====================
0      before SFI A                                      course A not passed
1      SFI A passed                                      A passed; B not passed
2      SFI B passed                                      B passed; C not passed
3      SFI C passed                                      C passed; D not passed
4      SFI D passed                                      D passed; SAS not passed
5      SAS grund passed                                  SAS grund passed
=====  ================================================  =====================

A result that is not passed places the participant at the level *below* its course: being
placed in (or failing) course C means the entry assessment put them past B but C is not yet
reached. So a grade F never counts as passing its course, and "placed in C" followed by
"C passed" is one level up — which is how the Lerum final report counts it ("gått vidare
(fått betyg) i en eller flera nivåer på SFI"). The study path (1: A–D, 2: B–D, 3: C–D) only
decides which courses exist; a change of study path does not change the level.

CEFR scales: pre-A1 = 0, A1 = 1, A2 = 2, B1 = 3, B2 = 4, C1 = 5, C2 = 6, one scale per skill.

Results the participant reported themselves are kept and shown, but do not count for levels
(the funder asks for an assessed level). The computation is in ``selectors.py``
(``language_progress``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stegvis.participants.models import Enrollment


class ResultKind(models.TextChoices):
    SFI = "sfi_course", _("SFI course")
    SAS = "sas", _("SAS grund (Swedish as a second language, basic level)")
    CEFR = "cefr", _("CEFR level in one skill")


class StudyPath(models.IntegerChoices):
    PATH_1 = 1, _("Study path 1")
    PATH_2 = 2, _("Study path 2")
    PATH_3 = 3, _("Study path 3")


class SfiCourse(models.TextChoices):
    A = "A", _("Course A")
    B = "B", _("Course B")
    C = "C", _("Course C")
    D = "D", _("Course D")


# The courses each study path has (Skolverket: path 1 A–D, path 2 B–D, path 3 C–D).
COURSES_OF_PATH: dict[int, tuple[str, ...]] = {
    1: ("A", "B", "C", "D"),
    2: ("B", "C", "D"),
    3: ("C", "D"),
}


class Grade(models.TextChoices):
    """A–F (E lowest pass, F not passed), and the pass/fail grades G / IG. Both are accepted
    (INDICATORS.md); no grade means the participant studies the course, not graded yet."""

    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"
    E = "E", "E"
    F = "F", _("F (not passed)")
    PASS = "G", _("G (pass)")
    FAIL = "IG", _("IG (not passed)")


PASSING_GRADES = ("A", "B", "C", "D", "E", "G")
NOT_PASSED_GRADES = ("F", "IG")


class Skill(models.TextChoices):
    LISTENING = "listening", _("Listening")
    READING = "reading", _("Reading")
    SPOKEN_INTERACTION = "spoken_interaction", _("Spoken interaction")
    SPOKEN_PRODUCTION = "spoken_production", _("Spoken production")
    WRITING = "writing", _("Writing")


class CefrLevel(models.TextChoices):
    PRE_A1 = "preA1", _("Pre-A1")
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"


CEFR_RANK = {level: rank for rank, level in enumerate(CefrLevel.values)}
SFI_RANK = {"A": 1, "B": 2, "C": 3, "D": 4}
SAS_RANK = 5

# Labels of the Swedish scale, for tables and the chart.
SWEDISH_LEVELS = (
    _("Before SFI A"),
    _("SFI A"),
    _("SFI B"),
    _("SFI C"),
    _("SFI D"),
    _("SAS grund"),
)
SWEDISH_SCALE = "swedish"


class Source(models.TextChoices):
    SCHOOL_RESULT = "school_result", _("School result (grade or national test)")
    TEACHER_ASSESSMENT = "teacher_assessment", _("Teacher's assessment")
    SELF_REPORTED = "self_reported", _("Reported by the participant")


def level_of(kind: str, course: str = "", grade: str = "", cefr_level: str = "") -> int | None:
    """A result's level on its scale (the module docstring); Python twin of ``LEVEL``."""
    passed = grade in PASSING_GRADES
    if kind == ResultKind.SFI:
        return SFI_RANK[course] - (0 if passed else 1) if course in SFI_RANK else None
    if kind == ResultKind.SAS:
        return SAS_RANK if passed else SAS_RANK - 1
    if kind == ResultKind.CEFR:
        return CEFR_RANK.get(cefr_level)
    return None


def scale_of(kind: str, skill: str = "") -> str:
    return f"cefr:{skill}" if kind == ResultKind.CEFR else SWEDISH_SCALE


_PASSED = Q(grade__in=PASSING_GRADES)
# A result's level on its scale, in the database (the same rule as ``level_of``).
LEVEL = Case(
    *[
        When(Q(kind=ResultKind.SFI, course=course) & _PASSED, then=Value(rank))
        for course, rank in SFI_RANK.items()
    ],
    *[
        When(kind=ResultKind.SFI, course=course, then=Value(rank - 1))
        for course, rank in SFI_RANK.items()
    ],
    When(Q(kind=ResultKind.SAS) & _PASSED, then=Value(SAS_RANK)),
    When(kind=ResultKind.SAS, then=Value(SAS_RANK - 1)),
    *[
        When(kind=ResultKind.CEFR, cefr_level=level, then=Value(rank))
        for level, rank in CEFR_RANK.items()
    ],
    output_field=IntegerField(),
)

RESULT_FIELDS = (
    "kind",
    "result_date",
    "study_path",
    "course",
    "grade",
    "skill",
    "cefr_level",
    "source",
    "note",
)


class LanguageResult(models.Model):
    """One language result of an enrollment: an SFI course grade, SAS grund, or a CEFR level in
    one skill, on a date, with where it comes from."""

    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.CASCADE,
        related_name="language_results",
        verbose_name=_("enrollment"),
    )
    kind = models.CharField(_("kind of result"), max_length=20, choices=ResultKind.choices)
    result_date = models.DateField(_("date of the result"))
    study_path = models.PositiveSmallIntegerField(
        _("study path"), choices=StudyPath.choices, null=True, blank=True
    )
    course = models.CharField(_("SFI course"), max_length=1, choices=SfiCourse.choices, blank=True)
    grade = models.CharField(_("grade"), max_length=2, choices=Grade.choices, blank=True)
    skill = models.CharField(_("skill"), max_length=20, choices=Skill.choices, blank=True)
    cefr_level = models.CharField(
        _("CEFR level"), max_length=5, choices=CefrLevel.choices, blank=True
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        ordering = ["result_date", "pk"]
        verbose_name = _("language result")
        verbose_name_plural = _("language results")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ResultKind.values), name="language_result_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(source__in=Source.values), name="language_result_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(grade="") | Q(grade__in=Grade.values),
                name="language_result_grade_valid",
            ),
            # Each kind has exactly its own fields.
            models.CheckConstraint(
                condition=(
                    Q(
                        kind=ResultKind.SFI,
                        skill="",
                        cefr_level="",
                        study_path__isnull=False,
                    )
                    & (
                        Q(study_path=1, course__in=COURSES_OF_PATH[1])
                        | Q(study_path=2, course__in=COURSES_OF_PATH[2])
                        | Q(study_path=3, course__in=COURSES_OF_PATH[3])
                    )
                )
                | Q(
                    kind=ResultKind.SAS,
                    study_path__isnull=True,
                    course="",
                    skill="",
                    cefr_level="",
                )
                | Q(
                    kind=ResultKind.CEFR,
                    study_path__isnull=True,
                    course="",
                    grade="",
                    skill__in=Skill.values,
                    cefr_level__in=CefrLevel.values,
                ),
                name="language_result_fields_of_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["enrollment", "result_date"], name="language_result_enr_date")
        ]

    def __str__(self) -> str:
        return f"{self.result_date} {self.kind} {self.course or self.skill} {self.grade}"

    @property
    def level(self) -> int | None:
        return level_of(self.kind, self.course, self.grade, self.cefr_level)

    @property
    def scale(self) -> str:
        return scale_of(self.kind, self.skill)

    @property
    def counted(self) -> bool:
        """Whether the result counts for levels (an assessment, not the participant's own
        report: see selectors.py)."""
        return self.source != Source.SELF_REPORTED

    @property
    def passed(self) -> bool:
        return self.grade in PASSING_GRADES

    @property
    def level_label(self) -> str:
        level = self.level
        if level is None:
            return "–"
        if self.kind == ResultKind.CEFR:
            return str(CefrLevel(self.cefr_level).label)
        return str(SWEDISH_LEVELS[level])
