"""Tables as JSON: every part's results turn their pandas tables into plain rows the same way."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of a table as JSON-ready dicts: plain Python values, NaN and inf as null."""
    return [{str(k): plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def finite(value: float) -> float | None:
    """A float, or None when it is NaN or infinite (JSON has neither)."""
    return value if math.isfinite(value) else None


def plain(value: Any) -> Any:
    """A numpy scalar as the Python value JSON understands."""
    if value is pd.NA:
        return None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return finite(float(value))
    if isinstance(value, np.bool_):
        return bool(value)
    return value
