"""Consent pages: list, record, withdraw, print. Only the owning organisation manages consents."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from stegvis.access.audit import log_event
from stegvis.access.models import Action, Part
from stegvis.access.policy import acting_organisation_id, get_for_actor, is_own
from stegvis.participants.models import Enrollment

from . import selectors, services
from .form_texts import PART_KEYS, TEXTS
from .forms import ConsentForm, WithdrawForm
from .models import Consent


def _own_enrollment(request: HttpRequest, pk: int) -> Enrollment:
    enrollment = get_for_actor(Enrollment, actor=request.user, pk=pk, part=Part.RECORD)
    if not is_own(request.user, enrollment):
        raise Http404
    return enrollment


def consent_list(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = _own_enrollment(request, pk)
    return render(
        request,
        "consents/list.html",
        {"enrollment": enrollment, "consents": selectors.consents_of(enrollment)},
    )


def consent_create(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = _own_enrollment(request, pk)
    participant = enrollment.participant
    form = ConsentForm(
        request.POST or None,
        organisations=selectors.organisations_to_share_with(enrollment=enrollment),
        default_end=enrollment.programme.end_date,
        default_language=participant.interpreter_language or participant.mother_tongue,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_record(actor=request.user, enrollment=enrollment, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The consent was recorded."))
            return redirect("consents:list", pk=enrollment.pk)
    return render(request, "consents/form.html", {"enrollment": enrollment, "form": form})


def _consent(enrollment: Enrollment, consent_id: int) -> Consent:
    try:
        return selectors.consents_of(enrollment).get(pk=consent_id)
    except Consent.DoesNotExist:
        raise Http404 from None


def consent_withdraw(request: HttpRequest, pk: int, consent_id: int) -> HttpResponse:
    enrollment = _own_enrollment(request, pk)
    consent = _consent(enrollment, consent_id)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_withdraw(
                actor=request.user, consent=consent, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The consent was withdrawn. The organisations lost access immediately."),
            )
            return redirect("consents:list", pk=enrollment.pk)
    return render(
        request,
        "consents/withdraw.html",
        {"enrollment": enrollment, "consent": consent, "form": form},
    )


def consent_print(request: HttpRequest, pk: int, consent_id: int) -> HttpResponse:
    """The consent form to sign, in Swedish and in the participant's language."""
    enrollment = _own_enrollment(request, pk)
    consent = _consent(enrollment, consent_id)
    language = request.GET.get("language") or consent.language
    versions = [TEXTS["sv"]]
    if language in TEXTS and language != "sv":
        versions.append(TEXTS[language])
    log_event(
        actor=request.user,
        action=Action.PRINT,
        part=Part.RECORD,
        organisation_id=acting_organisation_id(request.user, enrollment),
        participant_id=enrollment.participant_id,
        enrollment_id=enrollment.pk,
        obj=consent,
        summary="consent form",
    )
    parts = [PART_KEYS[part] for part in consent.parts]
    return render(
        request,
        "consents/print.html",
        {
            "enrollment": enrollment,
            "consent": consent,
            "versions": [
                {"texts": texts, "parts": [texts[key] for key in parts]}  # type: ignore[literal-required]
                for texts in versions
            ],
            "form_languages": [(code, texts["language_name"]) for code, texts in TEXTS.items()],
            "language": language,
            "missing_language": language not in TEXTS,
        },
    )
