"""What differs between generation kinds, declared once per kind.

A `GenerationSpec` holds everything that is particular to one kind of generated result (interview questions,
a learning path, ...): its draft and stored models, its collection, prompt builder, normalisation and
checks, how a checked draft becomes the stored record, its offline entry point, its progress stages, and the
names under which the API serves it. The service, the worker, storage and the routes read the spec; none of
them switches on a kind. Adding a kind is adding one spec to `careercoach.generation.kinds.SPECS`.

A `Job` is one generation's typed input. It is also what the in-process offline provider receives from the
LLM registry (as the request's `local_input`), so that provider works from typed fields, never from the
prompt text or an untyped mapping."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from pydantic import BaseModel

from careercoach.models.generation import GenerationOptions, GenerationRecord, Resource
from careercoach.models.resume import Language, ResumeContent

if TYPE_CHECKING:
    from careercoach.prompts.builder import CatalogLine, Prompt

DraftT = TypeVar("DraftT", bound=BaseModel)
RecordT = TypeVar("RecordT", bound=GenerationRecord)

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


@dataclass(frozen=True)
class ApiNames:
    """Where the API serves a kind: `{prefix}/{unique_key}/{resource}` and the Swagger UI's title."""

    prefix: str
    resource: str
    title: str
    description: str


@dataclass(frozen=True, kw_only=True)
class GenerationSpec(Generic[DraftT, RecordT]):
    kind: str
    label: str  # in words, for summaries and logs: "interview", "learning path"
    draft_model: type[DraftT]
    record_model: type[RecordT]
    # The options a request for this kind may send (422 for anything else).
    options_model: type[GenerationOptions]
    collection: str
    max_output_tokens: int
    api: ApiNames
    build_prompt: Callable[[Job], Prompt]
    normalise: Callable[[DraftT, Job], None]
    problems: Callable[[DraftT, Job], list[str]]
    # The kind's own fields of the stored record, from a checked draft.
    record_fields: Callable[[DraftT, Job], dict[str, Any]]
    # The offline generator's answer for this kind (deterministic, no network).
    offline: Callable[[Job], DraftT]
    # How many items (questions, steps) a record holds: the history's `items`.
    items: Callable[[RecordT], int]
    stages: Mapping[str, int] = field(default_factory=lambda: GENERATION_STAGES)

    def check(self, job: Job) -> Callable[[DraftT], list[str]]:
        """The registry's `check` hook for this job: normalise the draft, then report its problems."""

        def check(draft: DraftT) -> list[str]:
            self.normalise(draft, job)
            return self.problems(draft, job)

        return check


@dataclass(frozen=True)
class Job:
    """One generation's typed input: the owner's resume (as content: no contact data, no name) and the
    resolved options. Never sent to a remote provider as such; the prompt is built from it."""

    spec: GenerationSpec[Any, Any]
    resume: ResumeContent
    options: GenerationOptions
    language: Language
    catalog: ResourceCatalog
