"""The explicit wiring of one execution environment: settings, clients, stores and services.

A `Container` builds each part on first use and keeps it for the life of the execution environment, so a
cold start pays only for what its function touches and nothing connects at import time. Handlers reach the
environment's container through `current()`. Tests build a container with the fakes they need (a database,
a DynamoDB resource, a management-API client, a publisher...) and `install()` it, or set environment
variables and `reset()` so the next `current()` reads them; nothing patches module globals.

Imports of the LLM layer stay inside the parts that generate: the resumes and WebSocket functions ship
without that layer."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from careercoach.settings import Settings

if TYPE_CHECKING:
    from careercoach.auth import TokenVerifier
    from careercoach.generation.service import GenerationService
    from careercoach.idempotency import Idempotency
    from careercoach.importing.service import ResumeImporter
    from careercoach.practice.service import PracticeService
    from careercoach.progress import ProgressPublisher
    from careercoach.quota import GenerationQuota
    from careercoach.resumes import ResumeService
    from careercoach.storage.connections import ConnectionStore
    from careercoach.storage.generations import MongoGenerationRepository
    from careercoach.storage.practice import PracticeSessionRepository
    from careercoach.storage.tasks import TaskStore
    from careercoach.subscriptions import Subscriptions
    from careercoach.tasks import TaskService

T = TypeVar("T")


class lazy(Generic[T]):
    """A part built on first access, once, under the container's lock (the local runtime serves several
    functions from one process, so two threads may ask at once). Set in the instance's __dict__, where
    later reads find it without calling back here; a value given to the constructor is found there too."""

    def __init__(self, build: Callable[[Any], T]) -> None:
        self._build = build
        self._name = build.__name__
        self.__doc__ = build.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, instance: None, owner: type) -> lazy[T]: ...

    @overload
    def __get__(self, instance: Container, owner: type) -> T: ...

    def __get__(self, instance: Container | None, owner: type) -> lazy[T] | T:
        if instance is None:
            return self
        with instance._lock:
            if self._name not in instance.__dict__:
                instance.__dict__[self._name] = self._build(instance)
            value: T = instance.__dict__[self._name]
            return value


class Container:
    """Also the `Stores` the generation specs read and write (careercoach.generation.spec)."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        database: Any = None,
        dynamodb: Any = None,
        sqs: Any = None,
        management_client: Any = None,
        publisher: ProgressPublisher | None = None,
    ) -> None:
        """Every argument is optional: what is not given is built from the settings (read from the
        environment when not given) on first use."""
        self._lock = threading.RLock()
        given = {
            "settings": settings,
            "database": database,
            "dynamodb": dynamodb,
            "sqs": sqs,
            "management_client": management_client,
            "publisher": publisher,
        }
        self.__dict__.update({name: value for name, value in given.items() if value is not None})

    # ---- settings and clients ---------------------------------------------------------------------------

    @lazy
    def settings(self) -> Settings:
        return Settings.from_env()

    @lazy
    def mongo_client(self) -> Any:
        from careercoach.storage import mongo

        return mongo.connect(self.settings)

    @lazy
    def database(self) -> Any:
        return self.mongo_client[self.settings.mongodb_database]

    @lazy
    def dynamodb(self) -> Any:
        import boto3

        return boto3.resource("dynamodb")

    @lazy
    def sqs(self) -> Any:
        import boto3

        return boto3.client("sqs")

    @lazy
    def management_client(self) -> Any:
        """The API Gateway Management API client that posts to WebSocket connections."""
        import boto3

        endpoint = self.settings.websocket_management_endpoint
        if not endpoint:
            raise RuntimeError("WEBSOCKET_MANAGEMENT_ENDPOINT is not set")
        return boto3.client("apigatewaymanagementapi", endpoint_url=endpoint)

    @lazy
    def verifier(self) -> TokenVerifier:
        from careercoach.auth import verifier

        return verifier(self.settings)

    # ---- stores -----------------------------------------------------------------------------------------

    @lazy
    def repositories(self) -> Mapping[str, MongoGenerationRepository[Any]]:
        """One repository per generation kind stored as documents, keyed by the kind (its spec's collection
        and record model)."""
        from careercoach.generation.kinds import SPECS
        from careercoach.generation.spec import DocumentStorage
        from careercoach.storage.generations import MongoGenerationRepository

        return {
            kind: MongoGenerationRepository(
                self.database, spec.record_model, spec.storage.collection, items=spec.storage.items
            )
            for kind, spec in SPECS.items()
            if isinstance(spec.storage, DocumentStorage)
        }

    @lazy
    def practice_sessions(self) -> PracticeSessionRepository:
        from careercoach.storage.practice import MongoPracticeSessionRepository

        return MongoPracticeSessionRepository(self.database)

    @lazy
    def tasks(self) -> TaskStore:
        from careercoach.storage.tasks import TaskStore

        return TaskStore(self.dynamodb.Table(self.settings.tasks_table))

    @lazy
    def connections(self) -> ConnectionStore:
        from careercoach.storage.connections import ConnectionStore

        return ConnectionStore(self.dynamodb.Table(self.settings.connections_table))

    # ---- services ---------------------------------------------------------------------------------------

    @lazy
    def resumes(self) -> ResumeService:
        from careercoach.resumes import ResumeService
        from careercoach.storage.resumes import MongoResumeRepository

        def delete_generated(unique_key: str, owner: str) -> None:
            for repository in self.repositories.values():
                repository.delete_for_resume(unique_key, owner=owner)
            self.practice_sessions.delete_for_resume(unique_key, owner=owner)

        return ResumeService(MongoResumeRepository(self.database), on_delete=[delete_generated])

    @lazy
    def importer(self) -> ResumeImporter:
        """Resume import (PDF, DOCX, text): only the import function builds it; its document libraries come
        from the import layer."""
        from careercoach.importing.service import ResumeImporter

        return ResumeImporter(self.resumes)

    @lazy
    def generation(self) -> GenerationService:
        from careercoach.generation.plan import FanOutPolicy
        from careercoach.generation.service import GenerationService
        from careercoach.resources import catalog

        settings = self.settings
        policy = FanOutPolicy(
            mode=settings.generation_fanout,
            planner=settings.generation_planner,
            min_items=settings.generation_fanout_min_items,
        )
        return GenerationService(self.resumes, self, catalog(), fanout=policy)

    @lazy
    def publisher(self) -> ProgressPublisher:
        from careercoach.progress import ProgressPublisher

        return ProgressPublisher(self.connections, lambda: self.management_client)

    @lazy
    def task_service(self) -> TaskService:
        from careercoach.tasks import TaskService

        return TaskService(
            self.tasks,
            self.resumes,
            self,
            self.publisher,
            send_message=self._send_task_message,
            generation=lambda: self.generation,
            max_receive_count=self.settings.tasks_max_receive_count,
        )

    @lazy
    def practice(self) -> PracticeService:
        from careercoach.generation.interview import INTERVIEW
        from careercoach.practice.service import PracticeService

        return PracticeService(
            self.resumes,
            self.practice_sessions,
            self.repositories[INTERVIEW.kind],  # sessions practise interview question sets
            generation=lambda: self.generation,
            tasks=lambda: self.task_service,
        )

    @lazy
    def quota(self) -> GenerationQuota:
        from careercoach.quota import GenerationQuota

        return GenerationQuota(
            self.settings.generation_quota_per_hour,
            lambda: self.dynamodb.Table(self.settings.quotas_table),
        )

    @lazy
    def idempotency(self) -> Idempotency:
        from careercoach.idempotency import Idempotency

        return Idempotency(self.settings.idempotency_table)

    @lazy
    def subscriptions(self) -> Subscriptions:
        from careercoach.subscriptions import Subscriptions

        return Subscriptions(self.connections, self.tasks, self.publisher, self)

    def _send_task_message(self, body: str) -> None:
        queue_url = self.settings.tasks_queue_url
        if not queue_url:
            raise RuntimeError("TASKS_QUEUE_URL is not set")
        self.sqs.send_message(QueueUrl=queue_url, MessageBody=body)

    def close(self) -> None:
        """Release what holds connections (the Mongo client); the container is not used afterwards."""
        if "mongo_client" in self.__dict__:
            from careercoach.storage import mongo

            mongo.close(self.__dict__["mongo_client"])


_current: Container | None = None
_current_lock = threading.Lock()


def current() -> Container:
    """This execution environment's container, built on first use."""
    global _current
    with _current_lock:
        if _current is None:
            _current = Container()
        return _current


def install(container: Container | None) -> Container | None:
    """Make `container` the current one (None: the next `current()` builds a fresh one from the
    environment). Returns the one it replaced, which the caller may close."""
    global _current
    with _current_lock:
        previous, _current = _current, container
    return previous


def reset() -> None:
    """Drop the current container and close what it opened (tests switch settings with this)."""
    previous = install(None)
    if previous is not None:
        previous.close()
