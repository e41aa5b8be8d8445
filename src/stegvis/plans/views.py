"""Plan and check-in pages. Thin: fetch through the access layer, parse, call a service, render.

Every page about an enrollment starts with ``get_for_actor(Enrollment, part=...)``: 404 for
missing and not-yours alike, and the read is in the access log before anything is shown.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from stegvis.access.models import Action, Part
from stegvis.access.policy import can_write, get_for_actor
from stegvis.access.scope import scope_for
from stegvis.participants.models import Enrollment

from . import selectors, services
from .forms import (
    ActionFormSetClass,
    CheckInForm,
    PlanAgreeForm,
    activity_formset,
    goal_formset,
)
from .languages import language_label
from .models import CheckIn, Plan

EXTRA_ROWS = 2


def _enrollment(
    request: HttpRequest, pk: int, part: str, action: str = Action.VIEW, log: bool = True
) -> Enrollment:
    return get_for_actor(Enrollment, actor=request.user, pk=pk, part=part, action=action, log=log)


def _writable_enrollment(request: HttpRequest, pk: int, part: str) -> Enrollment:
    enrollment = _enrollment(request, pk, part)
    if not can_write(request.user, enrollment, part):
        raise Http404
    return enrollment


def _context(request: HttpRequest, enrollment: Enrollment, **extra: Any) -> dict[str, Any]:
    return {
        "enrollment": enrollment,
        "participant": enrollment.participant,
        "parts": selectors.visible_parts(request.user, enrollment),
        **extra,
    }


def _int_or_404(value: str | None) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except ValueError:
        raise Http404 from None


# Plans ------------------------------------------------------------------------------------------


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = _enrollment(request, pk, Part.PLAN)
    plan = selectors.current_plan(enrollment=enrollment)
    agreed = (
        selectors.latest_agreed_plan(enrollment=enrollment)
        if plan is not None and plan.is_draft and plan.version > 1
        else None
    )
    return render(
        request,
        "plans/detail.html",
        _context(
            request,
            enrollment,
            plan=plan,
            agreed=agreed,
            versions=selectors.plan_versions(enrollment=enrollment),
            can_edit=can_write(request.user, enrollment, Part.PLAN),
        ),
    )


def _plan_initial(plan: Plan | None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Goals and activities of the agreed version, to prefill the next one."""
    if plan is None:
        return [], []
    goals = [
        {"text": goal.text, "target_date": goal.target_date, "status": goal.status}
        for goal in plan.goals.all()
    ]
    activities = [
        {
            "what": activity.what,
            "organisation": activity.organisation_id,
            "responsible_user": activity.responsible_user_id,
            "responsible_name": activity.responsible_name,
            "starts_on": activity.starts_on,
            "ends_on": activity.ends_on,
        }
        for activity in plan.activities.all()
    ]
    return goals, activities


def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = _writable_enrollment(request, pk, Part.PLAN)
    draft = selectors.draft_plan(enrollment=enrollment)
    base = None if draft else selectors.latest_agreed_plan(enrollment=enrollment)
    goal_initial, activity_initial = ([], []) if request.method == "POST" else _plan_initial(base)
    instance = draft or Plan(enrollment=enrollment)
    choices = {
        "organisations": selectors.organisation_choices(enrollment=enrollment),
        "people": selectors.staff_choices(enrollment=enrollment, part=Part.PLAN),
    }
    data = request.POST if request.method == "POST" else None
    goals = goal_formset(extra=len(goal_initial) + EXTRA_ROWS)(
        data, instance=instance, prefix="goals", initial=goal_initial
    )
    activities = activity_formset(extra=len(activity_initial) + EXTRA_ROWS)(
        data, instance=instance, prefix="activities", initial=activity_initial, form_kwargs=choices
    )
    if data is not None and goals.is_valid() and activities.is_valid():
        try:
            plan = services.plan_draft_save(
                actor=request.user,
                enrollment=enrollment,
                expected_draft_id=_int_or_404(data.get("draft_id")),
                goals=goals.goal_inputs(),
                activities=activities.activity_inputs(),
            )
        except services.PlanConflict as error:
            messages.error(request, error.messages[0])
            return redirect("plans:edit", pk=enrollment.pk)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The draft of version %(version)s was saved.") % {"version": plan.version},
            )
            return redirect("plans:detail", pk=enrollment.pk)
    return render(
        request,
        "plans/edit.html",
        _context(
            request,
            enrollment,
            draft=draft,
            base=base,
            goals=goals,
            activities=activities,
            next_version=draft.version if draft else (base.version + 1 if base else 1),
        ),
    )


def plan_agree(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = _writable_enrollment(request, pk, Part.PLAN)
    draft = selectors.draft_plan(enrollment=enrollment)
    if draft is None:
        messages.info(request, _("There is no draft to agree: start a new version first."))
        return redirect("plans:detail", pk=enrollment.pk)
    participant = enrollment.participant
    form = PlanAgreeForm(
        request.POST or None,
        initial={
            "conversation_language": participant.interpreter_language or participant.mother_tongue,
            "interpreter_used": participant.interpreter_needed,
            "interpreter_language": participant.interpreter_language,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_agree(
                actor=request.user,
                enrollment=enrollment,
                draft_id=draft.pk,
                **form.cleaned_data,
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Version %(version)s of the plan was agreed.") % {"version": plan.version},
            )
            return redirect("plans:detail", pk=enrollment.pk)
    return render(request, "plans/agree.html", _context(request, enrollment, plan=draft, form=form))


def plan_version(request: HttpRequest, pk: int, plan_id: int) -> HttpResponse:
    enrollment = _enrollment(request, pk, Part.PLAN)
    plan = selectors.plan_version(enrollment=enrollment, plan_id=plan_id)
    return render(request, "plans/version.html", _context(request, enrollment, plan=plan))


def plan_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan for the participant to take home: always in plain Swedish, with the language
    named in Swedish and in itself. Printing is logged (action "print") instead of a view."""
    enrollment = _enrollment(request, pk, Part.PLAN, log=False)
    plan = selectors.plan_for_print(
        enrollment=enrollment, version=_int_or_404(request.GET.get("version"))
    )
    selectors.log_plan_print(actor=request.user, enrollment=enrollment, plan=plan)
    participant = enrollment.participant
    with translation.override("sv"):
        contact = plan.agreed_by or plan.created_by
        return render(
            request,
            "plans/print.html",
            {
                "enrollment": enrollment,
                "participant": participant,
                "plan": plan,
                "conversation_language": language_label(plan.conversation_language),
                "mother_tongue": language_label(participant.mother_tongue),
                "interpreter_language": language_label(plan.interpreter_language),
                "contact": contact,
                "organisation": enrollment.unit.organisation,
                "printed_on": timezone.localdate(),
            },
        )


# Check-ins --------------------------------------------------------------------------------------


def checkin_list(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = _enrollment(request, pk, Part.CHECKINS)
    page = Paginator(selectors.checkin_list(enrollment=enrollment), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "plans/checkins.html",
        _context(
            request,
            enrollment,
            page_obj=page,
            query_without_page="",
            can_create=can_write(request.user, enrollment, Part.CHECKINS),
        ),
    )


def checkin_create(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = _writable_enrollment(request, pk, Part.CHECKINS)
    choices = {
        "organisations": selectors.organisation_choices(enrollment=enrollment),
        "people": selectors.staff_choices(enrollment=enrollment, part=Part.CHECKINS),
    }
    data = request.POST if request.method == "POST" else None
    form = CheckInForm(data, **choices)
    actions = ActionFormSetClass(
        data, instance=CheckIn(enrollment=enrollment), prefix="actions", form_kwargs=choices
    )
    if data is not None and form.is_valid() and actions.is_valid():
        try:
            checkin = services.checkin_create(
                actor=request.user,
                enrollment=enrollment,
                checkin=form.checkin_input(),
                actions=actions.action_inputs(),
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The check-in was recorded."))
            return redirect("plans:checkin_detail", pk=enrollment.pk, checkin_id=checkin.pk)
    return render(
        request,
        "plans/checkin_form.html",
        _context(request, enrollment, form=form, actions=actions),
    )


def checkin_detail(request: HttpRequest, pk: int, checkin_id: int) -> HttpResponse:
    enrollment = _enrollment(request, pk, Part.CHECKINS)
    checkin = selectors.checkin_detail(enrollment=enrollment, checkin_id=checkin_id)
    rows = [
        (action, services.may_mark_done(request.user, enrollment, action))
        for action in checkin.actions.all()
    ]
    return render(
        request,
        "plans/checkin_detail.html",
        _context(request, enrollment, checkin=checkin, rows=rows, today=timezone.localdate()),
    )


def action_done(request: HttpRequest, pk: int, checkin_id: int, action_id: int) -> HttpResponse:
    enrollment = _enrollment(request, pk, Part.CHECKINS)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    action = selectors.checkin_action(
        enrollment=enrollment, checkin_id=checkin_id, action_id=action_id
    )
    try:
        changed = services.action_mark_done(
            actor=request.user, enrollment=enrollment, action=action
        )
    except PermissionDenied:
        raise Http404 from None
    if changed:
        messages.success(request, _("The action was marked as done."))
    else:
        messages.info(request, _("The action was already done."))
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect("plans:checkin_detail", pk=enrollment.pk, checkin_id=checkin_id)


# My actions -------------------------------------------------------------------------------------


def my_actions(request: HttpRequest) -> HttpResponse:
    if not scope_for(request.user).has_record_access:
        raise Http404
    page = Paginator(selectors.my_actions(actor=request.user), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "plans/my_actions.html",
        {
            "page_obj": page,
            "query_without_page": "",
            "buckets": {
                "overdue": selectors.OVERDUE,
                "upcoming": selectors.UPCOMING,
                "done": selectors.DONE,
            },
        },
    )
