"""The development program: when SOP comes, with what confidence, at what cost, and why."""

from typing import TYPE_CHECKING

from nevsim.lazy import lazy

if TYPE_CHECKING:
    from nevsim.program.model import Program
    from nevsim.program.results import ProgramResult
    from nevsim.program.simulation import simulate

__all__ = ["Program", "ProgramResult", "simulate"]
__getattr__ = lazy(globals(), {
    "Program": "nevsim.program.model", "ProgramResult": "nevsim.program.results",
    "simulate": "nevsim.program.simulation",
})
