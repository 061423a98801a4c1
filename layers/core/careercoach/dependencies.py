"""Per-execution-environment singletons, built lazily on first use so cold starts stay cheap and tests can
reset them. Nothing here connects at import time."""

from __future__ import annotations

from functools import cache

from careercoach.resumes import ResumeService
from careercoach.storage import mongo
from careercoach.storage.resumes import MongoResumeRepository


@cache
def resume_service() -> ResumeService:
    return ResumeService(MongoResumeRepository(mongo.get_database()))


def reset() -> None:
    resume_service.cache_clear()
    mongo.reset()
