"""Values out of free text, whatever the customer's language: order numbers, e-mails, phones,
counts and ratings.

Text is folded first (NFKC turns full-width "ＳＯ１００２３１" into "SO100231"; other scripts' digits
become ASCII).  Words are data: add a language by adding its words to the tables below.
Patterns never rely on `\\b`, which does not separate "是" from "SO" in Chinese text.
"""

from __future__ import annotations

import re
import unicodedata

ORDER_PREFIX = "SO"
ORDER_DIGITS = 6

# Words that announce an order number ("order 100231", "pedido nº 100231", "订单100231").
ORDER_WORDS = (
    "order",
    "order number",
    "order no",
    "pedido",
    "orden",
    "número de pedido",
    "commande",
    "bestellung",
    "ordine",
    "encomenda",
    "zamówienie",
    "订单",
    "订单号",
    "單號",
    "订单编号",
    "注文",
    "注文番号",
    "주문",
)

# Number words 0..20 per language (lower case, accents removed).
NUMBER_WORDS: dict[str, dict[str, int]] = {
    "en": {
        "zero": 0,
        "none": 0,
        "nothing": 0,
        "nil": 0,
        "one": 1,
        "two": 2,
        "three": 3,
        "four": 4,
        "five": 5,
        "six": 6,
        "seven": 7,
        "eight": 8,
        "nine": 9,
        "ten": 10,
        "eleven": 11,
        "twelve": 12,
        "thirteen": 13,
        "fourteen": 14,
        "fifteen": 15,
        "sixteen": 16,
        "seventeen": 17,
        "eighteen": 18,
        "nineteen": 19,
        "twenty": 20,
        "single": 1,
        "once": 1,
        "twice": 2,
        "pair": 2,
        "dozen": 12,
    },
    "es": {
        "cero": 0,
        "ninguno": 0,
        "ninguna": 0,
        "ningun": 0,
        "nada": 0,
        "un": 1,
        "uno": 1,
        "una": 1,
        "dos": 2,
        "tres": 3,
        "cuatro": 4,
        "cinco": 5,
        "seis": 6,
        "siete": 7,
        "ocho": 8,
        "nueve": 9,
        "diez": 10,
        "once": 11,
        "doce": 12,
        "trece": 13,
        "catorce": 14,
        "quince": 15,
        "dieciseis": 16,
        "diecisiete": 17,
        "dieciocho": 18,
        "diecinueve": 19,
        "veinte": 20,
    },
}
# Words in one table that are ordinary words in another ("once" = 11 in Spanish, "one time" in English).
AMBIGUOUS_WORDS = frozenset({"once"})

# Chinese (and Japanese kanji) numerals; phrases meaning "none"; measure words after a number.
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
CJK_NONE = ("一个也没有", "一件也没有", "一个都没有", "都没有", "没有", "沒有", "没收到", "沒收到")

STARS = "⭐★🌟"
RATING_MIN, RATING_MAX = 1, 5

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63"
_NUMBER = rf"(\d{{{ORDER_DIGITS}}})(?!\d)"
_PREFIXED = re.compile(rf"(?<![A-Za-z0-9]){ORDER_PREFIX}[\s\-_#:.]*{_NUMBER}", re.IGNORECASE)
_HASHED = re.compile(rf"#\s*{_NUMBER}")
_AFTER_WORD = re.compile(
    "(?:"
    + "|".join(re.escape(w) for w in sorted(ORDER_WORDS, key=len, reverse=True))
    + rf")[^\d]{{0,15}}?{_NUMBER}",
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


def _strip_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def parse_order_number(text: str) -> str | None:
    """'SO-100231', 'so100231', '#100231', 'order 100231', '我的订单号是SO100231', or just '100231'
    -> 'SO-100231'; None when there is no order number."""
    folded = _fold(text)
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
_ALL_WORDS = {word: n for table in NUMBER_WORDS.values() for word, n in table.items()}


def parse_count(text: str) -> int | None:
    """A count of items: '2', '-1', 'two', 'dos', '两个', 'none', 'ninguno', '没有' -> 0; None for 'lots'."""
    folded = _fold(text).strip().lower()
    match = _INT.search(folded)
    if match:
        return int(match.group(0))
    if any(phrase in folded for phrase in CJK_NONE):
        return 0
    words = _WORD.findall(_strip_accents(folded))
    for word in words:
        if word in _ALL_WORDS and (word not in AMBIGUOUS_WORDS or len(words) == 1):
            return _ALL_WORDS[word]
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


# "Which item?" answers by position, and "how many?" answers meaning every unit, per language.
ORDINAL_WORDS = {
    "en": {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1},
    "es": {
        "primero": 1,
        "primera": 1,
        "segundo": 2,
        "segunda": 2,
        "tercero": 3,
        "tercera": 3,
        "ultimo": -1,
        "ultima": -1,
    },
    "zh": {"第一": 1, "第二": 2, "第三": 3, "第四": 4, "最后": -1},
}
EVERY_UNIT_WORDS = {
    "en": ("both", "all", "every", "each"),
    "es": ("ambos", "ambas", "todos", "todas", "los dos", "las dos"),
    "zh": ("都", "全部", "两个都", "所有"),
}


def parse_ordinal(text: str) -> int | None:
    """1 for "the first one", 2 for "第二个", -1 for "the last"; None when there is none."""
    folded = _strip_accents(text.lower())
    words = set(_WORD.findall(folded))
    for table in ORDINAL_WORDS.values():
        for word, position in table.items():
            if word in words or (not word.isascii() and word in folded):
                return position
    return None


def means_every_unit(text: str) -> bool:
    """ "both of them", "todos", "都坏了": the answer covers every unit of the line."""
    folded = _strip_accents(text.lower())
    words = set(_WORD.findall(folded))
    return any(
        (w in words if w.isascii() and " " not in w else w in folded)
        for table in EVERY_UNIT_WORDS.values()
        for w in table
    )
