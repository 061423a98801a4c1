"""The fan-out runner: plan, write every item in parallel, publish each as it arrives, assemble, check.

1. The plan: the offline generator's planner (no call) or one short model call through the registry
   (`GENERATION_PLANNER`), with the offline planner as that call's last fallback.
2. The items, each its own `llm_registry.generate` call on a thread of its own (the SDK clients are shared;
   they are thread-safe). Each item has the whole fallback chain to itself: a failed item is repaired,
   retried or answered by the next provider, and in the end by the offline generator for that item alone;
   the others are not redone. Items are collected on the calling thread as they finish, and each arrival
   is handed to `on_partial` (the worker publishes it), so callbacks never run concurrently.
3. The budget: every attempt's timeout comes from the caller's remaining time (the registry's rule), and
   the wait for the items ends with that time whatever the providers do: an item still out then is written
   by the offline generator, recorded as a deadline fallback.
4. The assembly passes the kind's whole-result checks. An item that repeats an earlier one is rewritten
   alone (once, through the registry, told what not to repeat), then replaced by its offline item; if the
   whole still fails, the offline generator's whole result answers. Every replacement marks the result
   degraded with the reason, as a fallback of a single call does."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

import llm_registry
from careercoach.generation.offline_provider import MODEL_NAME as OFFLINE_MODEL
from careercoach.generation.offline_provider import PROVIDER_NAME as OFFLINE
from careercoach.generation.plan import (
    FanOutJob,
    FanOutPolicy,
    FanOutSpec,
    ItemJob,
    Partial,
    PartialCallback,
    PartPrompt,
    PlanJob,
    no_partial,
)
from careercoach.generation.spec import GenerationSpec, Job
from careercoach.observability import logger
from llm_registry import Attempt, ErrorKind, GenerationResult, LlmRequest, Outcome, ProvidersExhausted

DraftT = TypeVar("DraftT", bound=BaseModel)


@dataclass(frozen=True)
class FanOutResult(GenerationResult[DraftT]):
    """The assembled result and the record of every call that made it, each attempt labelled with its part
    (`plan`, `q1`, `step3`): a `GenerationResult` (tokens, cached tokens and cost are summed the same way)
    whose `degraded` and `fallback_reason` speak for the whole set: degraded when any part fell back."""

    parts: tuple[str, ...] = ()
    fell_back: bool = False
    reason: str | None = None
    planner: str = "local"
    items: int = 0

    @property
    def degraded(self) -> bool:
        return self.fell_back

    @property
    def fallback_reason(self) -> str | None:
        return self.reason


@dataclass
class _Record:
    """Every attempt, in part order once sorted; who answered each item; why parts fell back."""

    attempts: list[tuple[int, str, Attempt]] = field(default_factory=list)  # (rank, part, attempt)
    answered: dict[int, tuple[str, str]] = field(default_factory=dict)  # item -> (provider, model)
    reasons: list[tuple[int, str]] = field(default_factory=list)  # (rank, fallback reason)

    def add(self, rank: int, part: str, result: GenerationResult[Any]) -> None:
        self.attempts += [(rank, part, attempt) for attempt in result.attempts]
        if result.degraded:
            self.reasons.append((rank, result.fallback_reason or "unknown"))


class FanOutRunner(Generic[DraftT]):
    def __init__(
        self,
        spec: GenerationSpec[DraftT, Any],
        job: Job,
        *,
        policy: FanOutPolicy,
        remaining_ms: Callable[[], int] | None = None,
        on_partial: PartialCallback = no_partial,
    ) -> None:
        if spec.fanout is None:
            raise ValueError(f"{spec.kind} declares no fan-out")
        self.spec = spec
        self.fanout: FanOutSpec[DraftT, Any, Any] = spec.fanout
        self.job = job
        self.policy = policy
        self.remaining_ms = remaining_ms
        self.on_partial = on_partial
        self.context = FanOutJob(job)
        self.record = _Record()
        self.whole_offline = False

    # ---- the run ------------------------------------------------------------------------------------------

    def run(self) -> FanOutResult[DraftT]:
        plan = self._plan()
        count = self.fanout.items(plan)
        outline = self.fanout.show_outline(self.job, plan)
        items: list[Any] = [None] * count
        shown: list[dict[str, Any] | None] = [None] * count
        self.on_partial(Partial(outline, list(shown), 0))

        pool = ThreadPoolExecutor(
            max_workers=max(1, min(count, self.policy.max_parallel)),
            thread_name_prefix=f"fanout-{self.spec.kind}",
        )
        try:
            futures: dict[Future[GenerationResult[Any]], int] = {
                pool.submit(self._call_item, plan, i, self.fanout.item_prompt(self.job, plan, i)): i
                for i in range(count)
            }
            pending = set(futures)
            done = 0
            while pending:
                finished, pending = wait(pending, timeout=self._left_s(), return_when=FIRST_COMPLETED)
                if not finished:
                    break  # the budget is spent: whatever is still out is written offline below
                for future in sorted(finished, key=futures.__getitem__):
                    index = futures[future]
                    items[index] = self._take(index, future)
                    shown[index] = self.fanout.show_item(self.job, plan, index, items[index])
                    done += 1
                    self.on_partial(Partial(outline, list(shown), done, index, shown[index]))
            late = sorted(futures[f] for f in pending)
            if late and self.job.options.provider not in (llm_registry.AUTO, OFFLINE):
                # The caller named one provider and so asked for no fallback: out of time is exhaustion.
                raise self._out_of_time(late)
            for index in late:
                items[index] = self._deadline_item(plan, index)
                shown[index] = self.fanout.show_item(self.job, plan, index, items[index])
                done += 1
                self.on_partial(Partial(outline, list(shown), done, index, shown[index]))
        finally:
            # Threads still waiting on a provider end with their own (budgeted) timeouts; nobody waits here.
            pool.shutdown(wait=False, cancel_futures=True)
        draft = self._finish(plan, items)
        return self._result(draft, count)

    # ---- parts --------------------------------------------------------------------------------------------

    def _generate(
        self,
        part: PartPrompt,
        model: type[BaseModel],
        check: Callable[[Any], list[str]],
        local: object,
        task: str,
    ) -> GenerationResult[Any]:
        request = LlmRequest(
            system=part.system,
            prefix=part.prefix,
            prompt=part.prompt,
            task=task,
            max_output_tokens=(
                self.fanout.plan_max_output_tokens
                if model is self.fanout.plan_model
                else self.fanout.item_max_output_tokens
            ),
            local_input=local,  # for the in-process offline provider only; never sent anywhere
        )
        return llm_registry.generate(
            request,
            model,
            provider=self.job.options.provider,
            check=check,
            remaining_ms=self.remaining_ms,
            report_degraded=False,  # the assembled result is reported once, by the service
        )

    def _plan(self) -> Any:
        if self.policy.planner == "local":
            return self.fanout.local_plan(self.context)
        try:
            result = self._generate(
                self.fanout.plan_prompt(self.job),
                self.fanout.plan_model,
                self.fanout.check_plan(self.job),
                PlanJob(self.fanout, self.context),
                f"{self.spec.kind}_plan",
            )
        except ProvidersExhausted as exc:
            raise ProvidersExhausted(list(exc.attempts), budget_exhausted=exc.budget_exhausted) from None
        self.record.add(0, "plan", result)
        return result.output

    def _call_item(self, plan: Any, index: int, part: PartPrompt) -> GenerationResult[Any]:
        return self._generate(
            part,
            self.fanout.item_model,
            lambda item: self.fanout.item_problems(item, self.job, plan, index),
            ItemJob(self.fanout, self.context, plan, index),
            f"{self.spec.kind}_item",
        )

    def _take(self, index: int, future: Future[GenerationResult[Any]]) -> Any:
        try:
            result = future.result()
        except ProvidersExhausted as exc:
            # Only when the caller named one provider (no offline fallback): the set cannot be completed.
            attempts = [a for _, _, a in sorted(self.record.attempts, key=lambda r: r[0])]
            raise ProvidersExhausted(
                [*attempts, *exc.attempts], budget_exhausted=exc.budget_exhausted
            ) from None
        self.record.add(index + 1, self.fanout.item_label(index), result)
        self.record.answered[index] = (result.provider, result.model)
        return result.output

    def _offline_item(self, plan: Any, index: int, reason: ErrorKind) -> Any:
        """The offline generator writes this item; recorded like a fallback attempt of the registry."""
        label = self.fanout.item_label(index)
        first = self._first_provider()
        message = (
            "no answer before the deadline; the offline generator wrote this item"
            if reason is ErrorKind.DEADLINE
            else "the item repeated another; the offline generator wrote it"
        )
        rank = index + 1
        self.record.attempts.append(
            (
                rank,
                label,
                Attempt(
                    provider=first, model="", outcome=Outcome.ERROR, error_kind=reason, error_message=message
                ),
            )
        )
        started = time.monotonic()
        item = self.fanout.offline_item(self.context, plan, index)
        latency = round((time.monotonic() - started) * 1000)
        self.record.attempts.append(
            (
                rank,
                label,
                Attempt(
                    provider=OFFLINE,
                    model=OFFLINE_MODEL,
                    outcome=Outcome.OK,
                    latency_ms=latency,
                    cost_usd=0.0,
                ),
            )
        )
        self.record.answered[index] = (OFFLINE, OFFLINE_MODEL)
        self.record.reasons.append((rank, reason.value))
        return item

    def _out_of_time(self, late: Sequence[int]) -> ProvidersExhausted:
        provider = self.job.options.provider
        ranked = [attempt for _, _, attempt in sorted(self.record.attempts, key=lambda r: r[0])]
        missed = [
            Attempt(provider=provider, model="", outcome=Outcome.SKIPPED, error_kind=ErrorKind.DEADLINE)
            for _ in late
        ]
        return ProvidersExhausted([*ranked, *missed], budget_exhausted=True)

    def _deadline_item(self, plan: Any, index: int) -> Any:
        logger.warning(
            "Fan-out item not answered in time; the offline generator writes it",
            extra={"kind": self.spec.kind, "part": self.fanout.item_label(index)},
        )
        return self._offline_item(plan, index, ErrorKind.DEADLINE)

    # ---- assembly -----------------------------------------------------------------------------------------

    def _finish(self, plan: Any, items: list[Any]) -> DraftT:
        check = self.spec.check(self.job)
        draft = self.fanout.assemble(self.job, plan, items)
        if not check(draft):
            return draft
        clashes = self.fanout.conflicts(self.job, plan, items)
        for index, earlier in clashes:
            label = self.fanout.item_label(index)
            try:
                result = self._call_item(
                    plan, index, self.fanout.rewrite_prompt(self.job, plan, index, earlier)
                )
            except ProvidersExhausted:
                continue
            self.record.add(index + 1, label, result)
            self.record.answered[index] = (result.provider, result.model)
            items[index] = result.output
        draft = self.fanout.assemble(self.job, plan, items)
        if not check(draft):
            return draft
        for index, _ in self.fanout.conflicts(self.job, plan, items):
            items[index] = self._offline_item(plan, index, ErrorKind.CHECK_FAILED)
        draft = self.fanout.assemble(self.job, plan, items)
        problems = check(draft)
        if not problems:
            return draft
        logger.warning(
            "Fanned-out result failed the whole-result checks; the offline generator answers",
            extra={"kind": self.spec.kind, "problems": len(problems)},
        )
        self.whole_offline = True
        self.record.reasons.append((len(items) + 1, ErrorKind.CHECK_FAILED.value))
        whole: DraftT = self.spec.offline(self.job)
        check(whole)  # normalised like any answer; the offline generator's output passes the checks
        return whole

    # ---- the combined record ------------------------------------------------------------------------------

    def _first_provider(self) -> str:
        ranked = sorted(self.record.attempts, key=lambda r: r[0])
        if ranked:
            return ranked[0][2].provider
        order = llm_registry.provider_order()
        option = self.job.options.provider
        return option if option != llm_registry.AUTO else (order[0] if order else OFFLINE)

    def _result(self, draft: DraftT, count: int) -> FanOutResult[DraftT]:
        first = self._first_provider()
        ranked = sorted(self.record.attempts, key=lambda r: r[0])  # stable: each part's attempts in order
        if self.whole_offline:
            provider, model = OFFLINE, OFFLINE_MODEL
        else:
            votes = Counter(provider for provider, _ in self.record.answered.values())
            order = {name: rank for rank, name in enumerate(llm_registry.provider_order())}
            provider = min(votes, key=lambda name: (-votes[name], order.get(name, len(order))))
            model = next(m for p, m in self.record.answered.values() if p == provider)
        reasons = sorted(self.record.reasons)
        degraded = bool(reasons) or provider != first
        return FanOutResult(
            output=draft,
            provider=provider,
            model=model,
            attempts=tuple(attempt for _, _, attempt in ranked),
            parts=tuple(part for _, part, _ in ranked),
            fell_back=degraded,
            reason=reasons[0][1] if reasons else (None if not degraded else "unknown"),
            planner=self.policy.planner,
            items=count,
        )

    def _left_s(self) -> float | None:
        return None if self.remaining_ms is None else max(0.0, self.remaining_ms() / 1000)


def result_parts(result: GenerationResult[Any]) -> Sequence[str | None]:
    """Each attempt's part label (a single call's attempts have none)."""
    return result.parts if isinstance(result, FanOutResult) else [None] * len(result.attempts)
