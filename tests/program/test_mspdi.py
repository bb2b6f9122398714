"""Microsoft Project XML import: small files written here, with dates worked out by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from nevsim.cli.app import app
from nevsim.document import scenario_from_dict
from nevsim.program import simulate
from nevsim.program.mspdi import read
from nevsim.scenario.errors import ScenarioError

runner = CliRunner()

SCHEDULE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Project xmlns="http://schemas.microsoft.com/project">
  <Name>Facelift</Name>
  <StartDate>2025-01-06T08:00:00</StartDate>
  <MinutesPerDay>480</MinutesPerDay>
  <MinutesPerWeek>2400</MinutesPerWeek>
  <DaysPerMonth>20</DaysPerMonth>
  <CalendarUID>1</CalendarUID>
  <Calendars>
    <Calendar>
      <UID>1</UID><Name>Standard</Name><IsBaseCalendar>1</IsBaseCalendar>
      <WeekDays>
        <WeekDay><DayType>1</DayType><DayWorking>0</DayWorking></WeekDay>
        <WeekDay><DayType>2</DayType><DayWorking>1</DayWorking></WeekDay>
        <WeekDay><DayType>3</DayType><DayWorking>1</DayWorking></WeekDay>
        <WeekDay><DayType>4</DayType><DayWorking>1</DayWorking></WeekDay>
        <WeekDay><DayType>5</DayType><DayWorking>1</DayWorking></WeekDay>
        <WeekDay><DayType>6</DayType><DayWorking>1</DayWorking></WeekDay>
        <WeekDay><DayType>7</DayType><DayWorking>0</DayWorking></WeekDay>
      </WeekDays>
      <Exceptions>
        <Exception><Name>Plant shutdown</Name>
          <TimePeriod><FromDate>2025-01-15T00:00:00</FromDate><ToDate>2025-01-15T23:59:00</ToDate></TimePeriod>
          <DayWorking>0</DayWorking></Exception>
      </Exceptions>
    </Calendar>
  </Calendars>
  <Tasks>
    <Task><UID>0</UID><ID>0</ID><Name>Facelift</Name><Summary>1</Summary><OutlineLevel>0</OutlineLevel></Task>
    <Task><UID>1</UID><ID>1</ID><Name>Engineering</Name><Summary>1</Summary><OutlineLevel>1</OutlineLevel></Task>
    <Task><UID>2</UID><ID>2</ID><Name>Design</Name><Duration>PT40H0M0S</Duration><OutlineLevel>2</OutlineLevel></Task>
    <Task><UID>3</UID><ID>3</ID><Name>Release</Name><Duration>PT24H0M0S</Duration><OutlineLevel>2</OutlineLevel>
      <PredecessorLink><PredecessorUID>2</PredecessorUID><Type>1</Type><LinkLag>4800</LinkLag><LagFormat>7</LagFormat></PredecessorLink>
    </Task>
    <Task><UID>4</UID><ID>4</ID><Name>Tooling</Name><Duration>PT32H0M0S</Duration><OutlineLevel>1</OutlineLevel>
      <PredecessorLink><PredecessorUID>2</PredecessorUID><Type>3</Type><LinkLag>9600</LinkLag></PredecessorLink>
    </Task>
    <Task><UID>5</UID><ID>5</ID><Name>Launch review</Name><Duration>PT8H0M0S</Duration>
      <OutlineLevel>1</OutlineLevel>
      <PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type></PredecessorLink>
    </Task>
    <Task><UID>6</UID><ID>6</ID><Name>Documentation</Name><Duration>PT16H0M0S</Duration>
      <OutlineLevel>1</OutlineLevel>
      <PredecessorLink><PredecessorUID>4</PredecessorUID><Type>0</Type></PredecessorLink>
    </Task>
  </Tasks>
</Project>
"""


def _write(tmp_path: Path, text: str, name: str = "plan.xml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_mspdi_schedule_becomes_a_program_with_its_dates(tmp_path: Path) -> None:
    """The imported program gives the dates Microsoft Project would, worked out by hand.

    From Mon 6 Jan 2025 (Mon-Fri, 15 Jan off): Design 5 days, 6-10 Jan.
    Release FS +1 day, 3 days: working days 6-8 = 14, 16, 17 Jan. Tooling SS +2 days,
    4 days: days 2-5 = 8-13 Jan. Launch review after the Engineering summary (Design and
    Release): 1 day, day 9 = 20 Jan. Documentation, 2 days, finishes with Tooling (FF): 10-13
    Jan. SOP after the tasks without successors (Launch review, Documentation): 20 Jan 2025.
    """
    doc = read(_write(tmp_path, SCHEDULE))
    assert doc["name"] == "Facelift"
    program = doc["program"]
    assert program["calendar"]["holidays"] == [
        {"name": "Plant shutdown", "from": "2025-01-15", "to": "2025-01-15"}]
    scenario = scenario_from_dict(doc)
    result = simulate(scenario, samples=1)
    table = result.schedule.set_index("task")
    assert table.loc["Release", "start_date"] == dt.date(2025, 1, 14)
    assert table.loc["Release", "finish_date"] == dt.date(2025, 1, 17)
    assert table.loc["Tooling", "start_date"] == dt.date(2025, 1, 8)
    assert table.loc["Tooling", "finish_date"] == dt.date(2025, 1, 13)
    assert table.loc["Launch review", "finish_date"] == dt.date(2025, 1, 20)
    # Documentation (2 days) finishes with Tooling (FF): 10 and 13 Jan
    assert table.loc["Documentation", "start_date"] == dt.date(2025, 1, 10)
    assert result.plan_sop == dt.date(2025, 1, 20)
    assert table.loc["Design", "phase"] == "Engineering"


def test_the_cli_writes_a_scenario_file_and_refuses_to_overwrite(tmp_path: Path) -> None:
    source = _write(tmp_path, SCHEDULE)
    out = tmp_path / "facelift.yaml"
    done = runner.invoke(app, ["program", "import", str(source), "--out", str(out)])
    assert done.exit_code == 0, done.output
    loaded = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert loaded["program"]["tasks"][0] == {"name": "Design", "duration": "5d",
                                             "phase": "Engineering"}
    run = runner.invoke(app, ["program", "simulate", str(out), "--samples", "10",
                              "--no-report"])
    assert run.exit_code == 0, run.output
    again = runner.invoke(app, ["program", "import", str(source), "--out", str(out)])
    assert again.exit_code == 2 and "already exists" in again.output


BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<Project><Name>&lol2;</Name></Project>
"""


@pytest.mark.parametrize(("text", "message"), [
    (BOMB, "declares a DTD or entities"),
    ("<Project><Name>x</Name>", "not well-formed XML at line 1"),
    ("<Plan/>", "not a Microsoft Project XML file"),
    (SCHEDULE.replace("<PredecessorUID>2</PredecessorUID><Type>3</Type>",
                      "<PredecessorUID>99</PredecessorUID><Type>3</Type>"),
     "Tasks.Task[4].PredecessorLink[0].PredecessorUID: no task with this UID"),
    (SCHEDULE.replace("PT32H0M0S", "32 hours"), "Tasks.Task[4].Duration: expected a duration"),
    (SCHEDULE.replace("<Type>3</Type>", "<Type>7</Type>"), "expected 0 (FF), 1 (FS)"),
])
def test_bad_schedules_are_refused_with_a_located_error(tmp_path: Path, text: str,
                                                         message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ScenarioError) as caught:
        read(path)
    assert message in caught.value.render() and str(path) in caught.value.render()
    done = runner.invoke(app, ["program", "import", str(path)])
    assert done.exit_code == 2 and "Traceback" not in done.output
