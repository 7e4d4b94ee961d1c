"""Values out of free text, whatever the customer's language: order numbers, e-mails, phones,
counts and ratings.

Text is folded first (NFKC turns full-width "ＳＯ１００２３１" into "SO100231"; other scripts' digits
become ASCII).  Words are data: a language's number words, ordinals and order words live in
`bot/language/words/<lang>.yml` (see `bot/language/lexicon.py`).
Patterns never rely on `\\b`, which does not separate "是" from "SO" in Chinese text.
"""

from __future__ import annotations

import re
import unicodedata

from bot.language.lexicon import fold, lexicons, words_of

ORDER_PREFIX = "SO"
ORDER_DIGITS = 6

# Chinese (and Japanese kanji) numerals, read in any language.
CJK_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CJK_TEN = "十"

STARS = "⭐★🌟"
RATING_MIN, RATING_MAX = 1, 5

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63"
_NUMBER = rf"(\d{{{ORDER_DIGITS}}})(?!\d)"
_PREFIXED = re.compile(rf"(?<![A-Za-z0-9]){ORDER_PREFIX}[\s\-_#:.]*{_NUMBER}", re.IGNORECASE)
_HASHED = re.compile(rf"#\s*{_NUMBER}")
# Words announcing an order number, in every language ("order 100231", "pedido nº 100231", "订单100231").
_ORDER_WORDS = sorted({w for lex in lexicons() for w in lex.order_words}, key=len, reverse=True)
_AFTER_WORD = re.compile(
    "(?:" + "|".join(re.escape(w) for w in _ORDER_WORDS) + rf")[^\d]{{0,15}}?{_NUMBER}",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_PHONE = re.compile(r"(?<![A-Za-z0-9])(\+|00)?\s*\d[\d\s\-./()]{5,22}\d(?!\d)")
_DATE = re.compile(r"^\d{4}[-./]\d{1,2}[-./]\d{1,2}$|^\d{1,2}[-./]\d{1,2}[-./]\d{4}$")
_INT = re.compile(r"(?<![\d.,])-?\d+(?![.,]\d)")
_WORD = re.compile(r"[^\W\d_]+")
PHONE_MIN_DIGITS, PHONE_MAX_DIGITS = 7, 15


def normalize_digits(text: str) -> str:
    """Every decimal digit (full-width, Arabic-Indic, Devanagari...) as its ASCII digit."""
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch for ch in text)


def _fold(text: str) -> str:
    text = normalize_digits(unicodedata.normalize("NFKC", text or ""))
    return text.translate({ord(d): "-" for d in _DASHES})


def parse_order_number(text: str) -> str | None:
    """'SO-100231', 'so100231', '#100231', 'order 100231', '我的订单号是SO100231', or just '100231'
    -> 'SO-100231'; None when there is no order number."""
    folded = fold(_fold(text))
    for pattern in (_PREFIXED, _HASHED, _AFTER_WORD):
        match = pattern.search(folded)
        if match:
            return f"{ORDER_PREFIX}-{match.group(1)}"
    # A bare number only when it is the only number in the message ("it's 100231").
    runs = re.findall(r"\d+", _EMAIL.sub(" ", folded))
    if len(runs) == 1 and len(runs[0]) == ORDER_DIGITS:
        return f"{ORDER_PREFIX}-{runs[0]}"
    return None


def parse_email(text: str) -> str | None:
    """The first e-mail address in the text, lower-cased (addresses are matched case-insensitively)."""
    match = _EMAIL.search(_fold(text))
    return match.group(0).strip(".").lower() if match else None


def parse_phone(text: str) -> str | None:
    """The first phone number: its digits, with '+' when given internationally ('+49 151 2345 6789'
    -> '+4915123456789', '0151 2345678' -> '01512345678').  Order numbers and dates are skipped."""
    folded = _fold(text)
    for pattern in (_PREFIXED, _HASHED, _EMAIL):
        folded = pattern.sub(" ", folded)
    for match in _PHONE.finditer(folded):
        candidate = match.group(0).strip()
        if _DATE.match(candidate):
            continue
        digits = re.sub(r"\D", "", candidate)
        international = candidate.startswith("+") or (candidate.startswith("00") and len(digits) > 10)
        if candidate.startswith("00") and international:
            digits = digits[2:]
        if PHONE_MIN_DIGITS <= len(digits) <= PHONE_MAX_DIGITS:
            return f"+{digits}" if international else digits
    return None


def _cjk_number(run: str) -> int | None:
    """'三' -> 3, '十二' -> 12, '二十' -> 20, '两' -> 2 (0..99)."""
    if CJK_TEN not in run:
        return CJK_DIGITS[run] if len(run) == 1 else None
    tens, _, ones = run.partition(CJK_TEN)
    if len(tens) > 1 or len(ones) > 1:
        return None
    return CJK_DIGITS.get(tens, 1 if not tens else -100) * 10 + (CJK_DIGITS[ones] if ones else 0)


_CJK_RUN = re.compile("[" + "".join(CJK_DIGITS) + CJK_TEN + "]+")


def _number_word(folded: str) -> int | None:
    """The first number word of any language; words that are also ordinary words ("once", "un")
    only in a short answer without another number word."""
    words = words_of(folded)
    found: list[tuple[int, bool, int]] = []  # (position, ambiguous, value)
    for lex in lexicons():
        for word, value in lex.numbers.items():
            if lex.find(word, folded, words):
                found.append((folded.find(word), word in lex.ambiguous, value))
    if not found:
        return None
    clear = sorted(f for f in found if not f[1])
    if clear:
        return clear[0][2]
    return sorted(found)[0][2] if len(words) <= 3 else None


def parse_count(text: str) -> int | None:
    """A count of items: '2', '-1', 'two', 'dos', '两个', 'none', 'ninguno', '没有' -> 0; None for 'lots'."""
    folded = fold(_fold(text)).strip()
    match = _INT.search(folded)
    if match:
        return int(match.group(0))
    value = _number_word(folded)
    if value is not None:
        return value
    for run in _CJK_RUN.findall(folded):
        value = _cjk_number(run)
        if value is not None and value >= 0:
            return value
    return None


def parse_rating(text: str) -> int | None:
    """A rating from 1 to 5: '4', '4/5', 'four', 'cuatro', '四', '⭐⭐⭐⭐'; None otherwise."""
    folded = _fold(text)
    stars = sum(folded.count(star) for star in STARS)
    if stars:
        return stars if RATING_MIN <= stars <= RATING_MAX else None
    value = parse_count(folded)
    return value if value is not None and RATING_MIN <= value <= RATING_MAX else None


def parse_ordinal(text: str) -> int | None:
    """1 for "the first one", 2 for "第二个", -1 for "the last"; None when there is none."""
    folded = fold(text)
    words = words_of(folded)
    for lex in lexicons():
        for word, position in lex.ordinals.items():
            if lex.find(word, folded, words):
                return position
    return None


def means_every_unit(text: str) -> bool:
    """ "both of them", "todos", "都坏了": the answer covers every unit of the line."""
    folded = fold(text)
    words = words_of(folded)
    return any(lex.find(w, folded, words) for lex in lexicons() for w in lex.every_unit)
