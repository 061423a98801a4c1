"""What differs between generation kinds, declared once per kind.

A `GenerationSpec` holds everything that is particular to one kind of generated result (interview questions,
a learning path, the evaluation of a practice answer): its draft model, prompt builder, normalisation and
checks, its offline entry point, the payload a request (and an async task) carries, the typed input it loads
beside the resume (`prepare`), where its results are kept and how a checked draft becomes one (`storage`),
its progress stages, and, for kinds served by the generic routes, the names under which the API serves it.
The service, the worker, storage and the routes read the spec; none of them switches on a kind. Adding a kind
is adding one spec to `careercoach.generation.kinds.SPECS`.

A `Job` is one generation's typed input. It is also what the in-process offline provider receives from the
LLM registry (as the request's `local_input`), so that provider works from typed fields, never from the
prompt text or an untyped mapping."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, Literal, Protocol, TypeVar

from pydantic import BaseModel

from careercoach.models.generation import AttemptSummary, GenerationOptions, GenerationRecord, Resource, Usage
from careercoach.models.resume import Language, ResumeContent

if TYPE_CHECKING:
    from careercoach.exports import Export
    from careercoach.generation.plan import FanOutSpec
    from careercoach.prompts.builder import CatalogLine, Prompt
    from careercoach.storage.generations import GenerationRepository
    from careercoach.storage.practice import PracticeSessionRepository

DraftT = TypeVar("DraftT", bound=BaseModel)
RecordT = TypeVar("RecordT", bound=BaseModel)
RecordT_co = TypeVar("RecordT_co", bound=BaseModel, covariant=True)
DocumentT = TypeVar("DocumentT", bound=GenerationRecord)

# Progress of a generation task, in percent, stage by stage (the worker reports each as it is reached).
GENERATION_STAGES: Mapping[str, int] = {
    "loading_resume": 10,
    "building_prompt": 30,
    "calling_llm": 70,
    "validating": 90,
    "saved": 100,
}


class ResourceCatalog(Protocol):
    """The curated resources; the only source of links in a learning path."""

    def lines_for(self, resume: ResumeContent, job_description: str | None) -> list[CatalogLine]: ...

    def resolve(self, resource_id: str) -> Resource | None: ...


class Payload(Protocol):
    """What every kind's request payload offers the service: the provider asked for and the language."""

    @property
    def provider(self) -> str: ...

    @property
    def language(self) -> Language | None: ...


class Stores(Protocol):
    """What a spec's `prepare` and `storage` may read and write (the container provides it)."""

    @property
    def repositories(self) -> Mapping[str, GenerationRepository[Any]]:
        """The collection of each kind stored as documents, by kind."""
        ...

    @property
    def practice_sessions(self) -> PracticeSessionRepository: ...


@dataclass(frozen=True)
class ApiNames:
    """Where the API serves a kind: `{prefix}/{unique_key}/{resource}` and the Swagger UI's title."""

    prefix: str
    resource: str
    title: str
    description: str


@dataclass(frozen=True)
class Drafted(Generic[DraftT]):
    """A checked draft and where it came from: what every stored result records beside its own fields."""

    output: DraftT
    provider: str
    model: str | None
    # A provider other than the first one tried answered (a fallback, the offline generator included).
    degraded: bool
    fallback_reason: str | None
    attempts: list[AttemptSummary]
    usage: Usage
    prompt_version: str
    # "single": one call wrote it; "fanout": planned, then written item by item (generation/plan.py).
    mode: Literal["single", "fanout"] = "single"

    def provenance(self) -> dict[str, Any]:
        """The fields every stored result (a question set, a learning path, a practice turn) records about
        where it came from."""
        return {
            "provider": self.provider,
            "model": self.model,
            "degraded": self.degraded,
            "fallback_reason": self.fallback_reason,
            "attempts": self.attempts,
            "usage": self.usage,
            "prompt_version": self.prompt_version,
        }


class ResultStorage(Protocol[DraftT, RecordT_co]):
    """Where a kind's results are kept. `save` turns a checked draft into the stored result (idempotent by
    `result_id`: a second save of the same id returns what the first stored); `find` reads one back as the
    API shows it; `release` lets go of what a task held once it failed for good."""

    def save(
        self,
        stores: Stores,
        job: Job,
        drafted: Drafted[DraftT],
        *,
        result_id: str,
        task_id: str | None,
        owner: str,
        created_at: datetime,
    ) -> RecordT_co: ...

    def find(self, stores: Stores, kind: str, result_id: str, *, owner: str) -> RecordT_co | None: ...

    def release(self, stores: Stores, kind: str, payload: Any, result_id: str, *, owner: str) -> None: ...


@dataclass(frozen=True, kw_only=True)
class DocumentStorage(Generic[DraftT, DocumentT]):
    """One document per result in the kind's own collection (`record_model` documents, one shape whoever
    writes them): the record's common fields plus the kind's own (`record_fields`, from a checked draft)."""

    collection: str
    record_fields: Callable[[DraftT, Job], dict[str, Any]]
    # How many items (questions, steps) a record holds: the history's `items`.
    items: Callable[[DocumentT], int]

    def save(
        self,
        stores: Stores,
        job: Job,
        drafted: Drafted[DraftT],
        *,
        result_id: str,
        task_id: str | None,
        owner: str,
        created_at: datetime,
    ) -> DocumentT:
        record: DocumentT = job.spec.record_model(
            id=result_id,
            unique_key=job.unique_key,
            language=job.language,
            options=job.options,
            mode=drafted.mode,
            **drafted.provenance(),
            task_id=task_id,
            created_at=created_at,
            **self.record_fields(drafted.output, job),
        )
        stored: DocumentT = stores.repositories[job.spec.kind].insert(record, owner=owner)
        return stored

    def find(self, stores: Stores, kind: str, result_id: str, *, owner: str) -> DocumentT | None:
        found: DocumentT | None = stores.repositories[kind].get(result_id, owner=owner)
        return found

    def release(self, stores: Stores, kind: str, payload: Any, result_id: str, *, owner: str) -> None:
        return None  # nothing is held before the document is stored


def _no_subject(stores: Stores, unique_key: str, payload: Any, owner: str) -> None:
    return None


@dataclass(frozen=True, kw_only=True)
class GenerationSpec(Generic[DraftT, RecordT]):
    kind: str
    label: str  # in words, for summaries and logs: "interview", "learning path"
    draft_model: type[DraftT]
    # What the API returns for a result (and documents in OpenAPI).
    record_model: type[RecordT]
    max_output_tokens: int
    build_prompt: Callable[[Job], Prompt]
    normalise: Callable[[DraftT, Job], None]
    problems: Callable[[DraftT, Job], list[str]]
    # The offline generator's answer for this kind (deterministic, no network).
    offline: Callable[[Job], DraftT]
    storage: ResultStorage[DraftT, RecordT]
    # Served by the generic generation routes (careercoach.api.generation) when set.
    api: ApiNames | None = None
    # The request's payload, as a client sends it (422 for anything else) and as an async task keeps it
    # (DynamoDB, as JSON).
    options_model: type[BaseModel] = GenerationOptions
    # The kind's own typed input beside the resume (`Job.subject`), loaded once the resume is known to be the
    # owner's and before any quota is spent; its errors (not found, conflict) are the request's.
    prepare: Callable[[Stores, str, Any, str], Any] = _no_subject
    # Statuses `prepare` may answer beyond a missing resume (for the API documents), e.g. 409.
    request_errors: tuple[int, ...] = ()
    stages: Mapping[str, int] = field(default_factory=lambda: GENERATION_STAGES)
    # The files the latest record can be downloaded as (careercoach.exports), each served beside the
    # resource: `{prefix}/{unique_key}/{resource}{suffix}`.
    exports: tuple[Export[RecordT, Any], ...] = ()
    # How to plan this kind's result and write it item by item in parallel (generation/plan.py); None: always
    # written by one call.
    fanout: FanOutSpec[DraftT, Any, Any] | None = None

    def check(self, job: Job) -> Callable[[DraftT], list[str]]:
        """The registry's `check` hook for this job: normalise the draft, then report its problems."""

        def check(draft: DraftT) -> list[str]:
            self.normalise(draft, job)
            return self.problems(draft, job)

        return check

    def payload(self, stored: Mapping[str, Any]) -> Any:
        """A task's payload, read back from what was stored: only the fields the model has, so tasks stored
        before an option became another kind's only (a learning path's `count`) still load."""
        return self.options_model.model_validate(
            {k: v for k, v in stored.items() if k in self.options_model.model_fields}
        )


@dataclass(frozen=True)
class Job:
    """One generation's typed input: the owner's resume (as content: no contact data, no name), the resolved
    payload and language, and the kind's own input (`subject`, from the spec's `prepare`). Never sent to a
    remote provider as such; the prompt is built from it."""

    spec: GenerationSpec[Any, Any]
    resume: ResumeContent
    options: Any
    language: Language
    catalog: ResourceCatalog
    unique_key: str = ""
    subject: Any = None

    def answer_offline(self) -> BaseModel:
        """The offline generator's answer to this job (see careercoach.generation.offline_provider)."""
        return self.spec.offline(self)
