"""A vehicle development program as a program manager describes it.

Tasks with uncertain durations and costs, links between them (finish-to-start and the three
others, with lags: a negative lag is an overlap), one working calendar, a risk register,
loops that repeat work while validation fails, and rank correlations between durations.

Durations are working days of the program's calendar. Files may write them with a unit:
`20d` (working days), `6w` (weeks of `days_per_week` working days) or `9mo` (months of
`days_per_month` working days; 21 by default, about 5 days x 52 weeks / 12 less holidays).
Only shape and units are checked here; checks across entities (a link to an unknown task, a
cycle) live in `nevsim.program.checks`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from enum import StrEnum
from typing import Annotated, Any, Generic, Literal, TypeVar

import numpy as np
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    WithJsonSchema,
    model_validator,
)

from nevsim.scenario.distributions import as_mapping, law_of
from nevsim.scenario.provenance import Basis

LONGEST_DAYS = 100 * 366
"""The longest duration or lag a program takes, in working days (about 140 years)."""

LARGEST_MONEY = 1e13
"""The largest amount of money a program takes (beyond every vehicle program ever run)."""

_UNITS = {"d": "day", "day": "day", "days": "day", "w": "week", "wk": "week", "week": "week",
          "weeks": "week", "mo": "month", "month": "month", "months": "month"}
_WORK = re.compile(r"^\s*(-?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*([a-zA-Z]*)\s*$")
DAYS_PATTERN = (r"^\s*-?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?\s*("
                + "|".join(sorted(_UNITS, key=len, reverse=True)) + r")?\s*$")


def parse_work(value: Any, per_week: float = 5.0, per_month: float = 21.0) -> float:
    """Working days from a number (already days) or text such as `20d`, `6w` or `9mo`."""
    if isinstance(value, bool):
        raise ValueError("expected working days such as 20d, 6w or 9mo")
    if isinstance(value, int | float):
        try:
            days = float(value)
        except OverflowError:  # an integer beyond any float
            raise ValueError(f"at most {LONGEST_DAYS:,} working days") from None
    elif isinstance(value, str) and (match := _WORK.match(value)):
        number, unit = match.groups()
        kind = _UNITS.get(unit.lower() or "d")
        if kind is None:
            raise ValueError(f"unknown unit {unit!r}; use d (working days), w (weeks) or "
                             "mo (months)")
        days = float(number) * {"day": 1.0, "week": per_week, "month": per_month}[kind]
    else:
        raise ValueError("expected working days such as 20d, 6w or 9mo")
    if not math.isfinite(days) or abs(days) > LONGEST_DAYS:
        raise ValueError(f"at most {LONGEST_DAYS:,} working days")
    return days


def _non_negative(value: Any) -> float:
    days = parse_work(value)
    if days < 0:
        raise ValueError("must be >= 0")
    return days


_DAYS_SCHEMA = {"anyOf": [{"type": "number"}, {"type": "string", "pattern": DAYS_PATTERN}],
                "description": "Working days, or a number with a unit: 20d, 6w, 9mo."}
Days = Annotated[float, BeforeValidator(_non_negative),
                 WithJsonSchema({**_DAYS_SCHEMA, "anyOf": [
                     {"type": "number", "minimum": 0}, _DAYS_SCHEMA["anyOf"][1]]})]
"""A non-negative number of working days."""
Lag = Annotated[float, BeforeValidator(parse_work), WithJsonSchema(_DAYS_SCHEMA)]
"""Working days between linked tasks; negative is an overlap (a lead)."""
Money = Annotated[float, Field(ge=0, le=LARGEST_MONEY)]
Probability = Annotated[float, Field(ge=0, le=1)]

V = TypeVar("V")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class _Uncertain(_Strict, Generic[V]):
    """A quantity that may be random; subclasses give its law.

    `draw` samples it directly (fast); `quantile` maps uniforms to values, for Latin
    hypercube sampling; `likely` is the most likely value the deterministic plan uses.
    """

    @classmethod
    def model_parametrized_name(cls, params: tuple[Any, ...]) -> str:
        """`TriangularDays`, `PertMoney`: readable names in the JSON Schema."""
        unit = {id(Days): "Days", id(Money): "Money"}.get(id(params[0]), "Value")
        return f"{cls.__name__}{unit}"

    def likely(self) -> float:
        """The most likely value (the deterministic plan's)."""
        raise NotImplementedError

    def mean(self) -> float:
        """The expected value."""
        raise NotImplementedError

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """N independent values."""
        return self.quantile(rng.random(n))

    def quantile(self, u: np.ndarray) -> np.ndarray:
        """The values at cumulative probabilities u (the inverse distribution function)."""
        raise NotImplementedError


class Fixed(_Uncertain[V]):
    """No uncertainty."""

    dist: Literal["fixed"] = "fixed"
    value: V

    def likely(self) -> float:
        """The value."""
        return float(self.value)  # type: ignore[arg-type]

    def mean(self) -> float:
        """The value."""
        return self.likely()

    def quantile(self, u: np.ndarray) -> np.ndarray:
        """The value everywhere."""
        return np.full(u.shape, self.likely())


class _Range(_Uncertain[V]):
    min: V
    max: V

    @property
    def low(self) -> float:
        return float(self.min)  # type: ignore[arg-type]

    @property
    def high(self) -> float:
        return float(self.max)  # type: ignore[arg-type]


class Uniform(_Range[V]):
    """Any value between min and max equally likely."""

    dist: Literal["uniform"]

    @model_validator(mode="after")
    def _ordered(self) -> Uniform[V]:
        if not self.low < self.high:
            raise ValueError(f"uniform needs min < max, got min={self.min}, max={self.max}")
        return self

    def likely(self) -> float:
        """The midpoint (every value is as likely)."""
        return (self.low + self.high) / 2

    def mean(self) -> float:
        """The midpoint."""
        return self.likely()

    def quantile(self, u: np.ndarray) -> np.ndarray:
        """Linear in u."""
        return self.low + u * (self.high - self.low)


class _ThreePoint(_Range[V]):
    mode: V

    @property
    def peak(self) -> float:
        return float(self.mode)  # type: ignore[arg-type]

    @model_validator(mode="after")
    def _ordered(self) -> _ThreePoint[V]:
        if not self.low <= self.peak <= self.high or self.low == self.high:
            raise ValueError(f"{self.dist} needs min <= mode <= max and min < max, got "  # type: ignore[attr-defined]
                             f"min={self.min}, mode={self.mode}, max={self.max}")
        return self

    def likely(self) -> float:
        """The mode."""
        return self.peak


class Triangular(_ThreePoint[V]):
    """Three-point estimate: min, most likely, max."""

    dist: Literal["triangular"]

    def mean(self) -> float:
        """(min + mode + max) / 3."""
        return (self.low + self.peak + self.high) / 3

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Numpy's triangular sampler."""
        return rng.triangular(self.low, self.peak, self.high, n)

    def quantile(self, u: np.ndarray) -> np.ndarray:
        """The closed-form inverse of the triangular distribution."""
        a, c, b = self.low, self.peak, self.high
        split = (c - a) / (b - a)
        return np.where(u < split, a + np.sqrt(u * (b - a) * (c - a)),
                        b - np.sqrt((1 - u) * (b - a) * (b - c)))


class Pert(_ThreePoint[V]):
    """PERT-beta three-point estimate: mean (min + shape x mode + max) / (shape + 2)."""

    dist: Literal["pert"]
    shape: float = Field(default=4.0, gt=0, le=100, description="Weight of the mode (4: classic).")

    def _ab(self) -> tuple[float, float]:
        span = self.high - self.low
        return (1 + self.shape * (self.peak - self.low) / span,
                1 + self.shape * (self.high - self.peak) / span)

    def mean(self) -> float:
        """(min + shape x mode + max) / (shape + 2)."""
        return (self.low + self.shape * self.peak + self.high) / (self.shape + 2)

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """A scaled beta draw."""
        a, b = self._ab()
        return self.low + (self.high - self.low) * rng.beta(a, b, n)

    def quantile(self, u: np.ndarray) -> np.ndarray:
        """The inverse regularized incomplete beta function, scaled."""
        a, b = self._ab()
        from scipy import special  # here: scipy costs 0.15 s to import, for every scenario

        return np.asarray(self.low + (self.high - self.low) * special.betaincinv(a, b, u))


class _MeanSd(_Uncertain[V]):
    mean_: V = Field(alias="mean")
    sd: V

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              allow_inf_nan=False)

    @property
    def mu(self) -> float:
        return float(self.mean_)  # type: ignore[arg-type]

    @property
    def sigma(self) -> float:
        return float(self.sd)  # type: ignore[arg-type]

    def mean(self) -> float:
        """The mean as given."""
        return self.mu


class Normal(_MeanSd[V]):
    """Symmetric uncertainty; a negative draw is cut to 0 (keep sd well below the mean)."""

    dist: Literal["normal"]

    def likely(self) -> float:
        """The mean."""
        return self.mu

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Numpy's normal sampler, cut at 0."""
        return np.maximum(rng.normal(self.mu, self.sigma, n), 0.0)

    def quantile(self, u: np.ndarray) -> np.ndarray:
        """Mean + sd x the standard normal quantile, cut at 0."""
        from scipy import special

        return np.asarray(np.maximum(self.mu + self.sigma * special.ndtri(u), 0.0))


class LogNormal(_MeanSd[V]):
    """Right-skewed uncertainty given by its own mean and sd (not the logarithm's)."""

    dist: Literal["lognormal"]

    @model_validator(mode="after")
    def _positive(self) -> LogNormal[V]:
        if self.mu <= 0:
            raise ValueError(f"a lognormal needs mean > 0, got {self.mean_}")
        return self

    def _log(self) -> tuple[float, float]:
        s2 = math.log1p((self.sigma / self.mu) ** 2)
        return math.log(self.mu) - s2 / 2, math.sqrt(s2)

    def likely(self) -> float:
        """The mode, exp(m - s^2)."""
        m, s = self._log()
        return math.exp(m - s * s)

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Numpy's lognormal sampler."""
        m, s = self._log()
        return rng.lognormal(m, s, n)

    def quantile(self, u: np.ndarray) -> np.ndarray:
        """exp(m + s x the standard normal quantile)."""
        m, s = self._log()
        from scipy import special

        return np.asarray(np.exp(m + s * special.ndtri(u)))


class Exponential(_Uncertain[V]):
    """Memoryless: the textbook case (E[max] of two has a closed form)."""

    dist: Literal["exponential"]
    mean_: V = Field(alias="mean")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              allow_inf_nan=False)

    def likely(self) -> float:
        """The mean (the mode, 0, would plan nothing)."""
        return float(self.mean_)  # type: ignore[arg-type]

    def mean(self) -> float:
        """The mean."""
        return self.likely()

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Numpy's exponential sampler."""
        return rng.exponential(self.likely(), n)

    def quantile(self, u: np.ndarray) -> np.ndarray:
        """-mean x log(1 - u)."""
        return np.asarray(-self.likely() * np.log1p(-u))


class Empirical(_Uncertain[V]):
    """Observed values (past programs), each equally likely."""

    dist: Literal["empirical"]
    samples: list[V] = Field(min_length=1, max_length=100_000)

    def _sorted(self) -> np.ndarray:
        return np.sort(np.asarray(self.samples, dtype=float))

    def likely(self) -> float:
        """The median of the observations."""
        return float(np.median(self._sorted()))

    def mean(self) -> float:
        """The mean of the observations."""
        return float(np.mean(self._sorted()))

    def quantile(self, u: np.ndarray) -> np.ndarray:
        """The observation in u's share of the sorted list."""
        values = self._sorted()
        index = np.minimum((u * len(values)).astype(np.int64), len(values) - 1)
        return values[index]


def _which(value: Any) -> str:
    return law_of(value, _Uncertain, "fixed")


def _wrap(value: Any) -> Any:
    return as_mapping(value, _Uncertain)


_DAYS_NUMBER = {**_DAYS_SCHEMA, "anyOf": [{"type": "number", "minimum": 0},
                                          _DAYS_SCHEMA["anyOf"][1]]}


# Concrete laws of working days and of money: the same laws, two units.
class FixedDays(Fixed[Days]):
    """A bare number of working days."""

    @model_validator(mode="before")
    @classmethod
    def _bare(cls, value: Any) -> Any:
        return _wrap(value)

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        """In a file it is bare working days, not a mapping."""
        return _DAYS_NUMBER


class FixedMoney(Fixed[Money]):
    """A bare amount of money."""

    @model_validator(mode="before")
    @classmethod
    def _bare(cls, value: Any) -> Any:
        return _wrap(value)

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        """In a file it is a bare amount, not a mapping."""
        return {"type": "number", "minimum": 0, "maximum": LARGEST_MONEY}


_LAWS = "fixed, uniform, triangular, pert, normal, lognormal, exponential or empirical"
UncertainDays = Annotated[
    Annotated[FixedDays, Tag("scalar")] | Annotated[Fixed[Days], Tag("fixed")]
    | Annotated[Uniform[Days], Tag("uniform")] | Annotated[Triangular[Days], Tag("triangular")]
    | Annotated[Pert[Days], Tag("pert")] | Annotated[Normal[Days], Tag("normal")]
    | Annotated[LogNormal[Days], Tag("lognormal")]
    | Annotated[Exponential[Days], Tag("exponential")]
    | Annotated[Empirical[Days], Tag("empirical")],
    Discriminator(_which, custom_error_type="distribution", custom_error_message=(
        f"expected working days (20d, 6w, 9mo) or a mapping with dist: {_LAWS}")),
]
"""Working days that may be random: `9mo`, or `{dist: triangular, min: 8mo, mode: 9mo, ...}`."""
UncertainMoney = Annotated[
    Annotated[FixedMoney, Tag("scalar")] | Annotated[Fixed[Money], Tag("fixed")]
    | Annotated[Uniform[Money], Tag("uniform")] | Annotated[Triangular[Money], Tag("triangular")]
    | Annotated[Pert[Money], Tag("pert")] | Annotated[Normal[Money], Tag("normal")]
    | Annotated[LogNormal[Money], Tag("lognormal")]
    | Annotated[Exponential[Money], Tag("exponential")]
    | Annotated[Empirical[Money], Tag("empirical")],
    Discriminator(_which, custom_error_type="distribution", custom_error_message=(
        f"expected an amount or a mapping with dist: {_LAWS}")),
]
"""Money that may be random: `40000`, or `{dist: pert, min: 3e4, mode: 4e4, max: 6e4}`."""
AnyUncertain = _Uncertain[Any]


class LinkType(StrEnum):
    """How a link ties two tasks (the successor's start or finish to the predecessor's)."""

    FS = "FS"
    SS = "SS"
    FF = "FF"
    SF = "SF"


class Weekday(StrEnum):
    """Days of the working week."""

    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"


class Holiday(_Strict):
    """Days off, first to last inclusive (the Spring Festival shutdown, a summer break)."""

    name: str = ""
    first: dt.date = Field(alias="from")
    last: dt.date = Field(alias="to")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _ordered(self) -> Holiday:
        if self.last < self.first:
            raise ValueError(f"a holiday ends on or after it starts, got from {self.first} "
                             f"to {self.last}")
        if (self.last - self.first).days > 366:
            raise ValueError("a holiday is at most a year long")
        return self


class Calendar(_Strict):
    """The program's one working calendar: which weekdays are worked, and holidays."""

    working_days: list[Weekday] = Field(
        default_factory=lambda: [Weekday.MON, Weekday.TUE, Weekday.WED, Weekday.THU,
                                 Weekday.FRI])
    holidays: list[Holiday] = Field(default_factory=list, max_length=10_000)


class TaskCost(_Strict):
    """What a task costs: a fixed amount plus a rate for every working day it lasts."""

    fixed: UncertainMoney = Field(default_factory=lambda: FixedMoney(value=0.0))
    per_day: UncertainMoney = Field(default_factory=lambda: FixedMoney(value=0.0))


_CHANGE = ("The change in the way of working this item belongs to (one of `changes`), for "
           "`nevsim program compare`.")


class Task(_Strict):
    """A piece of work, or a milestone (duration 0) such as a gate or SOP."""

    name: str = Field(min_length=1)
    duration: UncertainDays = Field(default_factory=lambda: FixedDays(value=0.0))
    cost: TaskCost = Field(default_factory=TaskCost)
    phase: str = Field(default="", description="A group for reports (concept, engineering).")
    uses: dict[str, int] = Field(
        default_factory=dict, description="Units of each resource the task holds while it runs.")
    change: str | None = Field(default=None, description=_CHANGE)

    @model_validator(mode="after")
    def _positive_uses(self) -> Task:
        for name, units in self.uses.items():
            if units < 1:
                raise ValueError(f"a task uses at least 1 unit of a resource it names, got "
                                 f"{units} of {name!r}")
        return self


class Link(_Strict):
    """A precedence: `to` starts (FS, SS) or finishes (FF, SF) `lag` after `from` ends.

    `from` finishes (FS, FF) or starts (SS, SF) first; the lag may be negative (an overlap).
    """

    before: str = Field(alias="from")
    after: str = Field(alias="to")
    type: LinkType = LinkType.FS
    lag: Lag = 0.0
    change: str | None = Field(default=None, description=_CHANGE)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              allow_inf_nan=False)


class Correlation(_Strict):
    """Durations that move together (shared engineers, one supplier).

    The rank correlation holds between every pair of the tasks named.
    """

    tasks: list[str] = Field(min_length=2)
    rank: float = Field(gt=-1, lt=1, description="Spearman rank correlation of each pair.")
    change: str | None = Field(default=None, description=_CHANGE)


class Impact(_Strict):
    """What a risk does to one task when it occurs: add working days, or scale the duration."""

    task: str
    add: UncertainDays | None = None
    factor: float | None = Field(default=None, ge=0, le=100)

    @model_validator(mode="after")
    def _one(self) -> Impact:
        if (self.add is None) == (self.factor is None):
            raise ValueError("an impact gives either add (working days) or factor")
        return self


class Mitigation(_Strict):
    """A response planned ahead: it costs money and lowers the chance or the impact."""

    cost: Money
    probability: Probability | None = Field(
        default=None, description="The risk's probability once mitigated (default: unchanged).")
    impact_scale: float = Field(default=1.0, ge=0, le=1,
                                description="Share of the impact left once mitigated.")


class Risk(_Strict):
    """An entry of the risk register: a discrete event that may happen."""

    name: str = Field(min_length=1)
    probability: Probability
    impacts: list[Impact] = Field(min_length=1)
    cost: Money = Field(default=0.0, description="Money spent if it happens (besides delay).")
    mitigation: Mitigation | None = None
    mitigated: bool = Field(default=False, description="Whether the mitigation is applied.")
    change: str | None = Field(default=None, description=_CHANGE)


class Loop(_Strict):
    """Work repeated while validation fails: after each pass, another with `repeat_probability`.

    A gate that sends work back with probability p is a loop over the work it sends back.
    Every pass redoes the loop's tasks (fresh durations and costs); the extra passes delay
    the finish of its last task, the exit, which is what comes after the loop waits for.
    """

    name: str = Field(min_length=1)
    tasks: list[str] = Field(min_length=1, description="The loop's tasks; the last is its exit.")
    repeat_probability: float = Field(ge=0, lt=1, description="Chance another pass is needed.")
    max_passes: int | None = Field(default=None, ge=1, le=1000)
    change: str | None = Field(default=None, description=_CHANGE)


class Resource(_Strict):
    """Something tasks compete for: engineering teams, test rigs, a prototype shop."""

    name: str = Field(min_length=1)
    capacity: int = Field(ge=1, le=1_000_000, description="Units available at any time.")


class Removals(_Strict):
    """Items of the program compared against that a change takes away."""

    tasks: list[str] = Field(default_factory=list)
    links: list[str] = Field(default_factory=list,
                             description="`from -> to` or `from -> to (SS)`; FS if no type.")
    risks: list[str] = Field(default_factory=list)
    loops: list[str] = Field(default_factory=list)
    correlations: list[list[str]] = Field(default_factory=list,
                                          description="Each by its tasks, in any order.")
    branches: list[str] = Field(default_factory=list)


class Change(_Strict):
    """One change in the way of working, as a step from another program to this one.

    `nevsim program compare A B` applies B's changes to A one at a time, in the order listed:
    the items of B tagged with the change (added or different from A's), the items of A it
    removes (a removed task takes its links along), and the settings it names.
    """

    name: str = Field(min_length=1)
    description: str = ""
    removes: Removals = Field(default_factory=Removals)
    settings: list[Literal["overhead_per_day", "calendar", "days_per_week", "days_per_month",
                           "start"]] = Field(default_factory=list)


class Option(_Strict):
    """One outcome of a branch: its probability and the tasks done only in it."""

    probability: Probability
    does: list[str] = Field(default_factory=list,
                            description="Tasks done only when this outcome happens.")


class Branch(_Strict):
    """Work that takes one of several paths by chance (a homologation route, make or buy).

    In each sample one option happens, and the tasks of the others are not done (no time,
    no cost). The plan takes the most likely option.
    """

    name: str = Field(min_length=1)
    options: list[Option] = Field(min_length=2)
    change: str | None = Field(default=None, description=_CHANGE)

    @model_validator(mode="after")
    def _sums_to_one(self) -> Branch:
        total = sum(o.probability for o in self.options)
        if abs(total - 1) > 1e-9:
            raise ValueError(f"the options' probabilities add up to 1, got {total:g}")
        return self


class Target(_Strict):
    """A date and a budget to measure confidence against."""

    sop: dt.date | None = None
    budget: Money | None = None


class Program(_Strict):
    """A development program from concept to start of production (SOP)."""

    start: dt.date = Field(description="The first day of the program (concept kick-off).")
    sop: str = Field(min_length=1, description="The milestone that is SOP: the program's end.")
    currency: str = "USD"
    days_per_week: float = Field(default=5.0, gt=0, le=7)
    days_per_month: float = Field(default=21.0, gt=0, le=31)
    calendar: Calendar = Field(default_factory=Calendar)
    overhead_per_day: Money = Field(
        default=0.0, description="The team's standing cost a working day until SOP.")
    target: Target | None = None
    resources: list[Resource] = Field(default_factory=list, max_length=1000)
    tasks: list[Task] = Field(min_length=1, max_length=20_000)
    links: list[Link] = Field(default_factory=list, max_length=100_000)
    correlations: list[Correlation] = Field(default_factory=list)
    risks: list[Risk] = Field(default_factory=list)
    loops: list[Loop] = Field(default_factory=list)
    branches: list[Branch] = Field(default_factory=list)
    changes: list[Change] = Field(
        default_factory=list, description="How this program differs from another, step by "
        "step, in the order `nevsim program compare` applies them.")
    basis: list[Basis] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _units(cls, data: Any) -> Any:
        """Weeks and months become working days with this program's days_per_week/month."""
        if not isinstance(data, dict):
            return data
        week, month = data.get("days_per_week", 5.0), data.get("days_per_month", 21.0)
        if not (isinstance(week, int | float) and isinstance(month, int | float)):
            return data
        data = dict(data)
        for key, spots in (("tasks", ("duration",)), ("links", ("lag",))):
            if isinstance(data.get(key), list):
                data[key] = [_convert(item, spots, week, month) for item in data[key]]
        if isinstance(data.get("risks"), list):
            data["risks"] = [
                {**r, "impacts": [_convert(i, ("add",), week, month) for i in r["impacts"]]}
                if isinstance(r, dict) and isinstance(r.get("impacts"), list) else r
                for r in data["risks"]]
        return data

    def task_names(self) -> list[str]:
        """Task names in declaration order."""
        return [t.name for t in self.tasks]


_DIST_FIELDS = ("value", "min", "mode", "max", "mean", "sd")


def _days(value: Any, week: float, month: float) -> Any:
    if isinstance(value, str):
        try:
            return parse_work(value, week, month)
        except ValueError:
            return value  # the field's own validator reports it
    return value


def _convert(item: Any, spots: tuple[str, ...], week: float, month: float) -> Any:
    if not isinstance(item, dict):
        return item
    item = dict(item)
    for spot in spots:
        value = item.get(spot)
        if isinstance(value, dict):
            value = {k: (_days(v, week, month) if k in _DIST_FIELDS else v)
                     for k, v in value.items()}
            if isinstance(value.get("samples"), list):
                value["samples"] = [_days(v, week, month) for v in value["samples"]]
            item[spot] = value
        elif value is not None:
            item[spot] = _days(value, week, month)
    return item
