"""Resume import over real HTTP through the local runtime with OpenAI first (the real OpenAI SDK against the
loopback fake) and the offline extractor last, auth on: no email address, phone number or name from the
document reaches the provider, whatever the format; a fallback to the offline extractor says so in the
report; a good answer is the model's; an import a model structures counts against the hourly generation
quota (refused before any model call once it is used up), one the offline extractor structures does not."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from careercoach.clock import utc_now
from careercoach.importing.body import read_upload
from careercoach.importing.extract import extract
from careercoach.importing.offline import OfflineExtractor
from careercoach.importing.privacy import redact
from careercoach.importing.service import document_language
from local.runtime import LocalRuntime
from tests.fakes.wire_formats import OpenAIChatServer
from tests.integration.api.conftest import BearerApiClient, body_of, local_runtime, openai_env
from tests.integration.api.test_import_api import (
    KO,
    assert_common_error,
    assert_stored_and_read_back,
    keys_of,
    upload,
)
from tests.support.documents import MEDIA_TYPES, Format, corpus_document, require_font


@pytest.fixture(scope="module", autouse=True)
def korean_font() -> None:
    require_font()


@pytest.fixture(scope="module")
def model_runtime(openai_fake: OpenAIChatServer) -> Iterator[LocalRuntime]:
    """Auth on, OpenAI (the loopback fake) first and the offline extractor last, 2 generations an hour."""
    env = {
        **openai_env(openai_fake, "import_model"),
        "LLM_PROVIDERS": "openai,offline",
        "GENERATION_QUOTA_PER_HOUR": "2",
    }
    with local_runtime(env, auth=True) as started:
        yield started


@pytest.fixture
def model_user(
    model_runtime: LocalRuntime, fake: OpenAIChatServer
) -> Iterator[Callable[[str], BearerApiClient]]:
    issuer = model_runtime.dev_issuer
    assert issuer is not None
    yield lambda sub: BearerApiClient(model_runtime.http_url, issuer.token(sub))
    fake.default_reply = None


def good_answer(data: bytes, fmt: Format) -> dict[str, Any]:
    """What a good model would answer for this document: the offline extractor's draft of the same redacted
    text."""
    document = extract(read_upload(data, MEDIA_TYPES[fmt]))
    language = document_language(document.text)
    text = redact(document.text, english=language == "en").text
    draft, _ = OfflineExtractor().extract(
        text, language=language, today=utc_now().date(), wrapped=document.wrapped
    )
    return draft.model_dump(mode="json", exclude_none=True)


def wire_text(server: OpenAIChatServer) -> str:
    parts = []
    for request in server.requests:
        parts.append(request.body.decode("utf-8", "replace"))
        parts.append(json.dumps(request.json, ensure_ascii=False))
    return "\n".join(parts)


@pytest.mark.parametrize("fmt", ["pdf", "docx", "text"])
def test_no_contact_data_reaches_the_provider_and_a_fallback_says_so(
    model_user: Callable[[str], BearerApiClient], fake: OpenAIChatServer, fmt: Format
) -> None:
    client = model_user(f"private-{fmt}")
    # An answer naming a company the document does not have: a repair turn, then the offline extractor.
    fake.default_reply = fake.ok(
        {"summary": "x", "language": "ko", "work_experiences": [{"company": "Invented"}]}
    )
    reply = upload(client, corpus_document("resume-ko-backend", fmt), MEDIA_TYPES[fmt])
    resume = assert_stored_and_read_back(client, reply, fmt)
    report = body_of(reply)["import_report"]
    assert (report["extracted_by"], report["degraded"]) == ("offline", True)
    assert report["fallback_reason"] == "check_failed"
    assert [a["provider"] for a in report["attempts"]] == ["openai", "openai", "offline"]  # first, repair
    assert len(fake.requests) == 2  # the first answer and its repair turn: both on the wire
    wire = wire_text(fake)
    assert "오픈마켓 스타트업" in wire  # the document did reach the provider...
    contact = KO.contact
    assert contact is not None and contact.email and contact.phone
    for secret in (contact.email, contact.phone, contact.github, KO.name):  # ...its contact data did not
        assert secret and secret not in wire, f"{secret!r} reached the provider"
    digits = "".join(ch for ch in contact.phone if ch.isdigit())
    assert digits[-8:] not in "".join(ch for ch in wire if ch.isdigit())
    assert resume["contact"]["email"] == contact.email and resume["name"] == KO.name


def test_a_model_import_counts_against_the_quota_and_an_offline_one_does_not(
    model_user: Callable[[str], BearerApiClient], fake: OpenAIChatServer
) -> None:
    client = model_user("payer")
    data = corpus_document("en-backend-3y", "docx")
    fake.default_reply = fake.ok(good_answer(data, "docx"))
    for _ in range(2):
        reply = upload(client, data, MEDIA_TYPES["docx"])
        assert reply.status == 201, reply.body[:300]
        assert body_of(reply)["import_report"]["extracted_by"] == "openai"
        assert body_of(reply)["import_report"]["degraded"] is False
    requests = len(fake.requests)
    refused = assert_common_error(upload(client, data, MEDIA_TYPES["docx"]), 429, "quota_exceeded")
    assert refused["details"]["limit"] == 2
    assert len(fake.requests) == requests  # refused before any model call
    assert len(keys_of(client)) == 2
    # The offline extractor costs nothing: named, it still answers; a refused document costs nothing either.
    offline = upload(client, data, MEDIA_TYPES["docx"], "?provider=offline")
    assert offline.status == 201 and body_of(offline)["import_report"]["extracted_by"] == "offline"
    assert_common_error(upload(client, b"Hi", "text/plain"), 422, "too_little_text")
    assert len(keys_of(client)) == 3
