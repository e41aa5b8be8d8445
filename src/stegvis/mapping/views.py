"""Mapping pages. Thin: fetch through the access layer, parse with a form, call a service."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from stegvis.access.audit import snapshot
from stegvis.access.models import Part
from stegvis.access.policy import can_read, can_write, get_for_actor, log_read
from stegvis.participants.models import Enrollment

from . import selectors, services
from .forms import MappingForm, SensitiveCircumstancesForm, formset_rows, mapping_formsets
from .models import SENSITIVE_FIELDS, Mapping


def mapping_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The current mapping and the list of all mappings."""
    enrollment = get_for_actor(Enrollment, actor=request.user, pk=pk, part=Part.MAPPING)
    history = Paginator(
        selectors.mapping_history(actor=request.user, enrollment=enrollment), settings.PAGE_SIZE
    ).get_page(request.GET.get("page"))
    current = selectors.current_mapping(enrollment=enrollment)
    can_edit = can_write(request.user, enrollment, Part.MAPPING)
    return render(
        request,
        "mapping/detail.html",
        {
            "enrollment": enrollment,
            "participant": enrollment.participant,
            "mapping": current,
            "page_obj": history,
            "query_without_page": "",
            "has_draft": can_edit and selectors.has_draft(enrollment=enrollment),
            "can_edit": can_edit,
            "can_see_sensitive": selectors.may_see_sensitive(
                actor=request.user, enrollment=enrollment
            ),
        },
    )


def mapping_version(request: HttpRequest, pk: int, mapping_id: int) -> HttpResponse:
    """One mapping as it was recorded (an older one, or the draft)."""
    enrollment = get_for_actor(Enrollment, actor=request.user, pk=pk, part=Part.MAPPING, log=False)
    mapping = selectors.mapping_version(
        actor=request.user, enrollment=enrollment, mapping_id=mapping_id
    )
    if mapping is None:
        raise Http404
    log_read(actor=request.user, obj=mapping, part=Part.MAPPING)
    current = selectors.current_mapping(enrollment=enrollment)
    return render(
        request,
        "mapping/version.html",
        {
            "enrollment": enrollment,
            "participant": enrollment.participant,
            "mapping": mapping,
            "is_current": current is not None and current.pk == mapping.pk,
            "can_edit": can_write(request.user, enrollment, Part.MAPPING),
        },
    )


def mapping_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the draft, or start a new mapping prefilled from the latest one."""
    enrollment = get_for_actor(Enrollment, actor=request.user, pk=pk, part=Part.MAPPING, log=False)
    if not can_write(request.user, enrollment, Part.MAPPING):
        raise Http404
    log_read(actor=request.user, obj=enrollment, part=Part.MAPPING)
    data = request.POST if request.method == "POST" else None
    draft = selectors.draft_for(enrollment=enrollment)
    if draft is not None:
        form = MappingForm(data, instance=draft)
        formsets = mapping_formsets(data=data, instance=draft)
        based_on = draft.based_on
    else:
        prefill = selectors.mapping_prefill(enrollment=enrollment, today=localdate())
        instance = Mapping(enrollment=enrollment)
        form = MappingForm(data, instance=instance, initial=prefill.fields)
        formsets = mapping_formsets(
            data=data,
            instance=instance,
            prefill={
                "languages": prefill.languages,
                "work_experience": prefill.work_experience,
                "qualifications": prefill.qualifications,
            },
        )
        based_on = prefill.based_on

    if data is not None:
        complete = data.get("action") == "complete"
        valid = form.is_valid()
        valid = all([formset.is_valid() for formset in formsets.values()]) and valid
        if valid:
            content = services.MappingContent(
                fields=form.cleaned_data,
                **{name: formset_rows(formset) for name, formset in formsets.items()},
            )
            try:
                mapping = services.mapping_save(
                    actor=request.user,
                    enrollment=enrollment,
                    draft=draft,
                    content=content,
                    complete=complete,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if complete:
                    messages.success(request, _("The mapping was completed."))
                    return redirect("mapping:detail", pk=enrollment.pk)
                messages.success(request, _("The draft was saved."))
                return redirect("mapping:edit", pk=mapping.enrollment_id)
    return render(
        request,
        "mapping/edit.html",
        {
            "enrollment": enrollment,
            "participant": enrollment.participant,
            "form": form,
            "formsets": formsets,
            "draft": draft,
            "based_on": based_on,
            "required_to_complete": services.REQUIRED_TO_COMPLETE,
        },
    )


def mapping_sensitive(request: HttpRequest, pk: int) -> HttpResponse:
    """The separately protected part: health, family situation, other circumstances."""
    enrollment = get_for_actor(Enrollment, actor=request.user, pk=pk, part=Part.SENSITIVE)
    can_edit = can_write(request.user, enrollment, Part.SENSITIVE)
    if request.method == "POST" and not can_edit:
        raise Http404
    history = selectors.sensitive_history(enrollment=enrollment)
    current = history[0] if history else None
    form = None
    if can_edit:
        form = SensitiveCircumstancesForm(
            request.POST if request.method == "POST" else None,
            initial=snapshot(current, SENSITIVE_FIELDS) if current else None,
        )
        if request.method == "POST" and form.is_valid():
            record = services.sensitive_circumstances_record(
                actor=request.user, enrollment=enrollment, **form.cleaned_data
            )
            if record is None:
                messages.info(request, _("Nothing was changed."))
            else:
                messages.success(request, _("The sensitive part was saved."))
            return redirect("mapping:sensitive", pk=enrollment.pk)
    return render(
        request,
        "mapping/sensitive.html",
        {
            "enrollment": enrollment,
            "participant": enrollment.participant,
            "current": current,
            "earlier": history[1:],
            "form": form,
            "can_see_mapping": can_read(request.user, enrollment, Part.MAPPING),
        },
    )
