"""Connecting to MongoDB. The container (careercoach.container) keeps one client per execution environment,
created lazily on first use and reused.

The URI comes from MONGODB_URI locally; in AWS, MONGODB_URI_SOURCE names a Secrets Manager secret (an ARN)
or an SSM SecureString parameter, fetched through Powertools Parameters and cached. `mongomock://...` selects
mongomock, an in-memory stand-in used by `make run` and the tests (as moto stands in for AWS)."""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from careercoach.errors import DatabaseUnavailable
from careercoach.observability import logger
from careercoach.settings import Settings

_MOCK_SCHEME = "mongomock://"
_MOCK_FACTORY_VARIABLE = "MONGOMOCK_CLIENT_FACTORY"


def resolve_mongodb_uri(settings: Settings) -> str:
    if settings.mongodb_uri:
        return settings.mongodb_uri
    source = settings.mongodb_uri_source
    if not source:
        raise DatabaseUnavailable("The database is not configured.")
    from aws_lambda_powertools.utilities import parameters

    if source.startswith("arn:") and ":secretsmanager:" in source:
        value = parameters.get_secret(source, max_age=settings.secret_max_age_s)
    else:
        value = parameters.get_parameter(source, decrypt=True, max_age=settings.secret_max_age_s)
    if not isinstance(value, str) or not value:
        raise DatabaseUnavailable("The database is not configured.")
    return value.strip()


def connect(settings: Settings) -> Any:
    """A client for the configured database: pymongo.MongoClient, or mongomock.MongoClient for
    `mongomock://` URIs. Connecting is lazy: nothing is sent before the first operation."""
    uri = resolve_mongodb_uri(settings)
    if uri.startswith(_MOCK_SCHEME):
        return _mongomock_client_class()(tz_aware=True)
    from pymongo import MongoClient

    timeout = settings.mongodb_timeout_ms
    return MongoClient(
        uri,
        tz_aware=True,
        appname="careercoach",
        serverSelectionTimeoutMS=timeout,
        connectTimeoutMS=timeout,
        socketTimeoutMS=max(timeout, 10_000),
        retryWrites=True,
    )


def _mongomock_client_class() -> Any:
    """mongomock.MongoClient, or the drop-in replacement MONGOMOCK_CLIENT_FACTORY names (`module:attribute`):
    the local runtime names one that keeps `make run`'s data across restarts (local/mongo_store.py). Only
    for mongomock:// URIs, which AWS never uses."""
    factory = os.environ.get(_MOCK_FACTORY_VARIABLE, "")
    if factory:
        module, _, attribute = factory.partition(":")
        logger.info("Using the MongoDB stand-in (mongomock) via a replacement", extra={"factory": factory})
        return getattr(importlib.import_module(module), attribute)
    import mongomock

    logger.info("Using the in-memory MongoDB stand-in (mongomock)")
    return mongomock.MongoClient


def ping(database: Any) -> None:
    """Round-trip to the server; raises DatabaseUnavailable when it cannot be reached."""
    from pymongo.errors import PyMongoError

    try:
        database.command("ping")
    except PyMongoError as exc:
        logger.warning("Database ping failed", extra={"error_type": type(exc).__name__})
        raise DatabaseUnavailable() from exc


def close(client: Any) -> None:
    try:
        client.close()
    except Exception as exc:  # closing a dead client must not mask what the caller is doing
        logger.debug("Closing the MongoDB client failed", extra={"error_type": type(exc).__name__})


@contextmanager
def database_errors() -> Iterator[None]:
    """Driver failures become DatabaseUnavailable (503), keeping driver text out of responses. Duplicate
    keys pass through: the repositories give them a meaning."""
    from pymongo.errors import DuplicateKeyError, PyMongoError

    try:
        yield
    except DuplicateKeyError:
        raise
    except PyMongoError as exc:
        raise DatabaseUnavailable() from exc
