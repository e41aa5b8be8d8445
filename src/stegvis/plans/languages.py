"""Language names as their speakers write them (endonyms), for the printed plan.

The printed plan names the language twice: in Swedish, so staff and other authorities can read it,
and in the language itself, so the participant recognises it. Codes are those of
``participants.languages``.

NEEDS REVIEW: these spellings were compiled by developers, not by speakers of the languages.
Have each one checked by a speaker (language supporters, interpreters) before relying on it.
"""

from __future__ import annotations

from dataclasses import dataclass

from stegvis.participants.languages import LANGUAGE_NAMES

ENDONYMS: dict[str, str] = {
    "ar": "العربية",
    "prs": "دری",
    "fa": "فارسی",
    "ps": "پښتو",
    "so": "Soomaali",
    "ti": "ትግርኛ",
    "am": "አማርኛ",
    "om": "Afaan Oromoo",
    "ku": "Kurdî",
    "ckb": "کوردیی ناوەندی",
    "tr": "Türkçe",
    "uk": "Українська",
    "ru": "Русский",
    "th": "ไทย",
    "bo": "བོད་སྐད",
    "my": "မြန်မာဘာသာ",
    "vi": "Tiếng Việt",
    "zh": "中文",
    "ur": "اردو",
    "hi": "हिन्दी",
    "bn": "বাংলা",
    "ta": "தமிழ்",
    "tl": "Tagalog",
    "sw": "Kiswahili",
    "fr": "Français",
    "es": "Español",
    "pt": "Português",
    "en": "English",
    "sv": "Svenska",
    "bs": "Bosanski / Hrvatski / Српски",
    "sq": "Shqip",
    "mn": "Монгол",
    "uz": "Oʻzbekcha",
}

# Written right to left: the endonym is marked up with dir="rtl" so it renders correctly
# inside a left-to-right Swedish page.
RIGHT_TO_LEFT = frozenset({"ar", "prs", "fa", "ps", "ckb", "ur"})


@dataclass(frozen=True)
class LanguageLabel:
    code: str
    # In the active language (the print view activates Swedish).
    name: str
    endonym: str
    rtl: bool

    def __str__(self) -> str:
        if self.endonym and self.endonym != self.name:
            return f"{self.name} – {self.endonym}"
        return self.name


def language_label(code: str) -> LanguageLabel | None:
    """The language's name in the active language and in its own, or None when not given."""
    if not code:
        return None
    name = LANGUAGE_NAMES.get(code)
    return LanguageLabel(
        code=code,
        name=str(name) if name is not None else code,
        endonym=ENDONYMS.get(code, ""),
        rtl=code in RIGHT_TO_LEFT,
    )
