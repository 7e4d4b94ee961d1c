"""Language codes: the one place they are normalised and spelled for each translator.

Our own code is always ISO 639-1 in lower case ("zh", "pt", "he", "no"): variants, scripts and
regions are dropped ("zh-TW" -> "zh", "pt-BR" -> "pt"), because the assistant keeps one
language per conversation and its replies do not differ by region.  Unknown or empty input
normalises to "" (never raises): locale hints come from browsers and messaging apps, and a bad
hint must not break a conversation; callers treat "" as "no hint".
"""

from __future__ import annotations

import re
from functools import lru_cache

from babel import Locale, UnknownLocaleError

# The languages the assistant answers natively, in the order buttons and docs list them.
SUPPORTED: tuple[str, ...] = (
    "en", "zh", "es", "fr", "de", "pt", "it", "ru", "ja", "ko", "ar", "tr", "nl", "pl",
)  # fmt: skip

# Deprecated or non-standard codes that still arrive from apps and translators.
_ALIASES = {
    "iw": "he",  # Hebrew, old ISO code (Google, Java)
    "ji": "yi",  # Yiddish, old ISO code
    "in": "id",  # Indonesian, old ISO code (Java, old Android)
    "jw": "jv",  # Javanese as Google spells it
    "nb": "no",  # Norwegian Bokmål / Nynorsk: one language for us
    "nn": "no",
    "mo": "ro",  # Moldavian
    "sh": "sr",  # Serbo-Croatian (old)
    "fil": "tl",  # Filipino has no ISO 639-1 code; Google and LibreTranslate use "tl"
    "zt": "zh",  # LibreTranslate's traditional Chinese
    "pb": "pt",  # LibreTranslate's Brazilian Portuguese
    # ISO 639-2/3 codes of the supported languages (Telegram and some CRMs send these).
    "eng": "en", "zho": "zh", "chi": "zh", "cmn": "zh", "spa": "es", "fra": "fr", "fre": "fr",
    "deu": "de", "ger": "de", "por": "pt", "ita": "it", "rus": "ru", "jpn": "ja", "kor": "ko",
    "ara": "ar", "tur": "tr", "nld": "nl", "dut": "nl", "pol": "pl",
}  # fmt: skip

# Our code -> the code each translation service expects, where they differ.
_GOOGLE = {"zh": "zh-CN", "he": "iw", "jv": "jw"}
# LibreTranslate (Argos models) names Norwegian "nb"; Chinese is "zh" on self-hosted servers.
_LIBRETRANSLATE = {"no": "nb"}
# Babel has no plain "no" data everywhere and names Filipino "fil".
_BABEL = {"no": "nb", "tl": "fil"}

_Q = re.compile(r";\s*q\s*=\s*([0-9.]+)")


@lru_cache(maxsize=1)
def _known() -> frozenset[str]:
    """Two-letter codes CLDR has a name for (plus our aliases' targets)."""
    return frozenset(code for code in Locale("en").languages if len(code) == 2) | {"no", "jv"}


def _best_of_accept_language(value: str) -> str:
    """ "fr;q=0.5, de-DE,de;q=0.9" -> "de-DE": the highest q, the first of equals."""
    best, best_q = "", -1.0
    for part in value.split(","):
        tag, _, _ = part.partition(";")
        tag = tag.strip()
        if not tag or tag == "*":
            continue
        match = _Q.search(part)
        try:
            q = float(match.group(1)) if match else 1.0
        except ValueError:
            q = 0.0
        if q > best_q:
            best, best_q = tag, q
    return best


@lru_cache(maxsize=1024)
def normalize(code: str | None) -> str:
    """Any language tag -> our ISO 639-1 code, or "" when it names no language we know.

    'zh-TW', 'zh_Hans', 'zh-cn' -> 'zh'; 'pt-BR' -> 'pt'; 'en_US' -> 'en'; 'iw' -> 'he';
    'jw' -> 'jv'; 'in' -> 'id'; 'nb'/'nn'/'no' -> 'no'; 'es-ES,es;q=0.9' -> 'es'.
    """
    if not code or not isinstance(code, str):
        return ""
    tag = _best_of_accept_language(code) if ("," in code or ";" in code) else code.strip()
    primary = tag.replace("_", "-").split("-")[0].strip().lower()
    primary = _ALIASES.get(primary, primary)
    return primary if len(primary) == 2 and primary.isalpha() and primary in _known() else ""


def is_supported(code: str | None) -> bool:
    """True for the 14 languages answered natively (after normalising)."""
    return normalize(code) in SUPPORTED


def to_google(code: str) -> str:
    """Google Translate's spelling: 'zh' -> 'zh-CN', 'he' -> 'iw', 'jv' -> 'jw'."""
    ours = normalize(code)
    return _GOOGLE.get(ours, ours)


def to_libretranslate(code: str, available: frozenset[str] | set[str] | None = None) -> str:
    """LibreTranslate's spelling: plain ISO 639-1, 'no' -> 'nb'.

    Self-hosted LibreTranslate (Argos models) calls Simplified Chinese "zh"; the newest hosted
    instance lists "zh-Hans".  Pass the server's /languages codes as `available` to pick the
    one it has; without it "zh" is used (what the documented language list says).
    """
    ours = normalize(code)
    spelled = _LIBRETRANSLATE.get(ours, ours)
    if available is not None and spelled not in available:
        for alternative in {"zh": ("zh-Hans", "zh-CN"), "no": ("no",), "he": ("iw",)}.get(ours, ()):
            if alternative in available:
                return alternative
    return spelled


@lru_cache(maxsize=256)
def to_babel(code: str) -> str:
    """A locale name Babel accepts ('zh', 'nb', 'fil'); 'en' when Babel has no data for it."""
    ours = normalize(code) or "en"
    name = _BABEL.get(ours, ours)
    try:
        Locale.parse(name)
    except (UnknownLocaleError, ValueError):
        return "en"
    return name


@lru_cache(maxsize=1024)
def language_name(code: str, in_language: str = "en") -> str:
    """CLDR's name of a language, in a language: ('de', 'en') -> 'German', ('es', 'es') -> 'español'.

    Falls back to the English name, then to the code itself.
    """
    ours = normalize(code)
    if not ours:
        return code
    for display in (to_babel(in_language), "en"):
        names = Locale.parse(display).languages
        for key in (ours, _BABEL.get(ours, ours)):
            if key in names:
                return names[key]
    return ours
