"""Language result pages. Thin: fetch through the access layer, parse with a form, call a
service. The own organisation records and corrects; an organisation with a consent covering
assessments reads the history; everyone else gets 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from stegvis.access.models import Part
from stegvis.access.policy import can_write, get_for_actor, log_read
from stegvis.participants.models import Enrollment

from . import selectors, services
from .charts import step_chart
from .forms import LanguageResultForm
from .models import NOT_PASSED_GRADES, RESULT_FIELDS, LanguageResult


def _writable_enrollment(request: HttpRequest, pk: int) -> Enrollment:
    """The enrollment if the actor may record its language results; 404 otherwise."""
    enrollment = get_for_actor(
        Enrollment, actor=request.user, pk=pk, part=Part.ASSESSMENTS, log=False
    )
    if not can_write(request.user, enrollment, Part.ASSESSMENTS):
        raise Http404
    log_read(actor=request.user, obj=enrollment, part=Part.ASSESSMENTS)
    return enrollment


def _writable_result(request: HttpRequest, pk: int, result_id: int) -> LanguageResult:
    result = get_for_actor(
        LanguageResult, actor=request.user, pk=result_id, part=Part.ASSESSMENTS, log=False
    )
    if result.enrollment_id != pk or not can_write(
        request.user, result.enrollment, Part.ASSESSMENTS
    ):
        raise Http404
    log_read(actor=request.user, obj=result, part=Part.ASSESSMENTS)
    return result


def _after_saving(request: HttpRequest, enrollment: Enrollment) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("languagelevels:history", pk=enrollment.pk)


def history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every result of the enrollment, a step chart per scale and the numbers behind it."""
    enrollment = get_for_actor(Enrollment, actor=request.user, pk=pk, part=Part.ASSESSMENTS)
    results = list(selectors.results_of(actor=request.user, enrollment=enrollment))
    series = selectors.history(results)
    return render(
        request,
        "languagelevels/history.html",
        {
            "enrollment": enrollment,
            "participant": enrollment.participant,
            "results": results,
            "series": series,
            "charts": [step_chart(s) for s in series],
            "can_write": can_write(request.user, enrollment, Part.ASSESSMENTS),
        },
    )


def record(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = _writable_enrollment(request, pk)
    form = LanguageResultForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.language_result_record(
                actor=request.user, enrollment=enrollment, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The language result was recorded."))
            if result.grade in NOT_PASSED_GRADES:
                messages.info(
                    request,
                    _(
                        "Grade %(grade)s is not passed: course %(course)s does not count as "
                        "a level reached."
                    )
                    % {"grade": result.grade, "course": result.course or _("SAS grund")},
                )
            return _after_saving(request, enrollment)
    return _form_page(request, enrollment, form, None)


def correct(request: HttpRequest, pk: int, result_id: int) -> HttpResponse:
    result = _writable_result(request, pk, result_id)
    enrollment = result.enrollment
    initial = {name: getattr(result, name) for name in RESULT_FIELDS}
    form = LanguageResultForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changes = services.language_result_correct(
                actor=request.user, result=result, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if changes:
                messages.success(request, _("The language result was corrected."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("languagelevels:history", pk=enrollment.pk)
    return _form_page(request, enrollment, form, result)


def _form_page(
    request: HttpRequest, enrollment: Enrollment, form: Any, result: LanguageResult | None
) -> HttpResponse:
    return render(
        request,
        "languagelevels/form.html",
        {
            "enrollment": enrollment,
            "participant": enrollment.participant,
            "form": form,
            "result": result,
        },
    )


def delete(request: HttpRequest, pk: int, result_id: int) -> HttpResponse:
    """Delete a result recorded by mistake (confirm first); the log keeps what it said."""
    result = _writable_result(request, pk, result_id)
    enrollment = result.enrollment
    if request.method == "POST":
        services.language_result_delete(actor=request.user, result=result)
        messages.success(request, _("The language result was deleted."))
        return redirect("languagelevels:history", pk=enrollment.pk)
    return render(
        request,
        "languagelevels/delete.html",
        {
            "enrollment": enrollment,
            "participant": enrollment.participant,
            "result": result,
            "result_list": [result],
        },
    )
