"""Command line: ``python -m carbon_core estimate | countries | compare | presets | regions | schema``.

The flags and JSON keys are a documented public contract (README, "Command line"). Bad input exits
with status 2 and one line naming the flag and what it accepts; a broken data file exits with status 1
and one line naming the file, row and field. No traceback either way.
"""

from __future__ import annotations

import argparse
import json
import math
import shlex
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from pydantic import ValidationError

from carbon_core import comparison
from carbon_core.countries import price_in_countries, world_reference
from carbon_core.footprint import Footprint, estimate
from carbon_core.grid import COUNTRY_GRID_BASIS
from carbon_core.inputs import InputError, by_flag, describe_range, field_inputs, flag_for_field
from carbon_core.io.export import COUNTRY_COLUMNS, countries_csv, model_card_block, scenario_csv, uncertainty_fields
from carbon_core.presets import get_preset, presets, reproduce_all
from carbon_core.run import COMPUTE_FIELDS, TrainingRun, run_schema
from carbon_core.tables import DataFileError
from carbon_core.uncertainty import UncertaintyResult, monte_carlo


class UsageError(Exception):
    """Bad command-line input; the message names the flag and what it accepts."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        print(f"error: {message} (see --help)", file=sys.stderr)
        raise SystemExit(2)


class _ScenarioAParser(argparse.ArgumentParser):
    """Reads the run flags inside ``compare --a "..."``; a mistake there is a one-line usage error too."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"--a: {message}")


#: Flags that exclude each other, by field: one way to give the duration, and one to give the grid.
_EXCLUSIVE = {
    "training_hours": "duration",
    "model_params": "duration",
    "training_flop": "duration",
    "country_iso3": "grid",
    "region": "grid",
    "grid_g_co2e_per_kwh": "grid",
}


def _dest(flag: str) -> str:
    return flag[2:].replace("-", "_")


def _add_run_flags(parser: argparse.ArgumentParser) -> None:
    """``--preset`` and one flag per run input of the registry (:data:`carbon_core.inputs.INPUTS`)."""
    parser.add_argument("--preset", metavar="ID", help="start from a published run (see 'presets')")
    groups = {name: parser.add_mutually_exclusive_group() for name in set(_EXCLUSIVE.values())}
    for flag, row in by_flag().items():
        target = groups[_EXCLUSIVE[row.field]] if row.field in _EXCLUSIVE else parser
        target.add_argument(flag, metavar=row.metavar, help=f"{row.help}; {row.describe()}")


#: For other command lines that take a run (``python -m explorer.report``): the same run flags, read by
#: :func:`run_from_args`, and the parser that exits with status 2 and one line on a bad flag.
add_run_flags, UsageParser = _add_run_flags, _Parser


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m carbon_core``."""
    parser = _Parser(prog="python -m carbon_core", description="Carbon footprint of training an LLM.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    est = commands.add_parser("estimate", help="price one training run")
    _add_run_flags(est)
    out = est.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print a JSON document")
    out.add_argument("--export-csv", action="store_true", help="print inputs and results as CSV (quantity,value,unit)")
    out.add_argument(
        "--model-card", action="store_true", help="print a Hugging Face model-card co2_eq_emissions block (grams)"
    )
    est.add_argument("--uncertainty", action="store_true", help="add P5/P50/P95 from a seeded Monte Carlo")
    est.add_argument("--samples", metavar="N", default="10000", help="Monte Carlo samples (100 to 1,000,000)")
    est.add_argument("--seed", metavar="S", default="0", help="Monte Carlo seed (whole number >= 0)")
    cty = commands.add_parser("countries", help="price the run on every country's grid")
    _add_run_flags(cty)
    fmt = cty.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print a JSON list")
    fmt.add_argument("--csv", action="store_true", help="print CSV")
    cmp = commands.add_parser("compare", help="scenario A (--a) against scenario B (the run flags)")
    _add_run_flags(cmp)
    cmp.add_argument(
        "--a",
        metavar="FLAGS",
        required=True,
        help="scenario A as run flags in one quoted string, e.g. --a \"--preset llama-3.1-405b\"",
    )
    cmp.add_argument("--json", action="store_true", help="print a JSON document")
    commands.add_parser("schema", help="the run inputs as a JSON schema: ranges, units, link keys and flags")
    pre = commands.add_parser("presets", help="published runs: reported vs computed")
    pre.add_argument("--json", action="store_true", help="print a JSON list")
    reg = commands.add_parser("regions", help="grid intensity of cloud regions, US states, provinces")
    reg.add_argument("--json", action="store_true", help="print a JSON list")
    return parser


def run_from_args(args: argparse.Namespace) -> TrainingRun:
    """Validate the run flags into a :class:`TrainingRun` (starting from ``--preset`` if given).

    Each flag is read by its registry row (range and unit, ``--days`` in days); the model then checks the
    rest, and the compute must become a duration (:meth:`TrainingRun.compute_hours`). Errors name the flag.
    """
    values: dict[str, Any] = {}
    used: dict[str, str] = {}
    if args.preset is not None:
        try:
            values = get_preset(args.preset).run().model_dump(exclude_none=True)
        except KeyError:
            raise UsageError(f"--preset: unknown preset {args.preset!r}; see 'python -m carbon_core presets'") from None
        if args.country is not None or args.region is not None or args.grid_year is not None:
            values.pop("grid_g_co2e_per_kwh", None)  # a grid chosen (or a year of one) replaces the preset's factor
    for flag, row in by_flag().items():
        text = getattr(args, _dest(flag))
        if text is None:
            continue
        try:
            value = row.parse(text)
        except ValueError:
            raise UsageError(f"{flag} must be {row.range_words()} (got {text!r})") from None
        values[row.field] = value * row.scale if row.numeric else value
        used[row.field] = flag
    if used.keys() & set(COMPUTE_FIELDS) - {"mfu"}:
        values.pop("training_hours", None)  # a preset's duration gives way to the compute given
    try:
        run = TrainingRun(**values)
        run.resolve()  # inputs that do not fit together (compute, grid year, region) are named now
    except InputError as exc:
        raise UsageError(f"{flag_for_field(exc.field, used)}: {exc}") from None
    except ValidationError as exc:
        err = exc.errors()[0]
        field = str(err["loc"][0]) if err["loc"] else "gpu_power_w"
        flag = flag_for_field(field, used)
        if err["type"] == "value_error":
            raise UsageError(f"{flag}: {str(err['msg']).removeprefix('Value error, ')}") from None
        row = field_inputs()[field]
        raise UsageError(f"{flag} must be {row.range_words()} (got {args_text(args, flag)})") from None
    return run


def args_text(args: argparse.Namespace, flag: str) -> str:
    """The text the user typed for ``flag`` (or 'the preset's value')."""
    text = getattr(args, flag[2:].replace("-", "_"), None)
    return repr(text) if text is not None else "the preset's value"


def _fmt(value: float, digits: int = 0) -> str:
    return f"{value:,.{digits}f}"


def _estimate_table(fp: Footprint) -> str:
    run = fp.run
    name = run.accelerator_entry.name if run.accelerator_entry else "custom accelerator"
    grid = run.grid
    where = f"{grid.country} ({grid.iso3}, {grid.year})" if grid.iso3 else "entered intensity"
    if grid.region_id:
        where = f"{grid.region_name} ({grid.region_id}, {grid.country}, {grid.year})"
    lines = [
        f"Run: {run.gpu_count:,} x {name}, {_fmt(run.training_hours, 1)} h, {_fmt(run.gpu_power_w)} W x "
        f"{run.utilisation_fraction:g} + {_fmt(run.server_power_w_per_gpu)} W host per GPU, PUE {run.pue:g}",
        f"Grid: {_fmt(run.grid_g_co2e_per_kwh, 1)} g CO2e/kWh, {where}",
        "",
        f"{'GPU-hours':<28}{_fmt(fp.gpu_hours):>20} GPU-h",
        f"{'GPU energy':<28}{_fmt(fp.gpu_energy_kwh):>20} kWh",
        f"{'Rest of server energy':<28}{_fmt(fp.server_energy_kwh):>20} kWh",
        f"{'IT energy':<28}{_fmt(fp.it_energy_kwh):>20} kWh",
        f"{'Cooling/overhead (PUE)':<28}{_fmt(fp.overhead_energy_kwh):>20} kWh",
        f"{'Facility energy':<28}{_fmt(fp.facility_energy_kwh):>20} kWh",
        f"{'Fleet power':<28}{_fmt(fp.fleet_power_mw, 2):>20} MW",
        f"{'Operational emissions':<28}{_fmt(fp.operational_t_co2e, 1):>20} t CO2e",
        f"{'Embodied emissions':<28}{_fmt(fp.embodied_t_co2e, 1):>20} t CO2e",
        f"{'Total':<28}{_fmt(fp.total_t_co2e, 1):>20} t CO2e",
        f"{'Market-based electricity':<28}{_fmt(fp.operational_market_t_co2e, 1):>20} t CO2e",
        f"{'Whole project':<28}{_fmt(fp.project_total_t_co2e, 1):>20} t CO2e",
        f"{'Water on site (cooling)':<28}{_fmt(fp.water_on_site_l):>20} L",
        f"{'Water off site (power)':<28}{_fmt(fp.water_off_site_l):>20} L",
        f"{'Water total':<28}{_fmt(fp.water_total_l):>20} L",
        f"{'':<28}off-site factor: {fp.water_off_site_basis}",
        "",
        "Equivalents:",
    ]
    from carbon_core.equivalents import equivalence_factors

    for key, factor in equivalence_factors().items():
        lines.append(f"  {fp.equivalents[key]:>18,.1f}  {factor.label} ({factor.unit})")
    if run.default_sources:
        lines += ["", "Defaults used: " + ", ".join(sorted(run.default_sources)) + " (sources: --json)"]
    return "\n".join(lines)


def _whole(text: str, flag: str, low: int, high: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise UsageError(f"{flag} must be {describe_range(True, low, high)} (got {text!r})") from None
    if not low <= value <= high:
        raise UsageError(f"{flag} must be {describe_range(True, low, high)} (got {text!r})")
    return value


def _interval_table(result: UncertaintyResult) -> str:
    lines = [f"Uncertainty ({result.samples:,} samples, seed {result.seed}): P5 / P50 / P95"]
    for key, interval in result.intervals.items():
        unit = "kWh" if key.endswith("_kwh") else "t CO2e"
        lines.append(f"  {key:<26}{interval.p5:>16,.1f}{interval.p50:>16,.1f}{interval.p95:>16,.1f} {unit}")
    lines.append("Ranges sampled (triangular, mode = the run's value):")
    for r in result.ranges:
        lines.append(f"  {r.name:<26}{r.low:>12,.3g} to {r.high:,.3g}")
    return "\n".join(lines)


def _countries(args: argparse.Namespace, run: TrainingRun) -> str:
    footprint = estimate(run)
    frame = price_in_countries(footprint)[list(COUNTRY_COLUMNS)]
    if args.csv:
        return countries_csv(frame).rstrip("\n")
    if args.json:
        return json.dumps(frame.to_dict("records"), indent=2)
    lines = [f"{'ISO3':<6}{'Country':<34}{'Year':>6}{'g CO2e/kWh':>12}{'t CO2e':>14}"]
    for row in frame.itertuples():
        mark = " *" if row.low_precision else ""
        lines.append(
            f"{row.iso3:<6}{row.country[:33]:<34}{row.year:>6}{row.grid_g_co2e_per_kwh:>12,.1f}"
            f"{row.total_t_co2e:>14,.1f}{mark}"
        )
    world = world_reference(footprint.facility_energy_kwh, footprint.embodied_t_co2e)
    lines += [
        f"Reference, not ranked: World {world['year']}, {world['grid_g_co2e_per_kwh']:,.1f} g CO2e/kWh, "
        f"{world['total_t_co2e']:,.1f} t CO2e",
        "* low precision: a small grid whose published intensity is not good to two significant figures",
        f"Basis: {COUNTRY_GRID_BASIS}",
        f"Source: {frame['source'].iloc[0]}",
    ]
    return "\n".join(lines)


def _scenario_a(text: str) -> TrainingRun:
    """Scenario A from the text of ``--a``: run flags, read by the same rules as B's."""
    parser = _ScenarioAParser(prog="--a", add_help=False)
    _add_run_flags(parser)
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise UsageError(f"--a: {exc}") from None
    a_args, unknown = parser.parse_known_args(words)
    if unknown:
        raise UsageError(f"--a: {' '.join(unknown)!r} is not a run flag")
    try:
        return run_from_args(a_args)
    except UsageError as exc:
        raise UsageError(f"--a: {exc}") from None


def _compare(args: argparse.Namespace, run_b: TrainingRun) -> str:
    a, b = estimate(_scenario_a(args.a)), estimate(run_b)
    difference, change = comparison.difference_t_co2e(a, b), comparison.change_pct(a, b)
    if args.json:
        document = {
            "a": a.to_dict(),
            "b": b.to_dict(),
            "difference_t_co2e": difference,
            "change_pct": change if math.isfinite(change) else None,
        }
        return json.dumps(document, indent=2, allow_nan=False)
    lines = [f"{'':<28}{'A':>14}{'B':>14}{'B - A':>14}  t CO2e"]
    parts_a, parts_b = a.emissions_breakdown_t_co2e(), b.emissions_breakdown_t_co2e()
    for key in parts_a:
        lines.append(f"{key:<28}{parts_a[key]:>14,.1f}{parts_b[key]:>14,.1f}{difference[key]:>+14,.1f}")
    lines.append(f"{'total':<28}{a.total_t_co2e:>14,.1f}{b.total_t_co2e:>14,.1f}{difference['total']:>+14,.1f}")
    lines.append(f"Change of the total: {change:+.1f} %" if math.isfinite(change) else "A's total is 0")
    return "\n".join(lines)


def _presets(args: argparse.Namespace) -> str:
    results = reproduce_all()
    if args.json:
        return json.dumps([r.model_dump(exclude_none=True) for r in results], indent=2)
    lines = [f"{'Preset':<24}{'reported t':>13}{'computed t':>13}{'diff %':>9}  "]
    for r in results:
        flag = "  WARNING: see --json" if r.warning else ""
        lines.append(f"{r.id:<24}{r.reported_t_co2e:>13,.2f}{r.computed_t_co2e:>13,.2f}{r.difference_pct:>9.2f}{flag}")
    lines.append(f"{len(presets())} presets; sources, assumptions and notes: --json")
    return "\n".join(lines)


def _regions(args: argparse.Namespace) -> str:
    from carbon_core.regions import regions

    columns = ["id", "provider", "name", "country_iso3", "grid_g_co2e_per_kwh", "year", "basis", "source", "pue"]
    records = []
    for row in regions()[columns].to_dict("records"):
        if row["pue"] is None or math.isnan(row["pue"]):
            del row["pue"]  # the source gives none
        records.append(row)
    if args.json:
        return json.dumps(records, indent=2, allow_nan=False)
    lines = [f"{'Region':<28}{'Name':<36}{'ISO3':<6}{'g CO2e/kWh':>12}{'Year':>6}{'PUE':>6}"]
    for r in records:
        pue = f"{r['pue']:>6.2f}" if "pue" in r else ""
        lines.append(
            f"{r['id']:<28}{r['name'][:35]:<36}{r['country_iso3']:<6}{r['grid_g_co2e_per_kwh']:>12,.1f}{r['year']:>6}{pue}"
        )
    lines.append(f"{len(records)} regions; basis and source of each: --json")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status (0 ok, 1 broken data file, 2 bad input)."""
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except BrokenPipeError:
        # The reader (e.g. `| head`) closed the pipe: stop quietly, as Unix tools do.
        sys.stderr.close()
        return 0


def _run(args: argparse.Namespace) -> int:
    try:
        if args.command == "presets":
            print(_presets(args))
            return 0
        if args.command == "schema":
            print(json.dumps(run_schema(), indent=2))
            return 0
        if args.command == "regions":
            print(_regions(args))
            return 0
        run = run_from_args(args)
        if args.command == "estimate":
            if args.model_card and args.uncertainty:
                raise UsageError("--uncertainty does not apply to --model-card (the card holds one figure)")
            fp = estimate(run)
            data = fp.to_dict()
            lines = _estimate_table(fp)
            result = None
            if args.uncertainty:
                result = monte_carlo(
                    fp.run,
                    samples=_whole(args.samples, "--samples", 100, 1_000_000),
                    seed=_whole(args.seed, "--seed", 0, 2**32 - 1),
                )
                data |= uncertainty_fields(result)
                lines += "\n\n" + _interval_table(result)
            if args.export_csv:
                print(scenario_csv(fp, result).rstrip("\n"))
            elif args.model_card:
                print(model_card_block(fp).rstrip("\n"))
            else:
                print(json.dumps(data, indent=2) if args.json else lines)
        elif args.command == "compare":
            print(_compare(args, run))
        else:
            print(_countries(args, run))
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except DataFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
