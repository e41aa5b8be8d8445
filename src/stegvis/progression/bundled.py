"""The bundled instruments (``instruments/*.json``): loaded by a data migration so every
database has them, and reloadable with ``instrument_load`` (a changed file becomes a new
version; versions already answered are never touched).

File format: ``code``, ``kind``, ``name``, ``description``, ``self_report``,
``reviewed_languages`` (texts in other languages are marked as needing review by a native
speaker) and ``items``: ``code``, ``dimension``, ``kind`` (scale/choice/text), ``scale_min``,
``scale_max``, ``choices``, ``pictogram``, ``point_pictograms`` and ``texts`` per language
(``text``, ``low``, ``high``, ``choices``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.utils import timezone

INSTRUMENT_DIR = Path(__file__).parent / "instruments"


def bundled_files() -> list[Path]:
    return sorted(INSTRUMENT_DIR.glob("*.json"))


def read(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def items_signature(items: list[dict[str, Any]], reviewed: list[str]) -> list[Any]:
    """A comparable form of a version's items, to tell whether a file changed."""
    return [
        [
            item["code"],
            item["dimension"],
            item["kind"],
            item.get("scale_min"),
            item.get("scale_max"),
            list(item.get("choices", [])),
            item.get("pictogram", ""),
            list(item.get("point_pictograms", [])),
            sorted(
                (
                    language,
                    text["text"],
                    text.get("low", ""),
                    text.get("high", ""),
                    list(text.get("choices", [])),
                    language not in reviewed,
                )
                for language, text in item["texts"].items()
            ),
        ]
        for item in items
    ]


def version_signature(version: Any) -> list[Any]:
    items = []
    reviewed = []
    for item in version.items.order_by("position").prefetch_related("texts"):
        texts = {}
        for text in item.texts.all():
            texts[text.language] = {
                "text": text.text,
                "low": text.low_label,
                "high": text.high_label,
                "choices": text.choice_labels,
            }
            if not text.needs_review:
                reviewed.append(text.language)
        items.append(
            {
                "code": item.code,
                "dimension": item.dimension,
                "kind": item.kind,
                "scale_min": item.scale_min,
                "scale_max": item.scale_max,
                "choices": item.choices,
                "pictogram": item.pictogram,
                "point_pictograms": item.point_pictograms,
                "texts": texts,
            }
        )
    return items_signature(items, reviewed)


def load(data: dict[str, Any], *, models: dict[str, Any], note: str = "") -> Any | None:
    """Create the instrument or a new version of it from ``data``; returns the new version,
    or None when the newest version already says the same. ``models`` maps model names to
    classes (historical ones in a migration)."""
    instrument_model = models["Instrument"]
    instrument, _created = instrument_model.objects.get_or_create(
        code=data["code"],
        defaults={
            "kind": data["kind"],
            "name": data["name"],
            "description": data.get("description", ""),
            "self_report": data.get("self_report", True),
        },
    )
    reviewed = list(data.get("reviewed_languages", []))
    latest = instrument.versions.order_by("-number").first()
    if latest is not None and version_signature(latest) == items_signature(data["items"], reviewed):
        return None
    version = models["InstrumentVersion"].objects.create(
        instrument=instrument,
        number=(latest.number + 1) if latest else 1,
        published_at=timezone.now(),
        note=note,
    )
    write_items(version, data["items"], reviewed=reviewed, models=models)
    return version


def write_items(
    version: Any, items: list[dict[str, Any]], *, reviewed: list[str], models: dict[str, Any]
) -> None:
    texts = []
    for position, spec in enumerate(items, start=1):
        item = models["Item"].objects.create(
            version=version,
            position=position,
            code=spec["code"],
            dimension=spec["dimension"],
            kind=spec["kind"],
            scale_min=spec.get("scale_min"),
            scale_max=spec.get("scale_max"),
            choices=list(spec.get("choices", [])),
            pictogram=spec.get("pictogram", ""),
            point_pictograms=list(spec.get("point_pictograms", [])),
        )
        for language, text in spec["texts"].items():
            texts.append(
                models["ItemText"](
                    item=item,
                    language=language,
                    text=text["text"],
                    low_label=text.get("low", ""),
                    high_label=text.get("high", ""),
                    choice_labels=list(text.get("choices", [])),
                    needs_review=language not in reviewed,
                )
            )
    models["ItemText"].objects.bulk_create(texts)
