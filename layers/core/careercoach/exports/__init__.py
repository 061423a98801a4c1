"""Exports: a stored result as a file a person keeps, e.g. a learning path as an iCalendar file, a question
set as a Markdown document.

What a kind can be exported as is part of its spec (`GenerationSpec.exports`): each `Export` says where it
is served (a suffix after the kind's resource: `learning-path.ics`), its media type, the query parameters
it takes, how those are read, and how a record becomes a `Document`. The routes are made from that
(careercoach.api.generation); nothing switches on a kind or a format.

Nothing here imports a format library at import time: the specs load in every function, and only a request
for an export pays for its library (icalendar takes tens of milliseconds to import)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from pydantic import BaseModel

from careercoach.errors import ValidationFailed

RecordT = TypeVar("RecordT", bound=BaseModel)
OptionsT = TypeVar("OptionsT")

# What an export's options are read from: the query parameters it declares (those given) and today's date
# (UTC), for defaults that depend on it.
QueryValues = Mapping[str, str]


@dataclass(frozen=True, kw_only=True)
class QueryParameter:
    """A query parameter an export takes; the API documents and checks it (always optional, a string)."""

    name: str
    description: str
    pattern: str
    example: str


@dataclass(frozen=True)
class Document:
    body: str
    filename: str  # ASCII, for Content-Disposition

    @property
    def disposition(self) -> str:
        """The Content-Disposition value (RFC 6266): download under `filename`."""
        return f'attachment; filename="{self.filename}"'


def no_options(query: QueryValues, today: date) -> None:
    return None


@dataclass(frozen=True, kw_only=True)
class Export(Generic[RecordT, OptionsT]):
    # Appended to the kind's resource: served at {prefix}/{unique_key}/{resource}{suffix}.
    suffix: str
    media_type: str
    summary: str
    # What the 200 answer is, for the OpenAPI document.
    description: str
    # The options from the query (`no_options` when it takes none); raises ValidationFailed (422) for a
    # value it cannot use. Runs before the record is read, so a bad request costs no database round trip.
    read_options: Callable[[QueryValues, date], OptionsT]
    render: Callable[[RecordT, OptionsT], Document]
    parameters: tuple[QueryParameter, ...] = ()


def invalid_query(name: str, message: str, error_type: str = "value_error") -> ValidationFailed:
    """A 422 for one query parameter, in the shape of every other field error."""
    return ValidationFailed(details=[{"loc": ["query", name], "msg": message, "type": error_type}])


def single_line(text: str) -> str:
    """Text on one line: runs of whitespace (line breaks included) become one space, and other control
    characters, which neither format allows in text, are dropped."""
    return " ".join("".join(c for c in text if not _control(c)).split())


def _control(character: str) -> bool:
    return unicodedata.category(character) == "Cc" and not character.isspace()
