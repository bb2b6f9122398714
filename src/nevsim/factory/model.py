"""The plant, as a manufacturing engineer describes it: shops, stations, buffers, feeders.

Only shape and units are checked here; checks across entities (a buffer between stations that
do not exist, a rework target downstream) live in `nevsim.factory.checks`.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from nevsim.factory.calendar import Calendar
from nevsim.scenario.distributions import Deterministic, Distribution, Exponential
from nevsim.scenario.provenance import Basis
from nevsim.scenario.units import NonNegativeDuration, PositiveDuration

MOST = 1_000_000
"""The largest count a plant takes (buffer places, lot size, store): far above any plant and
small enough for the kernels' arrays."""

MOST_REPLICATIONS = 10_000


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class FailureMode(StrEnum):
    """When the failure clock runs."""

    OPERATION = "operation"  # only while the station works (wear of a robot in motion)
    TIME = "time"  # whenever its shop is on shift, working or not


class FailureScope(StrEnum):
    """Whether MTBF is given for each robot or for the station as a whole."""

    ROBOT = "robot"
    STATION = "station"


class Failures(_Strict):
    """Breakdowns of a station: time between failures and time to repair."""

    mtbf: Distribution = Field(description="Time between failures (of one robot if per: robot).")
    mttr: Distribution = Field(description="Time to repair one failure.")
    per: FailureScope = Field(
        default=FailureScope.STATION,
        description="`robot`: each robot fails independently (needs an exponential mtbf).",
    )
    mode: FailureMode = Field(
        default=FailureMode.OPERATION,
        description="`operation`: fails only while working; `time`: fails while on shift.",
    )


class Quality(_Strict):
    """First-pass yield and what becomes of a defective vehicle."""

    yield_: float = Field(
        alias="yield", gt=0, le=1, description="Share of visits that pass the first time."
    )
    scrap: float = Field(default=0.0, ge=0, le=1, description="Share of defects scrapped.")
    rework_to: str | None = Field(
        default=None,
        description=(
            "Station (this one or an earlier one in the same shop) a defect returns to after "
            "repair; leave out for an offline repair loop that rejoins after this station."
        ),
    )
    repair_time: Distribution = Field(
        default_factory=lambda: Deterministic(value=0.0),
        description="Time in the repair area before the vehicle rejoins the line.",
    )

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              allow_inf_nan=False)


class Batch(_Strict):
    """Lot production: a changeover before each new lot (die change on a press line)."""

    lot_size: int = Field(gt=0, le=MOST, description="Jobs per lot.")
    changeover: Distribution = Field(description="Setup time before each new lot.")


class Station(_Strict):
    """A work station: cycle time, parallel identical servers, robots, failures, quality."""

    name: str = Field(min_length=1)
    shop: str | None = Field(default=None, description="Shop the station belongs to.")
    cycle: Distribution = Field(description="Work time per job on one server.")
    servers: int = Field(default=1, ge=1, le=1000,
                         description="Parallel identical servers (cells).")
    robots: int = Field(default=0, ge=0, le=100_000, description="Robots per server.")
    ideal_cycle: PositiveDuration | None = Field(
        default=None, description="Design cycle time for OEE; defaults to the mean cycle."
    )
    failures: Failures | None = None
    quality: Quality | None = None
    batch: Batch | None = None
    work_content: dict[str, NonNegativeDuration] = Field(
        default_factory=dict, description="Extra work on a car with the named option, or of "
        "the named model, on top of the cycle (mixed-model lines; see factory.variants).")
    zone: PositiveDuration | None = Field(
        default=None, description="How long the operator may work on one car before it leaves "
        "the station's stretch of a paced line (default: the takt); work beyond it is overload.")
    basis: list[Basis] = Field(default_factory=list, description="Sources of the figures.")

    def ideal_cycle_time(self) -> float:
        """Cycle time used as the OEE performance reference."""
        return self.ideal_cycle if self.ideal_cycle is not None else self.cycle.mean()

    def station_mtbf(self) -> float | None:
        """Mean time between failures of one server of the station."""
        if self.failures is None:
            return None
        if self.failures.per is FailureScope.ROBOT:
            return self.failures.mtbf.mean() / max(self.robots, 1)
        return self.failures.mtbf.mean()


class Retrieval(StrEnum):
    """Which body a resequencing store (a painted-body store) hands on next."""

    FIFO = "fifo"  # the body that came in first: a plain buffer
    SEQUENCE = "sequence"  # the lane head planned earliest: restores the line's sequence
    SPACING = "spacing"  # the lane head breaking the fewest option rules on what went on


class Buffer(_Strict):
    """Places for vehicles waiting between two adjacent stations (not counting those in work).

    With `lanes` it is a resequencing store (the painted-body store in front of final
    assembly): FIFO lanes sharing its capacity (the first ones take one place more when it
    does not divide), whose heads the `retrieval` rule chooses from.
    """

    between: tuple[str, str] = Field(description="Upstream and downstream station names.")
    capacity: int = Field(ge=0, le=MOST,
                          description="Vehicles it holds; a full buffer blocks upstream.")
    name: str | None = None
    lanes: int | None = Field(default=None, ge=1, le=1000, description="A resequencing store "
                              "of this many FIFO lanes sharing its capacity.")
    retrieval: Retrieval = Field(default=Retrieval.SEQUENCE, description="Which lane head "
                                 "the store hands on next (with `lanes`).")
    basis: list[Basis] = Field(default_factory=list)


class Feeder(_Strict):
    """A sub-line supplying parts to a main-line station, which cannot start without them."""

    name: str = Field(min_length=1)
    to: str = Field(description="Main-line station that consumes the parts.")
    parts_per_vehicle: int = Field(default=1, ge=1, le=1000)
    store: int = Field(ge=1, le=MOST,
                       description="Capacity of the part store in front of the consumer.")
    shop: str | None = None
    stations: list[Station] = Field(min_length=1)
    buffers: list[Buffer] = Field(default_factory=list)
    basis: list[Basis] = Field(default_factory=list)


class Priority(StrEnum):
    """How much an option rule matters: the sequencer's goals rank the two levels."""

    HIGH = "high"
    LOW = "low"


class Goal(StrEnum):
    """What the sequencer minimizes, ranked by the user (the ROADEF 2005 hierarchy)."""

    HIGH = "high-priority options"  # violations of high-priority option rules
    PAINT = "colour changes"  # colour changes, weighted by their cost
    LOW = "low-priority options"


class Tone(StrEnum):
    """A paint's tone: changing from dark to light takes a longer purge."""

    LIGHT = "light"
    DARK = "dark"


RULE_PATTERN = r"^\s*[1-9][0-9]*\s*:\s*[1-9][0-9]*\s*$"


class Option(_Strict):
    """An option some cars carry, and its spacing rule on the line."""

    name: str = Field(min_length=1)
    share: float = Field(ge=0, le=1, description="Share of orders with the option (to draw an "
                                                  "order book when none is given).")
    rule: str = Field(pattern=RULE_PATTERN, description="`H:N`: at most H cars with the option "
                      "in any N consecutive cars (the station that fits its work content).")
    priority: Priority = Field(default=Priority.HIGH)
    basis: list[Basis] = Field(default_factory=list)

    def limits(self) -> tuple[int, int]:
        """(H, N) of the rule."""
        most, window = (int(v) for v in self.rule.split(":"))
        return most, window


class Trim(_Strict):
    """A trim level of a model."""

    name: str = Field(min_length=1)
    share: float = Field(ge=0, le=1, description="Share of the model's orders.")


class VehicleModel(_Strict):
    """A model the line builds, with its trims."""

    name: str = Field(min_length=1)
    share: float = Field(ge=0, le=1, description="Share of all orders.")
    trims: list[Trim] = Field(default_factory=list)
    basis: list[Basis] = Field(default_factory=list)


class Colour(_Strict):
    """A paint colour."""

    name: str = Field(min_length=1)
    share: float = Field(ge=0, le=1, description="Share of all orders.")
    tone: Tone = Field(default=Tone.LIGHT)


class Paint(_Strict):
    """What a colour change costs the paint shop and how long a batch may run."""

    purge_time: NonNegativeDuration = Field(default=0.0, description="Booth time lost to the "
                                            "purge at a colour change.")
    purge_cost: float = Field(default=0.0, ge=0, description="Solvent and paint per change, "
                              "USD.")
    dark_to_light: float = Field(default=1.0, ge=1, le=100, description="Factor on the purge "
                                 "time and cost of a change from a dark to a light colour.")
    batch_limit: int | None = Field(default=None, ge=1, le=MOST, description="Most cars of "
                                    "one colour in a row before the guns must be cleaned.")
    booth: str | None = Field(default=None, description="Main-line station where the colour "
                              "changes: a simulation adds the purge time there at each change.")
    basis: list[Basis] = Field(default_factory=list)


class Policy(StrEnum):
    """How an order book becomes the line's sequence (see `nevsim.factory.orders`)."""

    FIFO = "fifo"
    COLOUR_BATCHES = "colour-batches"
    OPTION_SPACING = "option-spacing"
    OPTIMIZED = "optimized"


class Overload(StrEnum):
    """Who absorbs the work a car brings beyond a station's zone."""

    UTILITY = "utility-worker"  # a utility worker finishes it: a cost
    STOP = "line-stop"  # the line stops until it is done: lost output


class Variants(_Strict):
    """What the line builds: models and trims, options with their spacing rules, colours."""

    models: list[VehicleModel] = Field(min_length=1)
    options: list[Option] = Field(default_factory=list)
    colours: list[Colour] = Field(min_length=1)
    paint: Paint = Field(default_factory=Paint)
    overload: Overload = Field(default=Overload.UTILITY, description="Who absorbs work beyond "
                               "a station's zone: a utility worker, or a line stop.")
    utility_cost_per_hour: float = Field(default=0.0, ge=0, description="USD an hour of a "
                                         "utility worker.")
    order_book: int = Field(default=1000, ge=1, le=MOST, description="Orders a simulation "
                            "draws from the shares and builds, in turn, again and again.")
    policy: Policy = Field(default=Policy.OPTIMIZED, description="How a simulation sequences "
                           "its order book.")
    goals: list[Goal] = Field(
        default_factory=lambda: [Goal.HIGH, Goal.PAINT, Goal.LOW],
        description="The sequencer's goals, most important first; each counts 1,000 times "
        "the next.")
    basis: list[Basis] = Field(default_factory=list)


class Shop(_Strict):
    """A shop (body, paint, final assembly ...) and the calendar it works to."""

    name: str = Field(min_length=1)
    calendar: str | None = Field(default=None, description="Calendar name; none = never stops.")


class Plant(_Strict):
    """A car plant: the main line in flow order, its buffers, feeders, shops and calendars."""

    takt: PositiveDuration = Field(description="Target time between vehicles off the line.")
    horizon: PositiveDuration = Field(default=30 * 86400.0, description="Calendar time simulated.")
    warmup: NonNegativeDuration = Field(default=0.0, description="Start-up time left out of stats.")
    replications: int = Field(default=10, ge=1, le=MOST_REPLICATIONS)
    default_buffer: int = Field(
        default=0, ge=0, le=MOST,
        description="Buffer capacity between adjacent stations with none given."
    )
    calendars: dict[str, Calendar] = Field(default_factory=dict)
    shops: list[Shop] = Field(default_factory=list)
    stations: list[Station] = Field(min_length=1, description="Main-line stations in flow order.")
    buffers: list[Buffer] = Field(default_factory=list)
    feeders: list[Feeder] = Field(default_factory=list)
    variants: Variants | None = Field(default=None, description="Models, options and colours "
                                      "for mixed-model sequencing.")
    basis: list[Basis] = Field(default_factory=list)

    @model_validator(mode="after")
    def _warmup_inside_horizon(self) -> Plant:
        if self.warmup >= self.horizon:
            raise ValueError(
                f"warmup ({self.warmup:g}s) must be shorter than horizon ({self.horizon:g}s)"
            )
        return self

    def all_stations(self) -> list[Station]:
        """Main-line stations, then each feeder's."""
        return [*self.stations, *(s for f in self.feeders for s in f.stations)]

    def robots_total(self) -> int:
        """Robots in the plant (robots per server x servers)."""
        return sum(s.robots * s.servers for s in self.all_stations())


__all__ = [
    "Batch",
    "Buffer",
    "Calendar",
    "Colour",
    "Exponential",
    "FailureMode",
    "FailureScope",
    "Failures",
    "Feeder",
    "Goal",
    "Option",
    "Overload",
    "Paint",
    "Plant",
    "Policy",
    "Priority",
    "Quality",
    "Retrieval",
    "Shop",
    "Station",
    "Tone",
    "Trim",
    "Variants",
    "VehicleModel",
]
