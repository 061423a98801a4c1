"""Parameters several routers share, documented once."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from careercoach.storage.pagination import CURSOR_PATTERN


class _CursorSchema:
    """The document states the cursor's whole rule (careercoach.storage.pagination): a value that matches it
    reads back, one that does not is refused. The decoder checks it, after the route is chosen, so every
    refusal is the same 400 `invalid_cursor` (not a 422 for some and a 400 for others)."""

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        # A query parameter is a string or absent: never null.
        json_schema.pop("anyOf", None)
        # Empty is the first page, as absent is.
        return {**json_schema, "type": "string", "pattern": f"^({CURSOR_PATTERN[1:-1]})?$"}


Cursor = Annotated[
    str | None,
    Query(
        description="next_cursor of the previous page, as given (absent or empty: the first page); any value "
        "that does not match the pattern is a 400 invalid_cursor",
    ),
    _CursorSchema(),
]
