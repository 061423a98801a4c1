"""A stored or answered timestamp: a UTC datetime in the models, ISO 8601 with milliseconds and `Z` in every
dump (careercoach.clock.iso), whichever model carries it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import PlainSerializer

from careercoach.clock import iso

Instant = Annotated[datetime, PlainSerializer(iso, return_type=str)]
