"""The overseas network as a strategy planner describes it.

Components, suppliers, plants, markets, lanes, duties and content rules, year by year.

Only shape and units are checked here; checks across entities (a supplier of a component no
model uses, a lane from a country with nothing in it) live in `nevsim.network.checks`.
Money is in the network's `currency` (default USD); quantities are vehicles a year, or
component units a year where a unit is what one vehicle's bill of materials counts.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from nevsim.network.objective import Objective
from nevsim.scenario.provenance import Basis


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


LARGEST = 1e12
"""The largest amount a network takes (money, vehicles, units): beyond it a plan is badly
scaled for any solver, and no real network comes near."""

Money = Annotated[float, Field(ge=0, le=LARGEST, json_schema_extra={"unit": "currency"})]
Share = Annotated[float, Field(ge=0, le=1)]
Year = Annotated[int, Field(ge=1990, le=2100)]
Amount = Annotated[float, Field(ge=0, le=LARGEST)]
NORMAL = "normal"
"""The duty channel of a vehicle flow that pays the ordinary duties."""

Schedule = Amount | dict[Year, Amount]
"""A value by year: a number for every year, or `{year: value}` steps, each holding from that
year on until the next step (`{2025: 0.10, 2026: 0.35}`: 10% in 2025, 35% from 2026)."""


def value_in(schedule: Schedule, year: int) -> float:
    """The value of a step schedule in a year (the latest step at or before it)."""
    if not isinstance(schedule, dict):
        return float(schedule)
    steps = [y for y in schedule if y <= year]
    if not steps:
        raise ValueError(f"schedule {schedule} has no step at or before {year}")
    return float(schedule[max(steps)])


def first_step(schedule: Schedule) -> int | None:
    """The first year a step schedule defines, or None for a constant."""
    return min(schedule) if isinstance(schedule, dict) and schedule else None


class ProductKind(StrEnum):
    """What crosses a border, for duties."""

    VEHICLE = "vehicle"
    BATTERY = "battery"
    PART = "part"


class Powertrain(StrEnum):
    """Drive type; some duties (EU countervailing duties) apply to some drive types only."""

    BEV = "BEV"
    PHEV = "PHEV"
    EREV = "EREV"


class Segment(StrEnum):
    """Market maturity."""

    MATURE = "mature"
    EMERGING = "emerging"
    DOMESTIC = "domestic"


class Mode(StrEnum):
    """Transport mode of a lane."""

    SEA_RORO = "sea-roro"
    SEA_CONTAINER = "sea-container"
    RAIL = "rail"
    TRUCK = "truck"


class Horizon(_Strict):
    """The planning years, first to last inclusive."""

    first: Year
    last: Year

    @model_validator(mode="after")
    def _ordered(self) -> Horizon:
        if self.last < self.first:
            raise ValueError(f"last ({self.last}) must not be before first ({self.first})")
        return self

    def years(self) -> list[int]:
        """Every planning year in order."""
        return list(range(self.first, self.last + 1))


class Component(_Strict):
    """A component family of the bill of materials (battery cells, pack, e-drive, ...)."""

    name: str = Field(min_length=1)
    product: ProductKind = Field(
        default=ProductKind.PART, description="`battery` or `part`: which duties apply."
    )
    description: str = ""


class BomLine(_Strict):
    """Units of one component family in one vehicle."""

    component: str
    quantity: float = Field(default=1.0, gt=0, le=1e6, description="Units per vehicle.")


class VehicleModel(_Strict):
    """A vehicle model: its drive type, bill of materials and declared customs value."""

    name: str = Field(min_length=1)
    powertrain: Powertrain = Powertrain.BEV
    customs_value: Money = Field(
        description="Value per vehicle that ad-valorem duties apply to (CIF transfer price)."
    )
    bom: list[BomLine] = Field(min_length=1, description="Component families per vehicle.")
    basis: list[Basis] = Field(default_factory=list)


class Supplier(_Strict):
    """One supplier site of one component family."""

    name: str = Field(min_length=1)
    company: str = Field(min_length=1)
    country: str = Field(min_length=2, description="Country code where it produces (ISO-like).")
    chinese: bool = Field(description="Chinese-owned (counts as domestic in the ratio).")
    component: str
    capacity: Schedule = Field(description="Units a year it can deliver (a number or by year).")
    unit_cost: Schedule = Field(description="Price per unit delivered ex works.")
    first_year: Year | None = Field(
        default=None, description="First year it can supply; none = from the first plan year."
    )
    lead_time: int = Field(
        default=0, ge=0, le=30,
        description="Years of qualification or building before first supply."
    )
    co2_per_unit: float = Field(default=0.0, ge=0, le=1e6, json_schema_extra={"unit": "kg"})
    basis: list[Basis] = Field(default_factory=list)

    def first_supply(self, first_year: int) -> int:
        """The first year it can deliver in a plan starting in `first_year`.

        Its own first year, and no sooner than its lead time after a decision in the first
        plan year.
        """
        return max(self.first_year or first_year, first_year + self.lead_time)


class CapacityLevel(_Strict):
    """One step of a plant's capacity (150k, then +150k): what it adds and costs."""

    capacity: float = Field(gt=0, le=LARGEST,
                            description="Vehicles a year this step adds at full rate.")
    capex: Money = Field(default=0.0, description="Investment for this step.")
    fixed_cost: Money = Field(default=0.0, description="Fixed cost a year once producing.")

    def annual_cost(self, capital_rate: float, life: int) -> float:
        """Fixed cost plus the capex annuity: what a producing year of this step costs."""
        return self.fixed_cost + self.capex * annuity(capital_rate, life)


def annuity(rate: float, life: int) -> float:
    """Capital recovery factor: the yearly charge that repays one unit of capex over life."""
    return 1.0 / life if rate == 0 else rate / (1 - (1 + rate) ** -life)


class Plant(_Strict):
    """A car plant, existing or a candidate to build."""

    name: str = Field(min_length=1)
    country: str = Field(min_length=2)
    company: str | None = Field(default=None, description="Owner; none = the network's maker.")
    existing: bool = Field(default=False, description="Already built and producing.")
    levels: list[CapacityLevel] = Field(min_length=1, description="Capacity steps in order.")
    variable_cost: Schedule = Field(
        description="Production cost per vehicle (labour, energy, overhead), added locally."
    )
    lead_time: int = Field(default=2, ge=0, le=30,
                           description="Years from decision to first output.")
    ramp_up: list[Share] = Field(
        default_factory=lambda: [1.0],
        description="Share of capacity usable in production years 1, 2, 3 ... then full.",
    )
    earliest_start: Year | None = Field(
        default=None, description="Earliest start of production (SOP) year."
    )
    life: int = Field(default=20, ge=1, le=100,
                      description="Years over which capex is annualized.")
    models: list[str] | None = Field(default=None, description="Models it can make; none = all.")
    co2_per_vehicle: float = Field(default=0.0, ge=0, le=1e6, json_schema_extra={"unit": "kg"})
    closing_cost: Money | None = Field(
        default=None, description="Existing plants: what closing it costs, once; it then makes "
        "nothing and its fixed costs stop. None: it stays open.")
    idle_cost: Money | None = Field(
        default=None, description="Existing plants: what a year idle (mothballed) costs in "
        "place of its fixed costs; an idle year makes nothing from the existing capacity. "
        "None: it works every year it is open.")
    basis: list[Basis] = Field(default_factory=list)

    def ready(self, start: int) -> int:
        """The first production year (SOP) of a step whose building starts in `start`."""
        return start + self.lead_time

    def may_start(self, start: int, last_year: int) -> bool:
        """Whether a step may start building in `start` (SOP not too early, inside the plan)."""
        sop = self.ready(start)
        return (self.earliest_start is None or sop >= self.earliest_start) and sop <= last_year

    def first_output(self, first_year: int) -> int:
        """The earliest year the plant can produce in a plan that starts in `first_year`."""
        if self.existing:
            return first_year
        return max(self.ready(first_year), self.earliest_start or first_year)


class Market(_Strict):
    """A sales market: demand and price per model by year."""

    name: str = Field(min_length=1)
    country: str = Field(min_length=2)
    segment: Segment = Segment.MATURE
    demand: dict[str, Schedule] = Field(description="Vehicles a year by model.")
    price: dict[str, Schedule] = Field(description="Net price per vehicle by model.")
    basis: list[Basis] = Field(default_factory=list)


class Lane(_Strict):
    """A transport lane between two countries for vehicles or parts."""

    origin: str
    destination: str
    cargo: ProductKind = Field(
        default=ProductKind.VEHICLE, description="`vehicle`, or `part`/`battery` for components."
    )
    mode: Mode = Mode.SEA_RORO
    cost: Money = Field(default=0.0, description="Cost per vehicle or per component unit.")
    cost_share: float = Field(
        default=0.0, ge=0, le=1,
        description="Part lanes: freight and insurance as a share of the part's value.",
    )
    transit_days: float = Field(default=0.0, ge=0, le=365)
    co2_per_unit: float = Field(default=0.0, ge=0, le=1e6, json_schema_extra={"unit": "kg"})
    basis: list[Basis] = Field(default_factory=list)


class Duty(_Strict):
    """An import duty: origin -> destination for a product; matching duties add up."""

    name: str = Field(min_length=1)
    origin: str = Field(description="Country, group or `*` (any other country).")
    destination: str = Field(description="Country or group.")
    product: ProductKind = ProductKind.VEHICLE
    powertrains: list[Powertrain] | None = Field(default=None, description="None = all.")
    companies: list[str] | None = Field(
        default=None, description="Exporting companies it applies to; none = every company."
    )
    except_companies: list[str] = Field(
        default_factory=list, description="Companies it does not apply to (they have their own)."
    )
    rate: Schedule = Field(description="Ad-valorem rate (0.1 = 10%) by year.")
    minimum: Schedule = Field(
        default=0.0, description="Vehicles: the duty is at least this amount a vehicle (the "
        "larger of rate x customs value and the minimum), by year.")
    basis: list[Basis] = Field(default_factory=list)

    @property
    def has_minimum(self) -> bool:
        """Whether a minimum amount applies in some year."""
        values = self.minimum.values() if isinstance(self.minimum, dict) else [self.minimum]
        return any(v > 0 for v in values)


class RuleKind(StrEnum):
    """What a content rule does."""

    PREFERENTIAL = "preferential"  # meeting the threshold replaces the duty into destinations
    MANDATORY = "mandatory"  # plants in the countries must meet the threshold
    LOCAL_PRODUCTION = "local-production"  # imports at a scheme rate need local output


class LocalBasis(StrEnum):
    """What a local-production scheme counts as the local vehicles that admit imports."""

    PRODUCTION = "production"  # everything the local plants make
    DOMESTIC_SALES = "domestic-sales"  # only what they sell in the scheme's countries


class ContentRule(_Strict):
    """A local-content or local-production rule, by year.

    Content of a plant-year = (value of components from suppliers in `region` + the plant's own
    value added if the plant is in `region`) / (all component value + value added).
    """

    name: str = Field(min_length=1)
    kind: RuleKind
    countries: list[str] = Field(
        min_length=1,
        description=(
            "preferential: where the plant is; mandatory: plants bound by it; "
            "local-production: the market whose imports it governs."
        ),
    )
    destinations: list[str] = Field(
        default_factory=list, description="preferential only: markets the access opens."
    )
    region: list[str] | None = Field(
        default=None, description="Countries whose value counts as originating; none = countries."
    )
    threshold: Schedule | None = Field(
        default=None, description="Content share required (preferential, mandatory)."
    )
    rate: Schedule | None = Field(
        default=None,
        description="Duty rate instead of the normal ones (preferential, local-production).",
    )
    ratio: Schedule | None = Field(
        default=None, description="local-production: local vehicles required per scheme import."
    )
    counts: LocalBasis = Field(
        default_factory=lambda: LocalBasis.PRODUCTION,
        description="local-production: what counts as local vehicles: all the local plants' "
                    "`production`, or only their `domestic-sales` (exports do not count).")
    imports_until: Year | None = Field(
        default=None, description="local-production: the last year imports may enter "
        "through the scheme; none = every year.")
    settle_by: Year | None = Field(
        default=None, description="local-production offset schemes: the scheme's imports are "
        "settled by local vehicles built up to this year, each worth 1/ratio of an import in "
        "its year (2:1 in 2026, 3:1 in 2027: a later offset takes more); none = each year's "
        "imports need that year's local vehicles.")
    owed: Amount = Field(
        default=0.0, description="local-production offset schemes: vehicles imported through "
        "the scheme before the plan's first year, still to be settled.")
    powertrains: list[Powertrain] | None = None
    basis: list[Basis] = Field(default_factory=list)

    @model_validator(mode="after")
    def _fields_for_kind(self) -> ContentRule:
        needs = {
            RuleKind.PREFERENTIAL: ("threshold", "rate", "destinations"),
            RuleKind.MANDATORY: ("threshold",),
            RuleKind.LOCAL_PRODUCTION: ("rate", "ratio"),
        }[self.kind]
        missing = [f for f in needs if getattr(self, f) in (None, [], {})]
        if missing:
            raise ValueError(f"a {self.kind.value} rule needs {', '.join(missing)}")
        if self.kind is not RuleKind.LOCAL_PRODUCTION and (
                self.imports_until is not None or self.settle_by is not None or self.owed):
            raise ValueError("imports_until, settle_by and owed belong to local-production "
                             "rules")
        if self.owed and self.settle_by is None:
            raise ValueError("owed imports are settled by a year: give settle_by")
        if (self.imports_until is not None and self.settle_by is not None
                and self.imports_until > self.settle_by):
            raise ValueError(f"imports_until {self.imports_until} is after settle_by "
                             f"{self.settle_by}: imports must end before they are settled")
        return self


class UndertakingTerms(_Strict):
    """What an exporter undertakes for one model: a price floor, within a yearly volume."""

    minimum_price: Schedule = Field(
        description="Minimum import price (CIF) a vehicle, by year; other duties are charged "
        "on it where it is above the model's customs value.",
        json_schema_extra={"unit": "currency"})
    cap: Schedule = Field(
        description="Vehicles a year the undertaking covers; 0 in years it is not in force.")


class Undertaking(_Strict):
    """A price undertaking accepted instead of a duty.

    The EU's alternative to its countervailing duties on BEVs from China: imports of the named
    models at or above their minimum import price, up to a yearly volume, do not pay that duty.
    The plan uses it where it pays; imports beyond the cap pay the duty as usual.
    """

    name: str = Field(min_length=1)
    duty: str = Field(description="The vehicle duty it replaces, by name.")
    models: dict[str, UndertakingTerms] = Field(
        min_length=1, description="Covered models, each with its price floor and cap.")
    basis: list[Basis] = Field(default_factory=list)


class Network(_Strict):
    """A maker's production and supply network over a planning horizon."""

    maker: str = Field(min_length=1, description="Company whose plan this is.")
    home: str = Field(default="CN", description="Home country: exports come from here.")
    currency: str = "USD"
    years: Horizon
    objective: Objective = Objective.PROFIT
    discount_rate: float = Field(default=0.0, ge=0, lt=1, description="Per year, for NPV.")
    capital_rate: float = Field(
        default=0.08, ge=0, lt=1, description="Interest rate that annualizes capex."
    )
    carbon_price: float = Field(
        default=0.0, ge=0, le=1e4,
        description="Price per tonne of CO2 in the objective (0 = report only)."
    )
    groups: dict[str, list[str]] = Field(
        default_factory=dict, description="Named country groups (EU: [DE, FR, ...]), for "
        "duties, rules and the region of a plant; a group is only a name for its countries "
        "unless it is also a customs union.")
    customs_unions: list[str] = Field(
        default_factory=list, description="Groups that are customs unions: no duty applies "
        "between two of their members, on vehicles or parts (the EU; the EU and Turkey for "
        "industrial goods). A free-trade area (ASEAN) is not one: model it with rules.")
    components: list[Component] = Field(min_length=1)
    models: list[VehicleModel] = Field(min_length=1)
    suppliers: list[Supplier] = Field(min_length=1)
    plants: list[Plant] = Field(min_length=1)
    markets: list[Market] = Field(min_length=1)
    lanes: list[Lane] = Field(default_factory=list)
    duties: list[Duty] = Field(default_factory=list)
    rules: list[ContentRule] = Field(default_factory=list)
    undertakings: list[Undertaking] = Field(default_factory=list)
    basis: list[Basis] = Field(default_factory=list)

    def members(self, name: str) -> set[str]:
        """Countries a country-or-group name stands for."""
        return set(self.groups.get(name, [name]))

    def same_customs_union(self, a: str, b: str) -> bool:
        """Whether two countries trade inside a customs union (or are the same country)."""
        return a == b or any(a in self.groups.get(u, []) and b in self.groups.get(u, [])
                             for u in self.customs_unions)

    def plant_company(self, plant: Plant) -> str:
        """The company that owns a plant."""
        return plant.company or self.maker
