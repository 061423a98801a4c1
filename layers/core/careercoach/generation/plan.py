"""Plan, then fan out: what a kind declares so that its result can be written item by item.

A kind whose result is a list of items (questions, steps) declares a `FanOutSpec` in its `GenerationSpec`:
- the plan: the outline every item call is given (for questions the N topics with category, difficulty and
  the resume item each is grounded in; for a learning path the strengths, gaps and the step outline). It
  comes from the offline generator's own planner (`local_plan`, no call at all) or from one short model call
  (`plan_prompt`, `plan_model`, checked by `plan_problems`), as `GENERATION_PLANNER` says;
- the items: one prompt per item (`item_prompt`: a shared prefix, resume first, so that the vendors' prompt
  caches apply, then the item's own request), checked on its own (`item_problems`), with its offline
  answer (`offline_item`) as the last fallback of that item alone;
- the assembly into the kind's draft (`assemble`), which then passes the kind's whole-result checks, and
  `conflicts`: items that repeat earlier ones once assembled (written in parallel, items cannot see each
  other), rewritten alone with `rewrite_prompt`;
- how a plan and an item look in partial results (`show_outline`, `show_item`): as the stored record will
  show them.

This module imports nothing from the LLM layer: specs load in functions that ship without it. The runner
is `careercoach.generation.fanout`."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

from pydantic import BaseModel

from careercoach.prompts.fanout import PartPrompt

if TYPE_CHECKING:
    from careercoach.generation.spec import Job

DraftT = TypeVar("DraftT", bound=BaseModel)
PlanT = TypeVar("PlanT", bound=BaseModel)
ItemT = TypeVar("ItemT", bound=BaseModel)

Planner = Literal["local", "model"]

__all__ = [
    "MIN_ITEMS",
    "FanOutJob",
    "FanOutPolicy",
    "FanOutSpec",
    "ItemJob",
    "PartPrompt",
    "Partial",
    "PartialCallback",
    "PlanJob",
    "Planner",
    "no_partial",
    "partial_progress",
]


class FanOutJob:
    """One fanned-out generation's input: the `Job`, and the offline generator's whole answer for it, made
    at most once (the local planner and every offline item read it)."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self._lock = threading.Lock()
        self._offline: Any = None

    def offline_draft(self) -> Any:
        with self._lock:
            if self._offline is None:
                self._offline = self.job.spec.offline(self.job)
            return self._offline


@dataclass(frozen=True, kw_only=True)
class FanOutSpec(Generic[DraftT, PlanT, ItemT]):
    plan_model: type[PlanT]
    item_model: type[ItemT]
    plan_max_output_tokens: int
    item_max_output_tokens: int
    # How many items the result will have, known before planning (the fan-out decision).
    expected_items: Callable[[Job], int]
    local_plan: Callable[[FanOutJob], PlanT]
    plan_prompt: Callable[[Job], PartPrompt]
    normalise_plan: Callable[[PlanT, Job], None]
    plan_problems: Callable[[PlanT, Job], list[str]]
    items: Callable[[PlanT], int]
    item_prompt: Callable[[Job, PlanT, int], PartPrompt]
    # The same item's prompt asking for a text unlike `avoid` (an item it repeated).
    rewrite_prompt: Callable[[Job, PlanT, int, str], PartPrompt]
    item_problems: Callable[[ItemT, Job, PlanT, int], list[str]]
    offline_item: Callable[[FanOutJob, PlanT, int], ItemT]
    assemble: Callable[[Job, PlanT, Sequence[ItemT]], DraftT]
    # (index, the earlier item's text) for each item that repeats an earlier one once assembled.
    conflicts: Callable[[Job, PlanT, Sequence[ItemT]], list[tuple[int, str]]]
    show_outline: Callable[[Job, PlanT], dict[str, Any]]
    show_item: Callable[[Job, PlanT, int, ItemT], dict[str, Any]]
    item_label: Callable[[int], str]
    # The version of the prompts this job's calls get (stored with the result).
    prompt_version: Callable[[Job], str]

    def check_plan(self, job: Job) -> Callable[[PlanT], list[str]]:
        def check(plan: PlanT) -> list[str]:
            self.normalise_plan(plan, job)
            return self.plan_problems(plan, job)

        return check


@dataclass(frozen=True)
class PlanJob:
    """The `local_input` of a plan call: the offline provider answers it with the local planner's plan."""

    fanout: FanOutSpec[Any, Any, Any]
    context: FanOutJob

    def answer_offline(self) -> BaseModel:
        return self.fanout.local_plan(self.context)


@dataclass(frozen=True)
class ItemJob:
    """The `local_input` of one item call: the offline provider answers it with that item alone."""

    fanout: FanOutSpec[Any, Any, Any]
    context: FanOutJob
    plan: Any
    index: int

    def answer_offline(self) -> BaseModel:
        return self.fanout.offline_item(self.context, self.plan, self.index)


# The fewest items for which fanning out pays, by planner (bench/bench_fanout.py, "small counts"): with the
# local planner even one question is written faster and for less (the plan fixes its category, difficulty
# and grounding, so the model writes fewer tokens); a model plan is a whole extra round trip first, which
# pays only from three items on.
MIN_ITEMS: dict[str, int] = {"local": 1, "model": 3}


@dataclass(frozen=True)
class FanOutPolicy:
    """When a generation is planned and fanned out instead of written by one call.

    `mode` "auto" fans out when the first provider tried is a remote model and the result has at least
    `min_items` items (default: `MIN_ITEMS` for the planner); "off" always writes in one call (for a local
    model server that runs one request at a time, where parallel calls only queue). The offline generator,
    in-process, always writes the whole result at once, as before."""

    mode: Literal["auto", "off"] = "auto"
    planner: Planner = "local"
    min_items: int | None = None
    max_parallel: int = 10

    @property
    def threshold(self) -> int:
        return self.min_items if self.min_items is not None else MIN_ITEMS[self.planner]

    def applies(self, items: int, first_provider_in_process: bool) -> bool:
        return self.mode == "auto" and not first_provider_in_process and items >= self.threshold


@dataclass(frozen=True)
class Partial:
    """What is known so far: the plan's outline and the items written (None where still being written)."""

    outline: dict[str, Any]
    items: list[dict[str, Any] | None]
    done: int
    index: int | None = None  # the item that just arrived; None for the plan alone
    item: dict[str, Any] | None = None

    @property
    def total(self) -> int:
        return len(self.items)

    def snapshot(self) -> dict[str, Any]:
        """The `partial` of a task's progress snapshot."""
        return {"total": self.total, "done": self.done, **self.outline, "items": list(self.items)}


PartialCallback = Callable[[Partial], None]


def no_partial(_: Partial) -> None:
    """The default `on_partial`: nobody follows the items (the sync routes)."""
    return None


def partial_progress(done: int, total: int, low: int, high: int) -> int:
    """Progress in percent while items arrive: strictly between `low` (before the calls) and `high` (the
    checks), moving with each item, so the bar never sits still for the whole generation."""
    return low + round((high - low) * (done + 1) / (total + 2))
