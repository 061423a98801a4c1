"""What the caller asks for, and what one provider call receives and returns."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from llm_registry.schema import OutputSchema

_MAX_PROBLEMS_FED_BACK = 20


@dataclass(frozen=True)
class LlmRequest:
    """A generation request. The registry never logs `system`, `prompt` or `local_input`.

    `task` is a short label (e.g. "interview_questions") used in logs. `local_input` is for in-process
    providers registered by the caller (such as an offline generator that builds the answer from structured
    data): an object of the caller's own type, which the registry passes through untouched and never sends
    to a remote provider.

    `prefix` is the leading part of the user turn that related requests share word for word (a document
    several calls work on). Providers send it first, right after the instructions, so that the vendors'
    prompt caches can reuse it: OpenAI and Gemini cache matching prefixes automatically, Anthropic caches up
    to the block marked with `cache_control`, which the Anthropic provider puts on the prefix block."""

    system: str
    prompt: str
    # Tokens for the answer itself. Providers add room for the model's reasoning/thinking where the model
    # reasons (see capabilities.py), so a reasoning model does not spend this budget before answering.
    max_output_tokens: int = 4096
    task: str = "generate"
    local_input: object = None
    prefix: str = ""

    def __post_init__(self) -> None:
        if not 1 <= self.max_output_tokens <= 200_000:
            raise ValueError("max_output_tokens must be between 1 and 200000")

    @property
    def user_text(self) -> str:
        """The whole user turn as one text: the shared prefix, then this request's own prompt."""
        return f"{self.prefix}\n\n{self.prompt}" if self.prefix else self.prompt


@dataclass(frozen=True)
class Repair:
    """The follow-up turn of a repair attempt: the previous answer, then what was wrong with it."""

    previous_answer: str
    problems: tuple[str, ...]

    def message(self) -> str:
        listed = "\n".join(f"- {problem}" for problem in self.problems[:_MAX_PROBLEMS_FED_BACK])
        more = len(self.problems) - _MAX_PROBLEMS_FED_BACK
        if more > 0:
            listed += f"\n- ... and {more} more"
        return (
            "Your previous answer could not be accepted:\n"
            f"{listed}\n"
            "Answer again with the complete, corrected JSON object only. It must conform to the schema; "
            "keep everything that was already right."
        )


@dataclass(frozen=True)
class ProviderCall:
    """Everything one attempt needs. `timeout_s` already accounts for the caller's remaining budget."""

    request: LlmRequest
    output_model: type[BaseModel]
    schema: OutputSchema
    timeout_s: float
    repair: Repair | None = None


@dataclass(frozen=True)
class ProviderReply:
    """A provider's answer: JSON text, an already-parsed mapping (tool input), or a model instance (in-process
    providers may return the output model directly). Tokens are None when the provider does not say."""

    content: str | Mapping[str, Any] | BaseModel
    input_tokens: int | None = None  # every input token, cached ones included
    output_tokens: int | None = None  # reasoning/thinking tokens included
    cached_input_tokens: int | None = None  # the part of input_tokens read from the prompt cache

    def as_text(self) -> str:
        """The answer as text, to show it back to the model in a repair turn."""
        if isinstance(self.content, str):
            return self.content
        if isinstance(self.content, BaseModel):
            return self.content.model_dump_json()
        return json.dumps(self.content, ensure_ascii=False)
