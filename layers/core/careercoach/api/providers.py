"""`provider` in request bodies: "auto" or one of the providers this deployment has configured.

Which providers exist is configuration (LLM_PROVIDERS, the keys found at cold start), so the request models
are the domain's options models with `provider` narrowed to that list: validated against it (422 otherwise)
and documented as an `enum` of it. The list is read when a request is validated and when an OpenAPI document
is generated, from the running configuration, so the document says what this deployment accepts. Stored
results keep the domain's models: they name whichever provider answered, configured now or not.

A named provider that is configured but fails at run time is not a validation matter: the registry's fallback
or a 503 answers it."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, Field, GetCoreSchemaHandler, GetJsonSchemaHandler, create_model
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

AUTO = "auto"
Model = TypeVar("Model", bound=BaseModel)


def provider_choices() -> list[str]:
    """What `provider` may be here and now: auto, then the configured providers in fallback order. The LLM
    registry is imported on first use, as everywhere in the functions, not at cold start."""
    from careercoach.generation.providers import provider_order

    return [AUTO, *provider_order()]


def _configured(value: str) -> str:
    choices = provider_choices()
    if value not in choices:
        raise PydanticCustomError(
            "enum",
            "Input should be one of this deployment's providers: {expected}",
            {"expected": ", ".join(choices)},
        )
    return value


class _ConfiguredProvider:
    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(_configured, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "string", "enum": provider_choices()}


ConfiguredProvider = Annotated[str, _ConfiguredProvider()]


def with_configured_provider(model: type[Model], name: str) -> type[Model]:
    """`model` as a request body: the same fields, with `provider` one of this deployment's."""
    field = model.model_fields["provider"]
    narrowed: Any = create_model(
        name,
        __base__=model,
        __doc__=model.__doc__,
        provider=(
            ConfiguredProvider,
            Field(
                default=AUTO,
                description="auto (the configured order, with fallback), or one of this deployment's "
                "providers (its health endpoint lists them)",
            ),
        ),
    )
    assert field.default == AUTO, f"{model.__name__}.provider should default to {AUTO}"
    return narrowed


def as_domain(request: BaseModel, model: type[Model]) -> Model:
    """The request body as the domain's own model (what services take and results store)."""
    return model.model_validate(request.model_dump(exclude_unset=True))
