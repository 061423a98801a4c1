"""Parameters several routers share, documented once."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

# Opaque: only a cursor this API gave out reads back (careercoach.storage.pagination), which no JSON
# Schema can state, so the description and the documented 400 say it.
Cursor = Annotated[
    str | None,
    Query(
        max_length=200,
        description="next_cursor of the previous page, as given; any other value is a 400 invalid_cursor",
    ),
]
