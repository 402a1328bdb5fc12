"""One validation's state: the request, its model's limits, the findings so far and the
sizes and counts each part adds for the summary and the token estimate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from claude_doctor.checks.payload.body import Body
from claude_doctor.checks.payload.findings import Findings, join_path, type_name
from claude_doctor.limits import Limits, ModelFamily, model_limits
from claude_doctor.model import Severity


@dataclass
class ImageSeen:
    path: str
    size: int
    dims: tuple[int, int] | None


class State:
    """What the parts of a validation share while they run over one request."""

    def __init__(self, body: Body, model: str | None, limits: Limits) -> None:
        self.body = body
        self.data = body.data
        self.limits = limits
        self.found = Findings()
        self.add = self.found.add
        self.model = model or (
            self.data.get("model") if isinstance(self.data.get("model"), str) else None
        )
        self.family: ModelFamily | None = model_limits(self.model) if self.model else None
        self.images: list[ImageSeen] = []
        self.image_bytes = 0
        self.document_bytes = 0
        self.text_bytes = 0
        self.tool_bytes = 0
        self.documents = 0
        self.pdf_pages = 0
        self.pdf_pages_unknown = 0
        self.messages = 0
        self.tool_names: set[str] = set()
        self.summary: dict[str, Any] = {"size_bytes": body.size}

    def wrong_type(self, path: str, value: Any, expected: str) -> None:
        self.add(
            "wrong_type",
            Severity.FAIL,
            path,
            f"must be {expected}, not {type_name(value)}",
            detail=f"The API rejects the request: {path} must be {expected}.",
        )

    def missing(self, path: str, key: str, what: str) -> None:
        self.add(
            "missing_field",
            Severity.FAIL,
            join_path(path, key),
            f"required field {key!r} is missing",
            detail=f"{what} needs {key!r}.",
            key=key,
        )

    @property
    def window(self) -> int | None:
        return self.family.context_window if self.family else None

    @property
    def strict(self) -> Severity:
        """Limits that depend on the model are certain only when the model is known."""
        return Severity.FAIL if self.family else Severity.WARN

    def count_text(self, value: str) -> None:
        """Count ``value`` as text of the request."""
        self.text_bytes += len(value.encode("utf-8"))
