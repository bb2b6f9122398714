"""Working days to dates on the program's calendar (numpy's business-day functions)."""

from __future__ import annotations

import datetime as dt

import numpy as np

from nevsim.program.model import Calendar, Weekday

DAYS_PER_MONTH = 365.25 / 12
"""Calendar days in an average month: months to SOP are calendar months."""


class WorkCalendar:
    """Maps working-day times (0 = the start of the first working day) to calendar dates."""

    def __init__(self, calendar: Calendar, start: dt.date) -> None:
        days = [Weekday.MON, Weekday.TUE, Weekday.WED, Weekday.THU, Weekday.FRI, Weekday.SAT,
                Weekday.SUN]
        self.weekmask = "".join("1" if d in calendar.working_days else "0" for d in days)
        off = [np.arange(np.datetime64(h.first), np.datetime64(h.last) + 1)
               for h in calendar.holidays]
        self.holidays = np.concatenate(off) if off else np.array([], dtype="datetime64[D]")
        self.start = np.datetime64(start)
        self.first = np.busday_offset(self.start, 0, roll="forward", weekmask=self.weekmask,
                                      holidays=self.holidays)

    def day(self, index: np.ndarray | int) -> np.ndarray:
        """The date of working day `index` (0: the first)."""
        return np.busday_offset(self.first, index, roll="forward", weekmask=self.weekmask,
                                holidays=self.holidays)

    def finish_date(self, t: np.ndarray | float) -> np.ndarray:
        """The date on which work ending at time t ends (the last working day it uses)."""
        index = np.maximum(np.ceil(np.asarray(t, dtype=float) - 1e-9) - 1, 0).astype(np.int64)
        return self.day(index)

    def start_date(self, t: np.ndarray | float) -> np.ndarray:
        """The date on which work starting at time t starts."""
        return self.day(np.floor(np.asarray(t, dtype=float) + 1e-9).astype(np.int64))

    def months(self, dates: np.ndarray) -> np.ndarray:
        """Calendar months from the program's start to the end of each date."""
        days = (dates - self.start).astype("timedelta64[D]").astype(float) + 1
        return np.asarray(days / DAYS_PER_MONTH)
