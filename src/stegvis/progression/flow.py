"""The one-question-at-a-time flow shared by the self-service link and staff-assisted mode.

Answers so far are kept in the session (``FlowState``) and stored only when the participant
presses "Send", so nothing half-answered reaches the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.templatetags.static import static

from .flow_texts import texts_for
from .models import (
    HTML_LANG,
    INSTRUMENT_LANGUAGES,
    RTL_LANGUAGES,
    InstrumentVersion,
    Item,
    ItemKind,
)

SKIP = "skip"
LANGUAGE_NAMES = dict(INSTRUMENT_LANGUAGES)


def html_lang(language: str) -> str:
    return HTML_LANG.get(language, language)


def direction(language: str) -> str:
    return "rtl" if language in RTL_LANGUAGES else "ltr"


def languages() -> list[dict[str, str]]:
    return [
        {"code": code, "name": name, "lang": html_lang(code), "dir": direction(code)}
        for code, name in INSTRUMENT_LANGUAGES
    ]


def face_for(item: Item, value: int) -> str:
    """A face from sad (1) to glad (5) along the scale, when the item names no pictograms."""
    low, high = item.scale_min or 1, item.scale_max or 5
    return f"face-{round((value - low) / max(1, high - low) * 4) + 1}"


@dataclass
class Option:
    value: str
    label: str
    pictogram: str
    end_label: str = ""


@dataclass
class Question:
    item: Item
    number: int
    total: int
    text: str
    kind: str
    options: list[Option]
    audio_id: int | None
    pictogram: str
    low_label: str
    high_label: str


def items_of(version: InstrumentVersion) -> list[Item]:
    return list(version.items.order_by("position").prefetch_related("texts", "audio"))


def question(items: list[Item], number: int, language: str) -> Question:
    item = items[number - 1]
    texts = {text.language: text for text in item.texts.all()}
    text = texts.get(language) or texts.get("sv") or next(iter(texts.values()))
    options: list[Option] = []
    if item.kind == ItemKind.SCALE:
        for value in item.points():
            index = value - (item.scale_min or 0)
            pictogram = (
                item.point_pictograms[index]
                if index < len(item.point_pictograms)
                else face_for(item, value)
            )
            end = text.low_label if value == item.scale_min else ""
            end = text.high_label if value == item.scale_max else end
            options.append(
                Option(str(value), str(value), static(f"stegvis/pictograms/{pictogram}.svg"), end)
            )
    elif item.kind == ItemKind.CHOICE:
        for position, _code in enumerate(item.choices, start=1):
            label = (
                text.choice_labels[position - 1]
                if position - 1 < len(text.choice_labels)
                else _code
            )
            pictogram = (
                item.point_pictograms[position - 1]
                if position - 1 < len(item.point_pictograms)
                else "question"
            )
            options.append(
                Option(str(position), label, static(f"stegvis/pictograms/{pictogram}.svg"))
            )
    audio = next((a.pk for a in item.audio.all() if a.language == language), None)
    return Question(
        item=item,
        number=number,
        total=len(items),
        text=text.text,
        kind=item.kind,
        options=options,
        audio_id=audio,
        pictogram=static(f"stegvis/pictograms/{item.pictogram}.svg") if item.pictogram else "",
        low_label=text.low_label,
        high_label=text.high_label,
    )


def parse_answer(item: Item, data: Any) -> tuple[bool, Any]:
    """(valid, value) from a submitted question page: a scale/choice value, None for skip,
    text for a free-text item."""
    if item.kind == ItemKind.TEXT:
        return True, (data.get("answer") or "").strip()[:2000]
    raw = data.get("answer", "")
    if raw == SKIP:
        return True, None
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return False, None
    return (value in item.points(), value)


def answer_label(question_: Question, value: Any, texts: dict[str, Any]) -> str:
    if value is None or value == "":
        return str(texts["not_answered"])
    if question_.kind == ItemKind.TEXT:
        return str(value)
    for option in question_.options:
        if option.value == str(value):
            return (
                f"{option.label} {option.end_label}".strip() if option.end_label else option.label
            )
    return str(value)


class FlowState:
    """The answers so far, in the session under one key."""

    def __init__(self, session: SessionBase, key: str) -> None:
        self.session = session
        self.key = key

    @property
    def data(self) -> dict[str, Any]:
        data: dict[str, Any] = self.session.get(self.key) or {}
        return data

    def start(self, **values: Any) -> None:
        self.session[self.key] = {"answers": {}, **values}

    def update(self, **values: Any) -> None:
        data = self.data
        data.update(values)
        self.session[self.key] = data

    def answer(self, code: str, value: Any) -> None:
        data = self.data
        data.setdefault("answers", {})[code] = value
        self.session[self.key] = data

    def clear(self) -> None:
        self.session.pop(self.key, None)


def page_context(language: str) -> dict[str, Any]:
    return {
        "flow_language": language,
        "flow_lang": html_lang(language),
        "flow_dir": direction(language),
        "t": texts_for(language),
    }


def question_context(question_: Question, state: dict[str, Any], language: str) -> dict[str, Any]:
    texts = texts_for(language)
    current = state.get("answers", {}).get(question_.item.code, "")
    return {
        **page_context(language),
        "question": question_,
        "progress": str(texts["question_of"]).format(
            number=question_.number, total=question_.total
        ),
        "current": SKIP if current is None else str(current),
        "answered": question_.item.code in state.get("answers", {}),
    }
