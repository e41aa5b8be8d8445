"""Staff pages: a participant's assessments and radar chart, staff-assisted rating, one-time
links with a QR code, measurements due, cohort progression, instruments and recordings.
Thin: fetch through the access layer, parse with a form, call a service or selector."""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from stegvis.access.models import Part
from stegvis.access.policy import get_for_actor, is_own, log_read
from stegvis.access.scope import scope_for
from stegvis.participants.models import Enrollment

from . import flow, selectors, services
from .forms import AssistedStartForm, AudioForm, CohortForm, LinkForm
from .models import Assessment, Instrument, InstrumentVersion, ItemAudio, ItemKind, SelfServiceLink


def _enrollment(request: HttpRequest, pk: int, *, own: bool = False) -> Enrollment:
    """The enrollment's assessments part, or 404 (the same for missing and not yours)."""
    enrollment = get_for_actor(
        Enrollment, actor=request.user, pk=pk, part=Part.ASSESSMENTS, log=False
    )
    if own and not is_own(request.user, enrollment):
        raise Http404
    log_read(actor=request.user, obj=enrollment, part=Part.ASSESSMENTS)
    return enrollment


def _header(enrollment: Enrollment) -> dict[str, Any]:
    return {"enrollment": enrollment, "participant": enrollment.participant}


def assessments(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = _enrollment(request, pk)
    own = is_own(request.user, enrollment)
    return render(
        request,
        "progression/assessments.html",
        {
            **_header(enrollment),
            "assessments": selectors.assessments_of(enrollment),
            "charts": selectors.radar_charts(enrollment),
            "links": selectors.open_links_of(enrollment) if own else [],
            "can_assess": own,
        },
    )


def assessment_detail(request: HttpRequest, pk: int, assessment_id: int) -> HttpResponse:
    enrollment = _enrollment(request, pk)
    assessment = get_for_actor(
        Assessment, actor=request.user, pk=assessment_id, part=Part.ASSESSMENTS, log=False
    )
    if assessment.enrollment_id != enrollment.pk:
        raise Http404
    answers = {a.item_id: a for a in assessment.answers.all()}
    rows = []
    for item in flow.items_of(assessment.version):
        question = flow.question([item], 1, "en" if request.LANGUAGE_CODE == "en" else "sv")
        answer = answers.get(item.pk)
        value: Any = None
        if answer is not None:
            value = answer.text if item.kind == ItemKind.TEXT else answer.value
        rows.append(
            (question, flow.answer_label(question, value, {"not_answered": _("No answer")}))
        )
    return render(
        request,
        "progression/assessment_detail.html",
        {**_header(enrollment), "assessment": assessment, "rows": rows},
    )


# --- Staff-assisted mode ---------------------------------------------------------------------


def _assisted_state(request: HttpRequest, enrollment: Enrollment) -> flow.FlowState:
    return flow.FlowState(request.session, f"progression-assisted-{enrollment.pk}")


def assisted_start(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = _enrollment(request, pk, own=True)
    form = AssistedStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _assisted_state(request, enrollment).start(
            version=form.cleaned_data["version"].pk,
            point=form.cleaned_data["point"],
            language=form.cleaned_data["language"],
            interpreter_used=form.cleaned_data["interpreter_used"],
        )
        return redirect("progression:assisted_question", pk=enrollment.pk, number=1)
    return render(request, "progression/assisted_start.html", {**_header(enrollment), "form": form})


def _assisted_version(
    request: HttpRequest, enrollment: Enrollment
) -> tuple[flow.FlowState, InstrumentVersion]:
    state = _assisted_state(request, enrollment)
    version = InstrumentVersion.objects.filter(pk=state.data.get("version") or 0).first()
    if version is None:
        raise Http404
    return state, version


def assisted_question(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    enrollment = _enrollment(request, pk, own=True)
    state, version = _assisted_version(request, enrollment)
    items = flow.items_of(version)
    if not 1 <= number <= len(items):
        raise Http404
    language = state.data["language"]
    question = flow.question(items, number, language)
    error = ""
    if request.method == "POST":
        if "back" in request.POST:
            return _go(request, enrollment, number - 1)
        valid, value = flow.parse_answer(question.item, request.POST)
        if valid:
            state.answer(question.item.code, value)
            return _go(request, enrollment, number + 1, total=len(items))
        error = str(flow.texts_for(language)["choose_answer"])
    return render(
        request,
        "progression/assisted_question.html",
        {
            **_header(enrollment),
            **flow.question_context(question, state.data, language),
            "error": error,
            "audio_url": reverse("progression:audio", args=[question.audio_id])
            if question.audio_id
            else "",
        },
    )


def _go(
    request: HttpRequest, enrollment: Enrollment, number: int, total: int | None = None
) -> HttpResponse:
    if number < 1:
        return redirect("progression:assisted_start", pk=enrollment.pk)
    if total is not None and number > total:
        return redirect("progression:assisted_review", pk=enrollment.pk)
    return redirect("progression:assisted_question", pk=enrollment.pk, number=number)


def assisted_review(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = _enrollment(request, pk, own=True)
    state, version = _assisted_version(request, enrollment)
    data = state.data
    language = data["language"]
    if request.method == "POST":
        try:
            services.assessment_record_assisted(
                actor=request.user,
                enrollment=enrollment,
                version=version,
                point=data["point"],
                language=language,
                answers=data.get("answers", {}),
                interpreter_used=bool(data.get("interpreter_used")),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            state.clear()
            messages.success(request, _("The assessment was saved."))
            return redirect("progression:assessments", pk=enrollment.pk)
    items = flow.items_of(version)
    texts = flow.texts_for(language)
    answers = data.get("answers", {})
    rows = []
    for number in range(1, len(items) + 1):
        question = flow.question(items, number, language)
        rows.append((question, flow.answer_label(question, answers.get(question.item.code), texts)))
    return render(
        request,
        "progression/assisted_review.html",
        {**_header(enrollment), **flow.page_context(language), "rows": rows, "version": version},
    )


# --- One-time links --------------------------------------------------------------------------


def link_create(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = _enrollment(request, pk, own=True)
    form = LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            link, token = services.link_create(
                actor=request.user, enrollment=enrollment, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            url = request.build_absolute_uri(reverse("selfservice:open", args=[token]))
            qr = segno.make(url, error="m").svg_inline(scale=5, title=_("QR code of the link"))
            # The token exists only in this response: it is not stored and cannot be shown again.
            return render(
                request,
                "progression/link_created.html",
                {**_header(enrollment), "link": link, "url": url, "qr": mark_safe(qr)},  # noqa: S308
            )
    return render(request, "progression/link_create.html", {**_header(enrollment), "form": form})


def link_revoke(request: HttpRequest, pk: int, link_id: int) -> HttpResponse:
    enrollment = _enrollment(request, pk, own=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    link = SelfServiceLink.objects.filter(pk=link_id, enrollment=enrollment).first()
    if link is None:
        raise Http404
    services.link_revoke(actor=request.user, link=link)
    messages.success(request, _("The link was closed."))
    return redirect("progression:assessments", pk=enrollment.pk)


# --- Lists and charts ------------------------------------------------------------------------


def measurements_due(request: HttpRequest) -> HttpResponse:
    if not scope_for(request.user).has_record_access:
        raise Http404
    today = timezone.localdate()
    page = Paginator(
        selectors.measurements_due(actor=request.user, today=today), settings.PAGE_SIZE
    ).get_page(request.GET.get("page"))
    enrollments = list(page.object_list)
    rows = selectors.due_rows(
        enrollments, today=today, schedules=selectors.schedules_for(enrollments)
    )
    return render(
        request,
        "progression/due.html",
        {
            "page_obj": page,
            "rows": rows,
            "query_without_page": "",
            "due_soon_days": selectors.DUE_SOON_DAYS,
        },
    )


def cohort(request: HttpRequest) -> HttpResponse:
    """Progression per partner, track or activity type: aggregates only, never names."""
    scope = scope_for(request.user)
    if not (scope.has_record_access or scope.has_aggregate_access):
        raise Http404
    programmes = selectors.cohort_programmes(request.user)
    instruments = Instrument.objects.filter(versions__items__kind=ItemKind.SCALE).distinct()
    data = request.GET
    if not data:
        # Show the self-rating of the first programme straight away.
        programme = programmes.first()
        instrument = instruments.filter(code="self-rating").first() or instruments.first()
        if programme is not None and instrument is not None:
            data = {"programme": programme.pk, "instrument": instrument.pk, "grouping": "partner"}  # type: ignore[assignment]
    form = CohortForm(data or None, programmes=programmes, instruments=instruments)
    rows = None
    if form.is_valid():
        enrollments, record_access = selectors.cohort_enrollments(
            request.user, form.cleaned_data["programme"]
        )
        rows = selectors.cohort_progression(
            enrollments=enrollments,
            instrument=form.cleaned_data["instrument"],
            grouping=form.cleaned_data["grouping"],
            record_access=record_access,
        )
    return render(request, "progression/cohort.html", {"form": form, "rows": rows})


# --- Instruments and recordings --------------------------------------------------------------


def instruments(request: HttpRequest) -> HttpResponse:
    versions = InstrumentVersion.objects.select_related("instrument").order_by(
        "instrument__name", "-number"
    )
    return render(request, "progression/instruments.html", {"versions": versions})


def instrument_version(request: HttpRequest, version_id: int) -> HttpResponse:
    version = InstrumentVersion.objects.select_related("instrument").filter(pk=version_id).first()
    if version is None:
        raise Http404
    items = flow.items_of(version)
    can_upload = scope_for(request.user).has_record_access
    form = AudioForm(request.POST or None, request.FILES or None, items=items)
    if request.method == "POST":
        if not can_upload:
            raise Http404
        if form.is_valid():
            item = next(i for i in items if str(i.pk) == form.cleaned_data["item"])
            try:
                services.audio_upload(
                    actor=request.user,
                    item=item,
                    language=form.cleaned_data["language"],
                    upload=form.cleaned_data["file"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The recording was saved."))
                return redirect("progression:instrument_version", version_id=version.pk)
    return render(
        request,
        "progression/instrument_version.html",
        {"version": version, "items": items, "form": form, "can_upload": can_upload},
    )


def audio(request: HttpRequest, audio_id: int) -> FileResponse:
    """A recorded question, for logged-in users (the public flow has its own view)."""
    recording = ItemAudio.objects.filter(pk=audio_id).first()
    if recording is None:
        raise Http404
    return FileResponse(recording.file.open("rb"), content_type=recording.content_type)
