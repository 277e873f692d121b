"""Text types for API schemas that the database can store.

PostgreSQL cannot store a NUL in text (the driver raises DataError) and a CharField
overflows past its length, so every free string of a request body is declared with
one of these: control characters are refused (line breaks and tabs only in free
text), and the length is bounded by the column it goes to. The refusals are 422s in
the API's error shape (texts in tryggnav.lib.api_errors).
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, StringConstraints
from pydantic_core import PydanticCustomError

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _single_line(value: str) -> str:
    if _CONTROL.search(value):
        raise PydanticCustomError("control_character", "contains a control character")
    return value


def _free_text(value: str) -> str:
    if _CONTROL_BUT_LINES.search(value):
        raise PydanticCustomError("control_character", "contains a control character")
    return value


# A slug or code naming a group, category or organisation.
Slug = Annotated[str, StringConstraints(max_length=120), AfterValidator(_single_line)]
# An id in the caller's own system (Incident.external_id, 100 characters).
ExternalId = Annotated[str, StringConstraints(max_length=100), AfterValidator(_single_line)]
# A report's free text, as long as the report form allows.
ReportText = Annotated[str, StringConstraints(max_length=2000), AfterValidator(_free_text)]
# A section of a statutory document, as long as its page's text field allows.
SectionText = Annotated[str, StringConstraints(max_length=20000), AfterValidator(_free_text)]
