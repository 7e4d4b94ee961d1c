"""Values a translator must not touch, swapped for numbered tokens before and back after.

`protect("Order {order_number} costs €12.50")` sends "Order ⟦0⟧ costs ⟦1⟧" to the provider;
`restore` puts the values back and refuses (returns None) a translation in which a token was
lost, duplicated or invented, so a mangled answer is never shown.

Tokens are `⟦n⟧` (mathematical white square brackets around ASCII digits): no language writes
them, translation engines pass unknown symbols through, and the digits carry no meaning a
translator would want to change.  Restoring tolerates the spaces engines like to insert
(`⟦ 0 ⟧`) and non-ASCII digits.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

OPEN, CLOSE = "\u27e6", "\u27e7"  # ⟦ ⟧
TOKEN = re.compile(rf"{OPEN}\s*(\d+)\s*{CLOSE}")

_CODES = (
    "USD|EUR|GBP|JPY|CNY|RMB|SEK|NOK|DKK|ISK|CHF|PLN|CZK|HUF|RON|BGN|AUD|CAD|NZD|HKD|SGD|KRW|"
    "INR|BRL|MXN|TRY|RUB|UAH|ILS|AED|SAR|ZAR|THB|VND|IDR|MYR|PHP|TWD"
)
# Symbols as Babel writes them ("US$", "CN¥", "UK£", "$US", "￥", "kr", "zł", "ر.س."), then ISO codes.
_SYMBOL = (
    r"(?:[A-Z]{1,2}[$£¥]|[$£¥€][A-Z]{1,2}(?![A-Za-z])|[$¥￥元€£₩₹₽₺₫฿₱₪₴₦]|kr\.?|zł|Kč|Ft|lei|"
    rf"[\u0600-\u06ff]{{1,3}}\.[\u0600-\u06ff]{{1,3}}\.\u200f?|(?:{_CODES})(?![A-Za-z]))"
)
_AMOUNT_NUMBER = r"\d{1,3}(?:[.,'\u00a0\u202f]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_SPACE = r"[ \u00a0\u202f]?[\u200e\u200f]?"  # Babel puts bidi marks in RTL locales
_SEP = r"[\u200e\u200f]?[./-]"

_PATTERNS = (
    # template fields of domain.yml responses
    r"\{[A-Za-z_]\w*\}",
    # URLs, without the sentence's closing punctuation
    r"(?:https?://|www\.)[^\s<>\"']*[^\s<>\"'.,;:!?)\]}»」』、。，！？]",
    r"(?<![\w.%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}",
    # amounts: "€12.50", "12,50 €", "SEK 199", "¥9,800", "9800円"
    rf"-?{_SYMBOL}{_SPACE}(?:{_AMOUNT_NUMBER})",
    rf"(?:{_AMOUNT_NUMBER}){_SPACE}(?:{_SYMBOL}|円|元|원)",
    # dates and times: ISO, numeric, CJK, "Nov 30, 2026", "30 nov. 2026", "30 de nov. de 2026", 14:30
    r"\d{4}-\d{1,2}-\d{1,2}",
    r"\d{4}[年년] ?\d{1,2}[月월] ?\d{1,2}[日일]",
    r"\d{4}\.\s?\d{1,2}\.\s?\d{1,2}\.?",
    rf"\d{{1,2}}{_SEP}\d{{1,2}}{_SEP}\d{{2,4}}",
    r"[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}",
    r"\d{1,2}\.? (?:de )?[^\W\d_]{3,12}[.\u05f3]?(?: de)? \d{4}",
    r"\d{1,2}:\d{2}",
    # order numbers, case numbers, tracking codes: letters and at least three digits in one word
    r"(?<![\w-])(?=(?:[A-Za-z-]*\d){3})(?=[\d-]*[A-Za-z])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*(?![\w-])",
    # phone numbers as one piece, so their groups are not reordered
    r"\+?\d[\d \-./()]{5,22}\d",
    r"\d+(?:[.,]\d+)*",
    # the token brackets themselves, should a text contain them
    rf"[{OPEN}{CLOSE}]",
)
_PROTECTED = re.compile("|".join(f"(?:{pattern})" for pattern in _PATTERNS))
_WORD = re.compile(r"[^\W\d_]")
# Every pattern needs one of these: texts without any (most replies) skip the long scan.
_HINT = re.compile(rf"[\d{{@{OPEN}{CLOSE}]|://|www\.")


def _token(index: int) -> str:
    return f"{OPEN}{index}{CLOSE}"


@dataclass(frozen=True)
class Protected:
    """A text with its protected values replaced by tokens, and those values by index."""

    text: str
    values: tuple[str, ...]

    @property
    def translatable(self) -> bool:
        """False when nothing but values and punctuation is left (nothing to send)."""
        return _WORD.search(TOKEN.sub("", self.text)) is not None

    def restore(self, translated: str) -> str | None:
        """The translation with the values back, or None if any token is missing, repeated
        or unknown."""
        found = Counter(int(match.group(1)) for match in TOKEN.finditer(translated))
        if found != Counter(range(len(self.values))):
            return None
        return TOKEN.sub(lambda match: self.values[int(match.group(1))], translated)


def protect(text: str) -> Protected:
    """Replaces template fields, URLs, e-mails, amounts, dates, codes and numbers by `⟦n⟧`."""
    if not _HINT.search(text):
        return Protected(text, ())
    values: list[str] = []

    def replace(match: re.Match) -> str:
        values.append(match.group(0))
        return _token(len(values) - 1)

    return Protected(_PROTECTED.sub(replace, text), tuple(values))
