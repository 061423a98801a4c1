"""Settings as one validated model, read from the environment once per execution environment (by the
container, careercoach.container)."""

from __future__ import annotations

import os
from typing import Literal

from pydantic import BaseModel, Field


class Settings(BaseModel):
    # Locally MONGODB_URI holds the URI itself; in AWS it is empty and MONGODB_URI_SOURCE names a Secrets
    # Manager secret ARN or an SSM (SecureString) parameter that holds it.
    mongodb_uri: str | None = None
    mongodb_uri_source: str | None = None
    mongodb_database: str = "careercoach"
    mongodb_timeout_ms: int = Field(default=5000, ge=100, le=30000)
    secret_max_age_s: int = Field(default=300, ge=0)
    max_body_bytes: int = Field(default=256 * 1024, ge=1024)
    # Asynchronous generation (names and URLs come from the template).
    tasks_table: str = "tasks"
    connections_table: str = "connections"
    idempotency_table: str = "idempotency"
    tasks_queue_url: str | None = None
    tasks_max_receive_count: int = Field(default=5, ge=1, le=1000)
    websocket_url: str | None = None
    websocket_management_endpoint: str | None = None
    # Authentication: on when an issuer is set (the template sets both from its AuthIssuer/AuthAudience
    # parameters). AUTH_JWKS_URI skips OpenID discovery; AUTH_AUDIENCE may list several, comma-separated.
    auth_issuer: str | None = None
    auth_audience: str | None = None
    auth_jwks_uri: str | None = None
    # Generation requests (sync and async, both kinds) per owner per clock hour; 0 switches the quota off.
    quotas_table: str = "quotas"
    generation_quota_per_hour: int = Field(default=30, ge=0, le=100000)
    # Fan-out (generation/plan.py): "auto" plans and writes items in parallel when the first provider is a
    # remote model and the result has at least GENERATION_FANOUT_MIN_ITEMS items (unset: what the planner
    # needs to pay, generation/plan.py MIN_ITEMS); "off" writes in one call
    # (e.g. for a local model server that runs one request at a time). The plan comes from the offline
    # generator's planner ("local", no call) or from one short model call ("model").
    generation_fanout: Literal["auto", "off"] = "auto"
    generation_planner: Literal["local", "model"] = "local"
    generation_fanout_min_items: int | None = Field(default=None, ge=1, le=10)
    # The sync routes answer within this many milliseconds of API Gateway receiving the request: the HTTP
    # API's integration timeout is 30 s and cannot be raised
    # (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html), so 3 s stay in
    # reserve for the response's way back and a cold start's init.
    sync_deadline_ms: int = Field(default=27_000, ge=1000, le=29_000)

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        values: dict[str, str] = {}
        for field in cls.model_fields:
            raw = env.get(field.upper())
            if raw not in (None, ""):
                values[field] = raw
        return cls.model_validate(values)
