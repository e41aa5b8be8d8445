"""Notes pages. Thin: fetch through the access layer, parse with a form, call a service."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from stegvis.access.models import Part
from stegvis.access.policy import can_write, get_for_actor, log_read
from stegvis.participants.models import Enrollment

from . import selectors, services
from .forms import NoteCorrectionForm, NoteForm


def _enrollment_to_write(request: HttpRequest, pk: int) -> Enrollment:
    """The enrollment if the actor may add notes to it; 404 otherwise (logged only then)."""
    enrollment = get_for_actor(Enrollment, actor=request.user, pk=pk, part=Part.NOTES, log=False)
    if not can_write(request.user, enrollment, Part.NOTES):
        raise Http404
    return enrollment


def note_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The notes, newest first, and the form to add one."""
    enrollment = get_for_actor(Enrollment, actor=request.user, pk=pk, part=Part.NOTES)
    page = Paginator(
        selectors.visible_notes(actor=request.user, enrollment=enrollment), settings.PAGE_SIZE
    ).get_page(request.GET.get("page"))
    if any(selectors.is_sensitive(note) for note in page):
        # Sensitive notes were shown: that is a read of the sensitive part too.
        log_read(actor=request.user, obj=enrollment, part=Part.SENSITIVE)
    can_add = can_write(request.user, enrollment, Part.NOTES)
    return render(
        request,
        "notes/list.html",
        {
            "enrollment": enrollment,
            "participant": enrollment.participant,
            "page_obj": page,
            "query_without_page": "",
            "can_add": can_add,
            "form": NoteForm() if can_add else None,
        },
    )


def note_create(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = _enrollment_to_write(request, pk)
    log_read(actor=request.user, obj=enrollment, part=Part.NOTES)
    form = NoteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.note_create(actor=request.user, enrollment=enrollment, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The note was saved."))
            return redirect("notes:list", pk=enrollment.pk)
    return render(
        request,
        "notes/create.html",
        {"enrollment": enrollment, "participant": enrollment.participant, "form": form},
    )


def note_correct(request: HttpRequest, pk: int, note_id: int) -> HttpResponse:
    """Correct a note: a new note pointing to it, with a reason. The original is kept."""
    enrollment = _enrollment_to_write(request, pk)
    note = (
        selectors.visible_notes(actor=request.user, enrollment=enrollment)
        .filter(pk=note_id)
        .first()
    )
    if note is None:
        raise Http404
    part = Part.SENSITIVE if selectors.is_sensitive(note) else Part.NOTES
    log_read(actor=request.user, obj=note, part=part)
    already_corrected = hasattr(note, "correction")
    form = NoteCorrectionForm(
        request.POST if request.method == "POST" else None,
        initial={"date": note.date, "category": note.category, "text": note.text},
    )
    if request.method == "POST" and not already_corrected and form.is_valid():
        try:
            services.note_correct(
                actor=request.user, enrollment=enrollment, note=note, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The correction was saved. The original note is kept."))
            return redirect("notes:list", pk=enrollment.pk)
    return render(
        request,
        "notes/correct.html",
        {
            "enrollment": enrollment,
            "participant": enrollment.participant,
            "note": note,
            "form": form,
            "already_corrected": already_corrected,
        },
    )
