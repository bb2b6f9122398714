"""Random durations. A bare duration (`60s`) is deterministic; a mapping names a distribution.

Each distribution knows its mean (for ideal cycle times and capacity checks) and its kernel
encoding (a kind code and three parameters), so the compiled engines stay free of pydantic.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

from nevsim.scenario.units import NonNegativeDuration, PositiveDuration, duration_schema

# Kind codes shared with the compiled kernels (nevsim.factory.kernel).
DETERMINISTIC, EXPONENTIAL, NORMAL, LOGNORMAL, TRIANGULAR, UNIFORM, EMPIRICAL, WEIBULL = range(8)


class _Dist(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    def mean(self) -> float:
        """Expected value in seconds."""
        raise NotImplementedError

    def kernel_code(self) -> tuple[int, tuple[float, float, float], tuple[float, ...]]:
        """(kind, three parameters, empirical samples) as the kernels read them."""
        raise NotImplementedError


class Deterministic(_Dist):
    """Always the same duration."""

    dist: Literal["deterministic"] = "deterministic"
    value: NonNegativeDuration

    def mean(self) -> float:
        """Expected value in seconds."""
        return self.value

    def kernel_code(self) -> tuple[int, tuple[float, float, float], tuple[float, ...]]:
        """Kernel encoding."""
        return DETERMINISTIC, (self.value, 0.0, 0.0), ()


class _WithMean(_Dist):
    """Distributions given by their mean (`mean:` in files; `mean()` is the accessor)."""

    mean_: PositiveDuration = Field(alias="mean")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              allow_inf_nan=False)

    def mean(self) -> float:
        """Expected value in seconds."""
        return self.mean_


class Exponential(_WithMean):
    """Memoryless durations: failures, and the textbook queueing lines."""

    dist: Literal["exponential"]

    def kernel_code(self) -> tuple[int, tuple[float, float, float], tuple[float, ...]]:
        """Kernel encoding."""
        return EXPONENTIAL, (self.mean_, 0.0, 0.0), ()


class Normal(_WithMean):
    """Normal durations, cut at zero (a negative draw becomes 0; mean() is the uncut mean)."""

    dist: Literal["normal"]
    sd: NonNegativeDuration

    def kernel_code(self) -> tuple[int, tuple[float, float, float], tuple[float, ...]]:
        """Kernel encoding."""
        return NORMAL, (self.mean_, self.sd, 0.0), ()


class LogNormal(_WithMean):
    """Right-skewed durations given by their own mean and standard deviation (not the log's)."""

    dist: Literal["lognormal"]
    sd: NonNegativeDuration

    @model_validator(mode="after")
    def _spread(self) -> LogNormal:
        if self.sd > 1000 * self.mean_:
            raise ValueError(f"a lognormal sd may be at most 1000 x its mean, got sd={self.sd} "
                             f"for mean={self.mean_}")
        return self

    def kernel_code(self) -> tuple[int, tuple[float, float, float], tuple[float, ...]]:
        """Kernel encoding: mu and sigma of the underlying normal."""
        sigma2 = math.log1p((self.sd / self.mean_) ** 2)
        mu = math.log(self.mean_) - sigma2 / 2
        return LOGNORMAL, (mu, math.sqrt(sigma2), 0.0), ()


class Triangular(_Dist):
    """Three-point estimate: min, most likely, max."""

    dist: Literal["triangular"]
    min: NonNegativeDuration
    mode: NonNegativeDuration
    max: NonNegativeDuration

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.min <= self.mode <= self.max or self.min == self.max:
            raise ValueError(
                f"triangular needs min <= mode <= max and min < max, "
                f"got min={self.min}, mode={self.mode}, max={self.max}"
            )
        return self

    def mean(self) -> float:
        """Expected value in seconds."""
        return (self.min + self.mode + self.max) / 3

    def kernel_code(self) -> tuple[int, tuple[float, float, float], tuple[float, ...]]:
        """Kernel encoding."""
        return TRIANGULAR, (self.min, self.mode, self.max), ()


class Uniform(_Dist):
    """Any value between min and max equally likely (e.g. a casting cycle of 100-120 s)."""

    dist: Literal["uniform"]
    min: NonNegativeDuration
    max: NonNegativeDuration

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if not self.min < self.max:
            raise ValueError(f"uniform needs min < max, got min={self.min}, max={self.max}")
        return self

    def mean(self) -> float:
        """Expected value in seconds."""
        return (self.min + self.max) / 2

    def kernel_code(self) -> tuple[int, tuple[float, float, float], tuple[float, ...]]:
        """Kernel encoding."""
        return UNIFORM, (self.min, self.max, 0.0), ()


class Weibull(_Dist):
    """Ageing failures: shape > 1 wears out, shape < 1 fails early."""

    dist: Literal["weibull"]
    shape: float = Field(ge=0.05, le=50, description="Below 0.05 the mean overflows.")
    scale: PositiveDuration

    def mean(self) -> float:
        """Expected value in seconds."""
        return self.scale * math.gamma(1 + 1 / self.shape)

    def kernel_code(self) -> tuple[int, tuple[float, float, float], tuple[float, ...]]:
        """Kernel encoding."""
        return WEIBULL, (self.shape, self.scale, 0.0), ()


class Empirical(_Dist):
    """Measured durations, drawn with equal probability (bootstrap of time studies)."""

    dist: Literal["empirical"]
    samples: list[NonNegativeDuration] = Field(min_length=1, max_length=1_000_000)

    def mean(self) -> float:
        """Expected value in seconds."""
        return sum(self.samples) / len(self.samples)

    def kernel_code(self) -> tuple[int, tuple[float, float, float], tuple[float, ...]]:
        """Kernel encoding: parameters unused, samples carried."""
        return EMPIRICAL, (0.0, 0.0, 0.0), tuple(self.samples)


def law_of(value: Any, laws: type, default: str) -> str:
    """Which law a value is written in: the discriminator of a union of laws.

    A mapping's `dist` (or the default law), a law object's own, or `scalar` for a bare value.
    """
    if isinstance(value, dict):
        return str(value.get("dist", default))
    if isinstance(value, laws):
        return str(getattr(value, "dist", default))
    return "scalar"


def as_mapping(value: Any, laws: type) -> Any:
    """A bare value as `{value: ...}`, what a fixed law reads; mappings and laws unchanged."""
    return {"value": value} if not isinstance(value, dict | laws) else value


def _which(value: Any) -> str:
    return law_of(value, _Dist, "deterministic")


def _scalar_to_deterministic(value: Any) -> Any:
    return as_mapping(value, _Dist)


class _Scalar(Deterministic):
    """A bare duration, read as deterministic."""

    @model_validator(mode="before")
    @classmethod
    def _wrap(cls, value: Any) -> Any:
        return _scalar_to_deterministic(value)

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        """In a file it is a bare duration, not a mapping."""
        return duration_schema("minimum")


Distribution = Annotated[
    Annotated[_Scalar, Tag("scalar")]
    | Annotated[Deterministic, Tag("deterministic")]
    | Annotated[Exponential, Tag("exponential")]
    | Annotated[Normal, Tag("normal")]
    | Annotated[LogNormal, Tag("lognormal")]
    | Annotated[Triangular, Tag("triangular")]
    | Annotated[Uniform, Tag("uniform")]
    | Annotated[Weibull, Tag("weibull")]
    | Annotated[Empirical, Tag("empirical")],
    Discriminator(
        _which,
        custom_error_type="distribution",
        custom_error_message=(
            "expected a duration (76s) or a mapping with dist: deterministic, exponential, "
            "normal, lognormal, triangular, uniform, weibull or empirical"
        ),
    ),
]
"""A duration that may be random: `60s`, or `{dist: lognormal, mean: 60s, sd: 5s}`."""

AnyDistribution = (
    Deterministic | Exponential | Normal | LogNormal | Triangular | Uniform | Weibull | Empirical
)
