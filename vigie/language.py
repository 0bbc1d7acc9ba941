"""Which language an article is written in (lingua), so that only French articles are extracted."""

from __future__ import annotations

from functools import lru_cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

#: The languages told apart: French and those news pages most often come in beside it.
CANDIDATES = (Language.FRENCH, Language.ENGLISH, Language.GERMAN, Language.SPANISH, Language.ITALIAN,
              Language.PORTUGUESE, Language.DUTCH)
#: Characters read to decide (an article's opening says its language; the whole text costs more).
SAMPLE = 3_000


@lru_cache(maxsize=1)
def detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*CANDIDATES).build()


def language_of(text: str) -> str | None:
    """ISO 639-1 code of the text's language (``fr``, ``en``…), or ``None`` when it cannot tell."""
    found = detector().detect_language_of(" ".join(text[:SAMPLE].split()))
    return found.iso_code_639_1.name.lower() if found is not None else None


def language_name(code: str | None) -> str:
    """``en`` → ``English`` (for messages)."""
    for language in CANDIDATES:
        if language.iso_code_639_1.name.lower() == code:
            return language.name.capitalize()
    return "an unknown language"


def not_french(text: str) -> str | None:
    """Why an article is not read as French (one line), or ``None`` when it is French."""
    code = language_of(text)
    return None if code == "fr" else f"written in {language_name(code)}, not French: not extracted"
