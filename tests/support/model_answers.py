"""A competent model for the fake OpenAI server: answers careercoach's requests with valid, checkable JSON.

The fake provider servers only speak wire formats; what a model says is scripted by each test. For latency
benchmarks and end-to-end tests of the fan-out, every request of a generation (one whole result, a plan, or
one item) needs an answer that passes the checks and has a realistic size. This answers each with the
offline generator's own output for the same resume and options, cut to what the request asks for, which the
request's schema name says (`response_format.json_schema.name`):

- QuestionDraft / LearningPathDraft: the whole result (the single-call path);
- QuestionPlan / LearningPlan: the plan (the model planner);
- QuestionItem / StepItem: the item the prompt's last line names ("q3", "step 3", "3단계").

Sizes are then those the issue measured (the offline generator's output in tokens), and the content is
grounded in the resume exactly as the offline generator's is."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from careercoach.generation.plan import FanOutJob
from careercoach.generation.spec import GenerationSpec, Job
from careercoach.models.generation import GenerationOptions
from careercoach.models.resume import ResumeContent
from careercoach.resources import catalog
from tests.fakes.server import RecordedRequest, Reply
from tests.fakes.wire_formats import OpenAIChatServer

_QUESTION = re.compile(r"\bq(\d{1,2})\b")
_STEP = re.compile(r"(?:step (\d)\b|(\d)단계)")


def schema_name(request: RecordedRequest) -> str:
    body = request.json or {}
    return str(((body.get("response_format") or {}).get("json_schema") or {}).get("name", ""))


def last_user_line(request: RecordedRequest) -> str:
    messages = (request.json or {}).get("messages") or []
    users = [m for m in messages if m.get("role") == "user"]
    content = users[-1].get("content", "") if users else ""
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    return text.strip().splitlines()[-1] if text.strip() else ""


class ModelAnswers:
    """Answers for one resume and one set of options (both kinds)."""

    def __init__(self, resume: ResumeContent, options: dict[str, GenerationOptions]) -> None:
        from careercoach.generation.kinds import SPECS

        self._answers: dict[str, Callable[[str], Any]] = {}
        for kind, spec in SPECS.items():
            if kind not in options or spec.fanout is None:
                continue
            chosen = options[kind]
            job = Job(spec, resume, chosen, chosen.language or resume.language, catalog())
            self._add(spec, job)

    def _add(self, spec: GenerationSpec[Any, Any], job: Job) -> None:
        fanout = spec.fanout
        assert fanout is not None
        context = FanOutJob(job)
        draft = context.offline_draft()
        plan = fanout.local_plan(context)
        items = [fanout.offline_item(context, plan, i) for i in range(fanout.items(plan))]
        whole = draft.model_dump(mode="json")
        planned = plan.model_dump(mode="json")
        written = [item.model_dump(mode="json") for item in items]
        pattern = _QUESTION if fanout.item_label(0).startswith("q") else _STEP

        def item(last_line: str) -> Any:
            match = pattern.search(last_line)
            if match is None:
                raise LookupError("the item request names no item")
            number = int(next(group for group in match.groups() if group))
            return written[number - 1]

        self._answers[spec.draft_model.__name__] = lambda last_line: whole
        self._answers[fanout.plan_model.__name__] = lambda last_line: planned
        self._answers[fanout.item_model.__name__] = item

    def answer_for(self, schema: str, last_line: str) -> Any:
        """The answer to a request for `schema` (the output model's name) whose prompt ends with
        `last_line` (which names the item, for an item request)."""
        return self._answers[schema](last_line)

    def answer(self, request: RecordedRequest) -> Any:
        return self.answer_for(schema_name(request), last_user_line(request))

    def reply(self, server: OpenAIChatServer) -> Reply:
        """A reply that answers whatever request it meets (use as `server.default_reply`)."""
        return Reply(build=lambda request: server.ok(self.answer(request)).resolve(request))
