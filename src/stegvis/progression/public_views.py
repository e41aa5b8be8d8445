"""The participant's side of a one-time link: no account, no name shown.

Opening ``/s/<token>/`` checks the token (only its hash is stored: 192 random bits, so links
cannot be guessed) and moves it into the session, so the token leaves the address bar and
the following pages (language, one question per page, review, thanks) work from the session.
Nothing about the person is shown: a link that leaks reveals only that someone was asked
these questions. A used, expired or unknown link gets the same kind message and accepts
nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from . import flow, services
from .flow_texts import texts_for
from .models import INSTRUMENT_LANGUAGES, SelfServiceLink

SESSION_KEY = "progression-selfservice"
DONE_KEY = "progression-selfservice-done"
LANGUAGE_CODES = {code for code, _name in INSTRUMENT_LANGUAGES}


def _closed(request: HttpRequest, language: str = "") -> HttpResponse:
    # In the language this browser last answered in, if any; the others follow.
    language = language or request.session.get(DONE_KEY) or "sv"
    return render(
        request,
        "progression/public/closed.html",
        {
            **flow.page_context(language),
            # The person may not have picked a language yet: say it in every language.
            "closed_other": [
                {
                    **entry,
                    "title": texts_for(entry["code"])["closed_title"],
                    "text": texts_for(entry["code"])["closed_text"],
                }
                for entry in flow.languages()
                if entry["code"] != language
            ],
        },
        status=410,
    )


def _open_link(request: HttpRequest) -> tuple[flow.FlowState, SelfServiceLink] | None:
    state = flow.FlowState(request.session, SESSION_KEY)
    link_id = state.data.get("link")
    if not link_id:
        return None
    link = SelfServiceLink.objects.select_related("version").filter(pk=link_id).first()
    if link is None or not link.is_open():
        return None
    return state, link


@login_not_required
@never_cache
def open_link(request: HttpRequest, token: str) -> HttpResponse:
    link = services.link_for_token(token)
    if link is None or not link.is_open():
        return _closed(request)
    state = flow.FlowState(request.session, SESSION_KEY)
    if state.data.get("link") != link.pk:
        state.start(link=link.pk, language="")
    return redirect("selfservice:language")


@login_not_required
@never_cache
def choose_language(request: HttpRequest) -> HttpResponse:
    opened = _open_link(request)
    if opened is None:
        return _closed(request)
    state, _link = opened
    if request.method == "POST" and request.POST.get("language") in LANGUAGE_CODES:
        state.update(language=request.POST["language"])
        return redirect("selfservice:question", number=1)
    language = state.data.get("language") or "sv"
    return render(
        request,
        "progression/public/language.html",
        {**flow.page_context(language), "languages": flow.languages()},
    )


@login_not_required
@never_cache
def question(request: HttpRequest, number: int) -> HttpResponse:
    opened = _open_link(request)
    if opened is None:
        return _closed(request)
    state, link = opened
    language = state.data.get("language")
    if not language:
        return redirect("selfservice:language")
    items = flow.items_of(link.version)
    if not 1 <= number <= len(items):
        raise Http404
    current = flow.question(items, number, language)
    error = ""
    if request.method == "POST":
        if "back" in request.POST:
            if number == 1:
                return redirect("selfservice:language")
            return redirect("selfservice:question", number=number - 1)
        valid, value = flow.parse_answer(current.item, request.POST)
        if valid:
            state.answer(current.item.code, value)
            if number == len(items):
                return redirect("selfservice:review")
            return redirect("selfservice:question", number=number + 1)
        error = str(flow.texts_for(language)["choose_answer"])
    return render(
        request,
        "progression/public/question.html",
        {
            **flow.question_context(current, state.data, language),
            "error": error,
            "audio_url": reverse("selfservice:audio", args=[current.audio_id])
            if current.audio_id
            else "",
        },
    )


@login_not_required
@never_cache
def review(request: HttpRequest) -> HttpResponse:
    opened = _open_link(request)
    if opened is None:
        return _closed(request)
    state, link = opened
    language = state.data.get("language") or "sv"
    if request.method == "POST":
        try:
            services.link_submit(
                link_id=link.pk, language=language, answers=state.data.get("answers", {})
            )
        except ValidationError:
            return _closed(request, language)
        state.clear()
        request.session[DONE_KEY] = language
        return redirect("selfservice:thanks")
    items = flow.items_of(link.version)
    texts = flow.texts_for(language)
    answers = state.data.get("answers", {})
    rows: list[tuple[Any, str]] = []
    for number in range(1, len(items) + 1):
        current = flow.question(items, number, language)
        rows.append((current, flow.answer_label(current, answers.get(current.item.code), texts)))
    return render(
        request, "progression/public/review.html", {**flow.page_context(language), "rows": rows}
    )


@login_not_required
@never_cache
def thanks(request: HttpRequest) -> HttpResponse:
    language = request.session.get(DONE_KEY)
    if not language:
        return _closed(request)
    return render(request, "progression/public/thanks.html", flow.page_context(language))


@login_not_required
def audio(request: HttpRequest, audio_id: int) -> FileResponse:
    """A recorded question, only for a question of the session's open link."""
    opened = _open_link(request)
    if opened is None:
        raise Http404
    _state, link = opened
    recording = (
        link.version.items.filter(audio__pk=audio_id).values_list("audio__pk", flat=True).first()
    )
    if recording is None:
        raise Http404
    from .models import ItemAudio

    item_audio = ItemAudio.objects.get(pk=recording)
    return FileResponse(item_audio.file.open("rb"), content_type=item_audio.content_type)
