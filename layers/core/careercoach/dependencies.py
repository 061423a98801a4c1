"""Per-execution-environment singletons, built lazily on first use so cold starts stay cheap and tests can
reset them. Nothing here connects at import time, and nothing here imports the LLM registry unless a
generating function asks for it (the resumes and websocket functions ship without that layer)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from careercoach.models.generation import GenerationKind, InterviewSet, LearningPath
from careercoach.resumes import ResumeService
from careercoach.settings import get_settings
from careercoach.storage import mongo
from careercoach.storage.generations import GenerationRepository, MongoGenerationRepository
from careercoach.storage.resumes import MongoResumeRepository

if TYPE_CHECKING:
    from careercoach.generation import GenerationService
    from careercoach.progress import ProgressPublisher
    from careercoach.quota import GenerationQuota
    from careercoach.storage.connections import ConnectionStore
    from careercoach.storage.tasks import TaskStore
    from careercoach.tasks import TaskService
    from careercoach.websocket import WebSocketRoutes


@cache
def interview_repository() -> MongoGenerationRepository[InterviewSet]:
    return MongoGenerationRepository(mongo.get_database(), InterviewSet)


@cache
def learning_path_repository() -> MongoGenerationRepository[LearningPath]:
    return MongoGenerationRepository(mongo.get_database(), LearningPath)


def generation_repositories() -> dict[GenerationKind, GenerationRepository[Any]]:
    return {"interview": interview_repository(), "learning_path": learning_path_repository()}


def _delete_generated(unique_key: str, owner: str) -> None:
    interview_repository().delete_for_resume(unique_key, owner=owner)
    learning_path_repository().delete_for_resume(unique_key, owner=owner)


@cache
def resume_service() -> ResumeService:
    return ResumeService(MongoResumeRepository(mongo.get_database()), on_delete=[_delete_generated])


@cache
def generation_service() -> GenerationService:
    from careercoach.generation import GenerationService
    from careercoach.offline_provider import register_offline_provider
    from careercoach.resources import catalog

    register_offline_provider()
    return GenerationService(resume_service(), interview_repository(), learning_path_repository(), catalog())


def provider_order() -> list[str]:
    import llm_registry
    from careercoach.offline_provider import register_offline_provider

    register_offline_provider()  # idempotent
    return llm_registry.provider_order()


# ---- asynchronous generation ------------------------------------------------------------------------------


@cache
def task_store() -> TaskStore:
    from careercoach.storage.tasks import TaskStore

    return TaskStore(get_settings().tasks_table)


@cache
def connection_store() -> ConnectionStore:
    from careercoach.storage.connections import ConnectionStore

    return ConnectionStore(get_settings().connections_table)


@cache
def progress_publisher() -> ProgressPublisher:
    from careercoach.progress import ProgressPublisher, management_client

    def client() -> Any:
        endpoint = get_settings().websocket_management_endpoint
        if not endpoint:
            raise RuntimeError("WEBSOCKET_MANAGEMENT_ENDPOINT is not set")
        return management_client(endpoint)

    return ProgressPublisher(connection_store(), client)


@cache
def _sqs() -> Any:
    import boto3

    return boto3.client("sqs")


def _send_task_message(body: str) -> None:
    queue_url = get_settings().tasks_queue_url
    if not queue_url:
        raise RuntimeError("TASKS_QUEUE_URL is not set")
    _sqs().send_message(QueueUrl=queue_url, MessageBody=body)


@cache
def task_service() -> TaskService:
    from careercoach.tasks import TaskService

    return TaskService(
        task_store(),
        resume_service(),
        generation_repositories(),
        progress_publisher(),
        send_message=_send_task_message,
        generation=generation_service,
        max_receive_count=get_settings().tasks_max_receive_count,
    )


@cache
def generation_quota() -> GenerationQuota:
    from careercoach.quota import GenerationQuota

    settings = get_settings()
    return GenerationQuota(settings.quotas_table, settings.generation_quota_per_hour)


@cache
def websocket_routes() -> WebSocketRoutes:
    from careercoach.websocket import WebSocketRoutes

    return WebSocketRoutes(connection_store(), task_store(), progress_publisher(), generation_repositories())


def reset() -> None:
    for getter in (
        resume_service,
        interview_repository,
        learning_path_repository,
        generation_service,
        task_store,
        connection_store,
        progress_publisher,
        task_service,
        websocket_routes,
        generation_quota,
        _sqs,
    ):
        getter.cache_clear()
    mongo.reset()
    from careercoach import auth, idempotency, progress
    from careercoach.storage import dynamo

    dynamo.dynamodb.cache_clear()
    progress.management_client.cache_clear()
    idempotency.reset()
    auth.reset()
