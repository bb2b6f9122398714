"""Where a built-in number comes from: a source and a confidence mark, or a stated assumption."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Confidence(StrEnum):
    """How far a figure can be trusted (marks of the project's fact sheet)."""

    FOUND = "F"
    WEAK = "F~"
    RECALLED = "R"
    DERIVED = "D"
    ASSUMPTION = "A"


class Basis(BaseModel):
    """The basis of one field's value: what it is, where it comes from, how sure we are."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    field: str = Field(description="The field this basis explains, e.g. `cycle` or `robots`.")
    value: str = Field(description="The figure as the source states it.")
    confidence: Confidence = Field(
        description="F found, F~ weak or disputed, R recalled, D derived, A engineering assumption."
    )
    source: str = Field(
        default="assumption", description="Where the figure is published, or `assumption`."
    )
