"""What each model family accepts: one table per provider, data rather than branches.

A row says, for the model ids its pattern matches, how structured output is obtained (`mechanism`), which
reasoning/thinking settings to send, how many extra output tokens to allow for reasoning, and where the
vendor documents it (`doc`). Providers read their row; nothing else in a provider varies by model. The last
row of each table matches every id and is the fallback for models the table does not know: it uses the most
widely accepted mechanism and sends no optional setting, so an unknown model is never sent something
documented to fail for it.

Mechanisms:
- "json_schema": the vendor's JSON-schema output mode (OpenAI `response_format` json_schema, strict;
  Anthropic `output_config.format`; Gemini `response_json_schema`).
- "forced_tool": the schema as the input of one tool the model is forced to call.
- "tool": the same tool offered without forcing (the instructions ask for it); text JSON is accepted too.
- "json_mode": the vendor's JSON mode without a schema (OpenAI `json_object`, Gemini `response_mime_type`),
  with the schema in the instructions.
- "json_text": no vendor feature at all: the schema in the instructions, JSON in the text answer.
Every answer is validated against the output model afterwards, with one repair turn, whatever the mechanism.

Model ids are normalised before matching: lower-cased; a date suffix is dropped (claude-haiku-4-5-20251001,
gpt-4o-2024-08-06); Bedrock ids lose an ARN's path, the geography prefix (us., eu., global. ...) and the
version suffix (-v1:0). Patterns are anchored regular expressions matched against that key (`fullmatch`).

Sources (read with the project's documentation search; see the `doc` of each row):
- OpenAI: the API reference of `reasoning_effort` (also in the openai SDK's own docstring: "gpt-5.1 defaults
  to none ... All models before gpt-5.1 default to medium reasoning effort, and do not support none"; "Not
  all reasoning models support every value"), `max_completion_tokens` ("including visible output tokens and
  reasoning tokens"), and the Structured Outputs guide.
- Anthropic: the models overview and the migration guides of Claude Opus 5.5, Sonnet 5.5 and Haiku 5.5
  (settings that return 400: forced tool choice and thinking {"type": "disabled"} on Sonnet 5.5 and Opus
  5.5; Sonnet 5.5's lowest setting is {"type": "between_tools"}; Haiku 5.5 accepts "disabled" at effort
  high or lower), the structured-outputs page (`output_config.format`, generally available from the
  Claude 4.5 models on) and the tool-use page (forced tool choice is incompatible with thinking).
- Gemini: the thinking guide (`thinking_level` per Gemini 3 model with the levels each accepts;
  `thinking_budget` 0 turns thinking off on 2.5 Flash and Flash-Lite, 2.5 Pro cannot turn it off, minimum
  128) and the structured-output guide (`response_json_schema`).
- Bedrock: botocore's service model for Converse (`ToolChoice.tool`: "Only supported by Anthropic Claude 3
  and Amazon Nova models"), the Converse supported-models table (tool use and system prompts per model),
  and the Anthropic rows above for Claude's own fields passed in `additionalModelRequestFields`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

Mechanism = Literal["json_schema", "forced_tool", "tool", "json_mode", "json_text"]

# OpenAI's reasoning_effort values, lowest first (the openai SDK's `ReasoningEffort` type).
REASONING_EFFORTS = ("none", "minimal", "low", "medium", "high", "xhigh", "max")

# Extra output tokens allowed for reasoning at each effort level, on top of the answer's own budget. These
# are this project's choice (the vendors document that reasoning tokens count against the output limit,
# not how many a level uses); a cap, not a cost: unused tokens are not billed.
REASONING_ALLOWANCE = {
    "none": 0,
    "minimal": 1024,
    "low": 4096,
    "medium": 12288,
    "high": 32768,
    "xhigh": 65536,
    "max": 65536,
}


@dataclass(frozen=True)
class ModelProfile:
    family: str
    pattern: str
    mechanism: Mechanism
    doc: str
    # OpenAI: the reasoning_effort values the family accepts, lowest first; () = not a reasoning model, or
    # not known: reasoning_effort is never sent (unless the operator sets OPENAI_REASONING_EFFORT).
    reasoning_efforts: tuple[str, ...] = ()
    # Anthropic (and Claude on Bedrock): the `thinking` value to send (None: omit it), and the effort.
    thinking: dict[str, Any] | None = None
    effort: str | None = None
    # Gemini: the thinking_config fields to send (None: omit).
    gemini_thinking: dict[str, Any] | None = None
    # Extra output tokens for thinking/reasoning (OpenAI computes it from the effort level instead).
    thinking_allowance: int = 0
    # The model's documented output limit, when known: the budget never goes above it.
    max_output_tokens: int | None = None
    # Bedrock: whether Converse accepts a `system` block for this model (if not, it leads the user turn).
    system_prompt: bool = True
    # OpenAI: JSON-schema strict mode (json_schema rows only).
    strict: bool = True
    notes: tuple[str, ...] = field(default_factory=tuple)

    def output_budget(self, answer_tokens: int, reasoning_effort: str | None = None) -> int:
        """The output limit to send: the answer's budget plus room for reasoning, within the model's cap."""
        extra = self.thinking_allowance
        if reasoning_effort is not None:
            extra = REASONING_ALLOWANCE.get(reasoning_effort, 0)
        budget = answer_tokens + extra
        return min(budget, self.max_output_tokens) if self.max_output_tokens else budget


_OPENAI_REASONING = "https://developers.openai.com/api/docs/guides/reasoning"
_OPENAI_STRUCTURED = "https://developers.openai.com/api/docs/guides/structured-outputs"
_OPENAI_REFERENCE = "https://developers.openai.com/api/reference/chat/completions/create#reasoning_effort"

OPENAI: tuple[ModelProfile, ...] = (
    # gpt-5.1: none (its default), low, medium, high. The API reference says so in as many words.
    ModelProfile(
        "gpt-5.1",
        r"gpt-5\.1(-mini|-nano|-chat-latest)?",
        "json_schema",
        _OPENAI_REFERENCE,
        reasoning_efforts=("none", "low", "medium", "high"),
        max_output_tokens=128_000,
    ),
    # gpt-5.4 family: none (default), low, medium, high, xhigh (model pages of gpt-5.4 and gpt-5.4-mini).
    ModelProfile(
        "gpt-5.4",
        r"gpt-5\.4(-mini|-nano)?",
        "json_schema",
        "https://developers.openai.com/api/docs/models/gpt-5.4-mini",
        reasoning_efforts=("none", "low", "medium", "high", "xhigh"),
        max_output_tokens=128_000,
    ),
    # "-pro" models: the API reference says gpt-5-pro defaults to and only supports high; later pro models
    # are not documented per value, so nothing is sent and the model's default applies.
    ModelProfile(
        "gpt-5-pro",
        r"gpt-5-pro",
        "json_schema",
        _OPENAI_REFERENCE,
        reasoning_efforts=("high",),
        max_output_tokens=128_000,
    ),
    ModelProfile("gpt-pro", r"gpt-[0-9.]+-pro.*", "json_schema", _OPENAI_REASONING),
    # Other GPT-5.x and GPT-6 models: every GPT-5 model documented so far accepts "low" (gpt-5 from minimal,
    # 5.1 and 5.4 from none, 5.2 and 5.3 from low), so "low" is the lowest value known to be accepted.
    ModelProfile(
        "gpt-5.x",
        r"gpt-(5\.\d+|6(\.\d+)?)(-[a-z0-9]+)*",
        "json_schema",
        _OPENAI_REASONING,
        reasoning_efforts=("low", "medium", "high"),
        max_output_tokens=128_000,
        notes=("lowest value accepted by every documented GPT-5 model; unverified per model",),
    ),
    # gpt-5, gpt-5-mini, gpt-5-nano: minimal, low, medium (default), high; no "none".
    ModelProfile(
        "gpt-5",
        r"gpt-5(-mini|-nano)?",
        "json_schema",
        _OPENAI_REFERENCE,
        reasoning_efforts=("minimal", "low", "medium", "high"),
        max_output_tokens=128_000,
    ),
    # o-series reasoning models: low, medium, high.
    ModelProfile(
        "o-series",
        r"o(1|3|4)(-mini|-pro)?",
        "json_schema",
        _OPENAI_REASONING,
        reasoning_efforts=("low", "medium", "high"),
        max_output_tokens=100_000,
    ),
    # Not reasoning models: reasoning_effort is rejected ("Unsupported parameter").
    ModelProfile("gpt-4.1", r"gpt-4\.1(-mini|-nano)?", "json_schema", _OPENAI_STRUCTURED),
    ModelProfile("gpt-4o", r"gpt-4o(-mini)?", "json_schema", _OPENAI_STRUCTURED),
    # Unknown: JSON mode is accepted by every current chat model that takes response_format; no
    # reasoning_effort (a model's default always applies).
    ModelProfile("unknown", r".*", "json_mode", _OPENAI_STRUCTURED),
)

_CLAUDE_OPUS_55 = "https://platform.claude.com/docs/en/models/opus-5-5/migration-guide"
_CLAUDE_SONNET_55 = "https://platform.claude.com/docs/en/models/sonnet-5-5/migration-guide"
_CLAUDE_HAIKU_55 = "https://platform.claude.com/docs/en/models/haiku-5-5/migration-guide"
_CLAUDE_STRUCTURED = "https://platform.claude.com/docs/en/build-with-claude/structured-outputs"
_CLAUDE_TOOLS = (
    "https://platform.claude.com/docs/en/agents-and-tools/tool-use/implement-tool-use#forcing-tool-use"
)
_CLAUDE_THINKING = "https://platform.claude.com/docs/en/build-with-claude/thinking"

ANTHROPIC: tuple[ModelProfile, ...] = (
    # Thinking is always on (adaptive) and cannot be disabled; forced tool choice returns 400.
    ModelProfile(
        "claude-opus-5-5 / fable / mythos",
        r"claude-(opus-5-5|fable-5(-\d+)?|mythos-5(-\d+)?)",
        "json_schema",
        _CLAUDE_OPUS_55,
        effort="low",
        thinking_allowance=8192,
        max_output_tokens=128_000,
    ),
    # "between_tools" is the lowest thinking setting (no up-front thinking); "disabled" and forced tool
    # choice return 400.
    ModelProfile(
        "claude-sonnet-5-5",
        r"claude-sonnet-5-5",
        "json_schema",
        _CLAUDE_SONNET_55,
        thinking={"type": "between_tools"},
        effort="low",
        thinking_allowance=2048,
        max_output_tokens=128_000,
    ),
    # Thinks by default (adaptive, default effort medium); "disabled" is accepted at effort high or lower.
    ModelProfile(
        "claude-haiku-5-5",
        r"claude-haiku-5-5",
        "json_schema",
        _CLAUDE_HAIKU_55,
        thinking={"type": "disabled"},
        effort="low",
        max_output_tokens=128_000,
    ),
    # Adaptive thinking by default; "disabled" accepted (Opus 5: at effort high or lower).
    ModelProfile(
        "claude-opus-5 / claude-sonnet-5",
        r"claude-(opus|sonnet)-5",
        "json_schema",
        _CLAUDE_SONNET_55,
        thinking={"type": "disabled"},
        effort="low",
        max_output_tokens=128_000,
    ),
    # Effort is supported from Claude Opus 4.6 on; thinking is left at the model's default.
    ModelProfile(
        "claude-opus-4-6..4-8",
        r"claude-opus-4-[678]",
        "json_schema",
        _CLAUDE_THINKING,
        effort="low",
        thinking_allowance=8192,
        max_output_tokens=128_000,
    ),
    # Structured outputs are generally available from the 4.5 models on; these do not think unless asked.
    ModelProfile(
        "claude-4.5 / sonnet-4-6",
        r"claude-((haiku|sonnet|opus)-4-5|sonnet-4-6)",
        "json_schema",
        _CLAUDE_STRUCTURED,
        max_output_tokens=64_000,
    ),
    # Older models: no output_config.format; thinking is off unless enabled, so forcing the tool is fine.
    ModelProfile(
        "claude-3.x / claude-4.0-4.1",
        r"claude-(3-.*|opus-4(-[01])?|sonnet-4(-0)?)",
        "forced_tool",
        _CLAUDE_TOOLS,
    ),
    # Unknown: a tool without forcing is accepted by every Claude model; no thinking or effort field.
    ModelProfile("unknown", r".*", "tool", _CLAUDE_TOOLS),
)

_GEMINI_THINKING = "https://ai.google.dev/gemini-api/docs/thinking"
_GEMINI_STRUCTURED = "https://ai.google.dev/gemini-api/docs/structured-output"

GEMINI: tuple[ModelProfile, ...] = (
    # thinking_level values per model (lowest accepted): 3.5 Flash-Lite and 3.6 Flash and 3 Flash accept
    # MINIMAL; 3.7 and 3.8 Flash start at LOW; 3 Pro accepts LOW and HIGH.
    ModelProfile(
        "gemini-3 flash (minimal)",
        r"gemini-(3\.5-flash-lite|3\.6-flash|3-flash)(-.*)?",
        "json_schema",
        _GEMINI_THINKING,
        gemini_thinking={"thinking_level": "MINIMAL"},
        thinking_allowance=1024,
        max_output_tokens=65_536,
    ),
    ModelProfile(
        "gemini-3.7/3.8 flash, gemini-3 pro",
        r"gemini-(3\.[78]-flash|3(\.1)?-pro)(-.*)?",
        "json_schema",
        _GEMINI_THINKING,
        gemini_thinking={"thinking_level": "LOW"},
        thinking_allowance=4096,
        max_output_tokens=65_536,
    ),
    # Gemini 2.5 Flash and Flash-Lite: a budget of 0 turns thinking off.
    ModelProfile(
        "gemini-2.5 flash",
        r"gemini-2\.5-flash(-lite)?(-.*)?",
        "json_schema",
        _GEMINI_THINKING,
        gemini_thinking={"thinking_budget": 0},
        max_output_tokens=65_536,
    ),
    # Gemini 2.5 Pro cannot turn thinking off; 128 is the smallest budget it accepts.
    ModelProfile(
        "gemini-2.5 pro",
        r"gemini-2\.5-pro(-.*)?",
        "json_schema",
        _GEMINI_THINKING,
        gemini_thinking={"thinking_budget": 128},
        thinking_allowance=1024,
        max_output_tokens=65_536,
    ),
    # Other Gemini 2.5+/3.x models: JSON schema output, thinking left at the model's default.
    ModelProfile(
        "gemini-2.5+/3.x (other)",
        r"gemini-(2\.5|[3-9](\.\d+)?)-.*",
        "json_schema",
        _GEMINI_STRUCTURED,
        thinking_allowance=4096,
        max_output_tokens=65_536,
    ),
    # Unknown (older or other models): JSON mode, schema in the instructions, no thinking_config.
    ModelProfile("unknown", r".*", "json_mode", _GEMINI_STRUCTURED),
)

_BEDROCK_TOOL_CHOICE = (
    "https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ToolChoice.html"
    " (botocore bedrock-runtime service model: ToolChoice.tool)"
)
_BEDROCK_FEATURES = "https://docs.aws.amazon.com/bedrock/latest/userguide/conversation-inference-supported-models-features.html"

BEDROCK: tuple[ModelProfile, ...] = (
    # Claude on Bedrock takes Claude's own fields through additionalModelRequestFields, and effort through
    # Converse's outputConfig.effort. Forced tool choice and disabled thinking return 400 on these models.
    ModelProfile(
        "anthropic claude-opus-5-5 / fable / mythos",
        r"anthropic\.claude-(opus-5-5|fable-5(-\d+)?|mythos-5(-\d+)?)",
        "tool",
        _CLAUDE_OPUS_55,
        effort="low",
        thinking_allowance=8192,
        max_output_tokens=128_000,
    ),
    ModelProfile(
        "anthropic claude-sonnet-5-5",
        r"anthropic\.claude-sonnet-5-5",
        "tool",
        _CLAUDE_SONNET_55,
        thinking={"type": "between_tools"},
        effort="low",
        thinking_allowance=2048,
        max_output_tokens=128_000,
    ),
    ModelProfile(
        "anthropic claude-haiku-5-5",
        r"anthropic\.claude-haiku-5-5",
        "tool",
        _CLAUDE_HAIKU_55,
        thinking={"type": "disabled"},
        effort="low",
        max_output_tokens=128_000,
    ),
    # Thinking disabled explicitly (accepted), so the tool can be forced.
    ModelProfile(
        "anthropic claude-opus-5 / sonnet-5",
        r"anthropic\.claude-(opus|sonnet)-5",
        "forced_tool",
        _BEDROCK_TOOL_CHOICE,
        thinking={"type": "disabled"},
        effort="low",
        max_output_tokens=128_000,
    ),
    ModelProfile(
        "anthropic claude-opus-4-7/4-8",
        r"anthropic\.claude-opus-4-[78]",
        "tool",
        _CLAUDE_THINKING,
        thinking_allowance=8192,
        max_output_tokens=128_000,
    ),
    # Claude 3.x and 4.x up to 4.6: tool choice supported, no thinking unless enabled.
    ModelProfile(
        "anthropic claude-3.x..4.6",
        r"anthropic\.claude-(3.*|(haiku|sonnet|opus)-4.*)",
        "forced_tool",
        _BEDROCK_TOOL_CHOICE,
    ),
    ModelProfile("amazon nova", r"amazon\.nova-.*", "forced_tool", _BEDROCK_TOOL_CHOICE),
    # Mistral 7B Instruct and Mixtral take no system prompt in Converse; no tool use.
    ModelProfile(
        "mistral 7b / mixtral",
        r"mistral\.(mistral-7b|mixtral-8x7b).*",
        "json_text",
        _BEDROCK_FEATURES,
        system_prompt=False,
    ),
    # Meta Llama and other Mistral models: toolChoice is not supported (only Claude and Nova), so the schema
    # travels in the system prompt and the answer is JSON text.
    ModelProfile("meta llama", r"meta\.llama.*", "json_text", _BEDROCK_FEATURES),
    ModelProfile("mistral", r"mistral\..*", "json_text", _BEDROCK_FEATURES),
    # Unknown (other vendors, application inference profiles whose ARN names no model): no tool config and
    # no system block (some Converse models take none): every instruction leads the user turn.
    ModelProfile("unknown", r".*", "json_text", _BEDROCK_FEATURES, system_prompt=False),
)

TABLES: dict[str, tuple[ModelProfile, ...]] = {
    "openai": OPENAI,
    "anthropic": ANTHROPIC,
    "gemini": GEMINI,
    "bedrock": BEDROCK,
}

_DATE_SUFFIX = re.compile(r"-(\d{8}|\d{4}-\d{2}-\d{2})$")
_BEDROCK_GEO_PREFIX = re.compile(r"^(us|eu|apac|ap|jp|au|ca|us-gov|global|regional)\.")
_BEDROCK_VERSION = re.compile(r"(-v\d+)?(:\d+)?$")


def normalise(provider: str, model: str) -> str:
    key = model.strip().lower()
    if provider == "bedrock":
        key = key.rsplit("/", 1)[-1]
        key = _BEDROCK_GEO_PREFIX.sub("", key)
        key = _BEDROCK_VERSION.sub("", key)
    if provider == "gemini":
        key = key.removeprefix("models/")
    return _DATE_SUFFIX.sub("", key)


@cache
def profile_for(provider: str, model: str) -> ModelProfile:
    """The row for `model` in `provider`'s table (the unknown row when nothing else matches)."""
    key = normalise(provider, model)
    for row in TABLES[provider]:
        if re.fullmatch(row.pattern, key):
            return row
    return TABLES[provider][-1]  # pragma: no cover - the last row matches everything
