"""Buttons where a platform has none, or too few: numbered choices.

The bot's buttons become "1. Yes\n2. No" under the text, and the customer's reply "2" becomes the
second button's payload.  The payloads last offered are kept per (channel, customer) in the
database, so this works whichever process handles the reply; the customer's next message
consumes them, so a later "2" (a count, a rating) stays a plain answer.
"""

from __future__ import annotations

import re
import unicodedata

from bot.channels import contacts

BUTTONS = "buttons"  # the platform's own buttons with the titles
NUMBERED_BUTTONS = "numbered_buttons"  # numbered list in the text, buttons titled "1", "2", ...
NUMBERED_TEXT = "numbered_text"  # numbered list in the text only; the customer types the number

_NUMBER = re.compile(r"^\s*#?\s*(\d{1,2})\s*[.)]?\s*$")


def layout(titles: list[str], *, max_buttons: int, max_title: int) -> str:
    """How to show `titles` on a platform allowing `max_buttons` buttons of `max_title` characters.

    Titles are never cut: a cut translation can change its meaning ("Ja, aber nicht..." ->
    "Ja"), so long titles stay whole in the text and the buttons carry their numbers."""
    if len(titles) > max_buttons:
        return NUMBERED_TEXT
    if any(len(title) > max_title for title in titles):
        return NUMBERED_BUTTONS
    return BUTTONS


def numbered(text: str, titles: list[str]) -> str:
    """`text` followed by the titles as "1. title" lines.  Titles that already are their own
    numbers (a 1 to 5 rating) are not repeated: the text asks for the number."""
    if [title.strip() for title in titles] == [str(n) for n in range(1, len(titles) + 1)]:
        return text
    lines = "\n".join(f"{n}. {title}" for n, title in enumerate(titles, start=1))
    return f"{text}\n\n{lines}" if text else lines


def number_of(reply: str) -> int | None:
    """The choice number a reply names: "2", "2.", " 2) ", "#2", "２" (full-width digits)."""
    match = _NUMBER.match(unicodedata.normalize("NFKC", reply or ""))
    return int(match.group(1)) if match else None


def pick(payloads: list[str], reply: str) -> str | None:
    """The payload the reply chooses among `payloads`, or None if it chooses none."""
    number = number_of(reply)
    if number is None or not 1 <= number <= len(payloads):
        return None
    return payloads[number - 1]


def remember(channel: str, recipient: str, payloads: list[str], database_url: str | None = None) -> None:
    """The choices just offered to the customer (replacing earlier ones)."""

    def change(contact) -> None:
        contact.choices = list(payloads)

    contacts.update(channel, recipient, change, database_url)


def take(channel: str, recipient: str, database_url: str | None = None) -> list[str]:
    """The choices last offered, consumed: the customer has answered (whatever they said)."""

    def change(contact) -> list[str]:
        offered, contact.choices = list(contact.choices or []), None
        return offered

    return contacts.update(channel, recipient, change, database_url)
