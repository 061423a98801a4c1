"""The resume service: create, read, list, replace, merge-patch and delete one owner's resumes through a
ResumeRepository. Another owner's resume is indistinguishable from a missing one (404)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from careercoach.clock import utc_now
from careercoach.errors import ResumeDeleted, ResumeNotFound, ValidationFailed, validation_details
from careercoach.keys import is_valid_key, new_unique_key
from careercoach.models.resume import Resume, ResumeContent, ResumeInput
from careercoach.models.resume_list import ResumePage
from careercoach.observability import logger, metrics
from careercoach.storage.resumes import DuplicateResumeKey, ResumeRepository

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
