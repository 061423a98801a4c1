"""The resume service: create, read, list, replace, merge-patch and delete one owner's resumes through a
ResumeRepository. Another owner's resume is indistinguishable from a missing one (404).

Also `ResumeImporter`, which brings in resumes exported from the original system's `resumes` collection
(`migration/import_resumes.py` is its command line; docs/migrating.md how to use it)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from pydantic import ValidationError

from careercoach.clock import as_utc, utc_now
from careercoach.errors import ResumeDeleted, ResumeNotFound, ValidationFailed, validation_details
from careercoach.keys import is_valid_key, new_unique_key
from careercoach.models.resume import Resume, ResumeContent, ResumeInput
from careercoach.models.resume_list import ResumePage
from careercoach.observability import logger, metrics
from careercoach.storage.resumes import DuplicateResumeKey, ImportLedger, ResumeRepository

_KEY_ATTEMPTS = 3

# Called with (unique_key, owner) after a resume is deleted (its generated documents go with it).
DeleteHook = Callable[[str, str], None]


def merge_patch(target: Any, patch: Any) -> Any:
    """JSON Merge Patch (RFC 7386): objects merge recursively, null removes, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def _short_form_patch(patch: dict[str, Any]) -> dict[str, Any]:
    """Express short-form keys in the stored shape so a PATCH may use either form."""
    patch = dict(patch)
    if "career_summary" in patch:
        patch["summary"] = patch.pop("career_summary")
    if "years_experience" in patch:
        years = patch.pop("years_experience")
        convertible = isinstance(years, int | float) and not isinstance(years, bool) and 0 <= years <= 60
        if convertible and patch.get("total_experience_months") is None:
            patch["total_experience_months"] = round(years * 12)
        else:  # null removes both; anything else is left for validation to refuse under the names sent
            patch["years_experience"] = years
            patch.setdefault("total_experience_months", None)
    if "tech_skills" in patch:
        skills = patch.get("technical_skills")
        merged = dict(skills) if isinstance(skills, dict) else {}
        merged["others"] = patch.pop("tech_skills")
        patch["technical_skills"] = merged
    return patch


class ResumeService:
    def __init__(
        self,
        repository: ResumeRepository,
        *,
        clock: Callable[[], datetime] = utc_now,
        on_delete: Iterable[DeleteHook] = (),
    ) -> None:
        self._repository = repository
        self._clock = clock
        self._on_delete = tuple(on_delete)

    def create(self, data: ResumeInput, *, owner: str) -> Resume:
        content = data.to_content()
        now = self._clock()
        for _ in range(_KEY_ATTEMPTS):
            resume = Resume(
                **content.model_dump(), unique_key=new_unique_key(), created_at=now, updated_at=now
            )
            try:
                self._repository.insert(resume, owner=owner)
            except DuplicateResumeKey:
                logger.warning("Generated resume key collided; generating another")
                continue
            metrics.add_metric(name="ResumesCreated", unit="Count", value=1)
            return resume
        raise RuntimeError("could not generate a unique resume key")

    def restore(
        self, data: ResumeInput, *, owner: str, unique_key: str, created_at: datetime, updated_at: datetime
    ) -> bool:
        """Store a resume brought from elsewhere under the key and timestamps it is given (an import);
        False when a resume with that key is already stored (the same import, repeated)."""
        resume = Resume(
            **data.to_content().model_dump(),
            unique_key=unique_key,
            created_at=created_at,
            updated_at=max(updated_at, created_at),
        )
        try:
            self._repository.insert(resume, owner=owner)
        except DuplicateResumeKey:
            return False
        return True

    def get(self, unique_key: str, *, owner: str) -> Resume:
        resume = self._repository.get(unique_key, owner=owner) if is_valid_key(unique_key) else None
        if resume is None:
            raise ResumeNotFound()
        return resume

    def exists(self, unique_key: str, *, owner: str) -> bool:
        return is_valid_key(unique_key) and self._repository.exists(unique_key, owner=owner)

    def list(self, *, owner: str, limit: int, cursor: str | None, name: str | None = None) -> ResumePage:
        """The owner's resumes, newest first; with `name`, only those with exactly that name (the original
        system's GET /resumes/user/{name}, which answered anyone with everyone's resumes by that name)."""
        return self._repository.list(owner=owner, limit=limit, cursor=cursor, name=name)

    def replace(self, unique_key: str, data: ResumeInput, *, owner: str) -> Resume:
        return self._store(self.get(unique_key, owner=owner), data.to_content(), owner)

    def patch(self, unique_key: str, patch: dict[str, Any], *, owner: str) -> Resume:
        current = self.get(unique_key, owner=owner)
        base = current.content().model_dump(mode="json", exclude_none=True)
        if "language" not in patch:
            # The language follows the text unless the client says otherwise.
            base.pop("language", None)
        merged = merge_patch(base, _short_form_patch(patch))
        try:
            content = ResumeInput.model_validate(merged).to_content()
        except ValidationError as exc:
            raise ValidationFailed(details=validation_details(exc.errors(), prefix=("body",))) from None
        return self._store(current, content, owner)

    def delete(self, unique_key: str, *, owner: str) -> None:
        """The resume first, then what was made from it. Whatever is saved from it afterwards is fenced by
        its maker, which checks the resume still exists after saving (see `fence`), so nothing outlives it."""
        if not is_valid_key(unique_key) or not self._repository.delete(unique_key, owner=owner):
            raise ResumeNotFound()
        for hook in self._on_delete:
            hook(unique_key, owner)
        metrics.add_metric(name="ResumesDeleted", unit="Count", value=1)

    def fence(self, unique_key: str, *, owner: str) -> None:
        """Called right after saving something made from this resume. A delete removes the resume before
        what was made from it, so if the resume is still here, any later delete will also remove what was
        just saved; if it is gone, the delete may have run before the save, so the saved things are
        removed here (the delete hooks, again) and ResumeDeleted is raised."""
        if self.exists(unique_key, owner=owner):
            return
        for hook in self._on_delete:
            hook(unique_key, owner)
        raise ResumeDeleted()

    def _store(self, current: Resume, content: ResumeContent, owner: str) -> Resume:
        updated = Resume(
            **content.model_dump(),
            unique_key=current.unique_key,
            created_at=current.created_at,
            updated_at=max(self._clock(), current.created_at),
        )
        if not self._repository.replace(updated, owner=owner):
            raise ResumeNotFound()  # deleted between the read and the write
        return updated


# ---- importing the original system's resumes ------------------------------------------------------------

ImportOutcome = Literal["imported", "already_imported", "rejected", "valid"]

# What the original system's documents carry besides the resume: its MongoDB id, its key (`<name>_<n>`,
# derived from the name: replaced by a random key here), its timestamps (kept) and the `id` its API added.
_BOOKKEEPING = frozenset({"_id", "id", "unique_key", "created_at", "updated_at"})


@dataclass(frozen=True)
class ImportResult:
    source_id: str  # what a later run recognises the document by: its _id, else a hash (never the name)
    original_key: str | None  # its key in the original system (`<name>_<n>`): for the operator's mapping only
    outcome: ImportOutcome
    unique_key: str | None = None
    errors: tuple[dict[str, Any], ...] = ()
    blanks_dropped: int = 0


def _blank(value: Any) -> bool:
    return isinstance(value, str) and not value.strip()


def without_blank_strings(value: Any) -> tuple[Any, int]:
    """`value` without blank strings (object members and list entries), and how many there were. The
    original system stored "" for optional fields left empty (its URL validators let "" through); here an
    empty field is an absent one, and a required field that was blank is then reported as missing."""
    if isinstance(value, dict):
        kept: dict[str, Any] = {}
        dropped = 0
        for key, item in value.items():
            if _blank(item):
                dropped += 1
                continue
            kept[key], inner = without_blank_strings(item)
            dropped += inner
        return kept, dropped
    if isinstance(value, list):
        entries: list[Any] = []
        dropped = sum(1 for item in value if _blank(item))
        for item in value:
            if not _blank(item):
                cleaned, inner = without_blank_strings(item)
                entries.append(cleaned)
                dropped += inner
        return entries, dropped
    return value, 0


def _source_id(document: Mapping[str, Any]) -> str:
    """The document's `_id` (an ObjectId's hex), or a hash of its key or content: never the name itself."""
    if document.get("_id") is not None:
        return f"id:{document['_id']}"
    key = document.get("unique_key")
    if isinstance(key, str) and key:
        return "key-sha256:" + hashlib.sha256(key.encode("utf-8")).hexdigest()
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, default=str)
    return "content-sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _timestamp(value: Any) -> datetime | None:
    """A stored timestamp: BSON dates arrive as datetimes; the original API's JSON gave ISO strings."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    value = as_utc(value)
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


class ResumeImporter:
    """Brings in resumes exported from the original system's `resumes` collection, one document at a time.

    Each is validated as a POST body is (after the blank strings that system stored for empty fields are
    dropped), gets a new random key, and is stored under `owner` with its original `created_at` and
    `updated_at`. A ledger keyed by the original `_id` makes a second run of the same export import nothing
    twice, even after a crash between the ledger and the resume: the ledger is written first, with the new
    key, and completed after the resume. A document that does not validate is reported with its field
    errors (locations and messages, never values) and nothing of it is stored. Nothing here logs resume
    content or names."""

    def __init__(
        self, service: ResumeService, ledger: ImportLedger, *, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self._service = service
        self._ledger = ledger
        self._clock = clock

    def run(self, document: Mapping[str, Any], *, owner: str, dry_run: bool = False) -> ImportResult:
        source_id = _source_id(document)
        key = document.get("unique_key")
        original_key = key if isinstance(key, str) else None
        body, blanks = without_blank_strings({k: v for k, v in document.items() if k not in _BOOKKEEPING})
        try:
            data = ResumeInput.model_validate(body)
        except ValidationError as exc:
            errors = tuple(validation_details(exc.errors(), prefix=("document",)))
            return ImportResult(source_id, original_key, "rejected", errors=errors, blanks_dropped=blanks)
        if dry_run:
            return ImportResult(source_id, original_key, "valid", blanks_dropped=blanks)
        now = self._clock()
        entry = self._ledger.claim(source_id, unique_key=new_unique_key(), owner=owner, at=now)
        if entry.completed:
            # Imported by an earlier run, and perhaps deleted by its owner since: never brought back.
            return ImportResult(source_id, original_key, "already_imported", entry.unique_key, (), blanks)
        created_at = _timestamp(document.get("created_at")) or now
        updated_at = _timestamp(document.get("updated_at")) or created_at
        self._service.restore(
            data, owner=entry.owner, unique_key=entry.unique_key, created_at=created_at, updated_at=updated_at
        )
        self._ledger.complete(source_id)
        return ImportResult(source_id, original_key, "imported", entry.unique_key, (), blanks)
