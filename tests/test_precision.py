"""The precision of the peak (issue 15, item 4): 'bf16' (default) or 'fp8', through the core, the CLI, the link and
the app. The MFU is a fraction of the peak at the chosen precision (carbon_core/compute.py, ``peak_tflops``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from carbon_core import TrainingRun, estimate
from carbon_core.catalogue import accelerators, with_fp8_peak
from carbon_core.compute import ComputeError, peak_tflops
from carbon_core.inputs import InputError
from explorer.link import LINK_V1_DEFAULTS, link_params, parse_link

ROOT = Path(__file__).resolve().parents[1]
#: 1e24 FLOP on H100 SXM at MFU 0.4.
RUN = {"accelerator": "h100-sxm", "gpu_count": 1024, "training_flop": 1e24, "mfu": 0.4}
#: Llama 4 Scout's shape (17B active of 109B; 40T tokens) at MFU 0.4: the issue's "about 2.86M GPU-hours" in BF16.
SCOUT_FLAGS = ["--params", "109e9", "--active-params", "17e9", "--tokens", "40e12", "--gpu", "h100-sxm", "--mfu", "0.4"]


def test_fp8_on_h100_sxm_gives_half_the_gpu_hours_of_bf16() -> None:
    bf16 = estimate(TrainingRun(**RUN))
    fp8 = estimate(TrainingRun(**RUN, precision="fp8"))
    # By hand: 1e24 / (989.4e12 x 0.4 x 3,600) = 701,884.4 GPU-h; / (1,979e12 x ...) = 350,906.7 GPU-h.
    assert bf16.gpu_hours == pytest.approx(1e24 / (989.4e12 * 0.4 * 3600), rel=1e-12)
    assert fp8.gpu_hours == pytest.approx(1e24 / (1979e12 * 0.4 * 3600), rel=1e-12)
    assert round(bf16.gpu_hours) == 701_884 and round(fp8.gpu_hours) == 350_907
    assert fp8.gpu_hours / bf16.gpu_hours == pytest.approx(0.5, rel=1e-3)  # 989.4 / 1,979 = 0.49995
    # Half the hours at the same power: half the energy and operational emissions.
    assert fp8.facility_energy_kwh / bf16.facility_energy_kwh == pytest.approx(989.4 / 1979, rel=1e-12)


def test_the_default_precision_is_bf16_and_keeps_the_done_when_figures() -> None:
    assert TrainingRun().precision == "bf16" == LINK_V1_DEFAULTS.precision
    rtx = estimate(TrainingRun(accelerator="rtx-4090", gpu_count=1, training_flop=1e21, mfu=0.5))
    assert round(rtx.gpu_hours) == 3363  # 1e21 / (165.2e12 x 0.5 x 3,600)
    scout = TrainingRun(accelerator="h100-sxm", model_params=109e9, active_params=17e9, training_tokens=40e12, mfu=0.4)
    assert estimate(scout).gpu_hours == pytest.approx(2.86e6, rel=2e-3)


def test_the_bf16_peak_of_an_fp16_only_chip_is_its_16_bit_peak() -> None:
    v100 = accelerators()["v100-sxm2-16gb"]
    assert v100.peak_tflops_precision == "fp16"
    assert peak_tflops(v100, "bf16") == v100.peak_dense_tflops == 125.0


def test_fp8_without_an_fp8_peak_names_precision_and_the_accelerators_that_have_one() -> None:
    with pytest.raises(InputError) as info:
        TrainingRun(**(RUN | {"accelerator": "a100-sxm4-80gb"}), precision="fp8").resolve()
    assert info.value.field == "precision" and not isinstance(info.value, ComputeError)
    message = str(info.value)
    assert "NVIDIA A100 SXM4 80GB has no FP8 peak" in message
    assert all(acc_id in message for acc_id in with_fp8_peak())
    assert "a100-sxm4-80gb" not in message


def test_fp8_with_a_given_duration_is_harmless() -> None:
    # The precision only matters when the duration follows from compute.
    run = TrainingRun(accelerator="a100-sxm4-80gb", training_hours=100.0, precision="fp8")
    assert estimate(run).total_t_co2e == estimate(run.model_copy(update={"precision": "bf16"})).total_t_co2e


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "carbon_core", *args], capture_output=True, text=True, cwd=ROOT, check=False
    )


def test_cli_json_says_which_precision_and_peak_were_used() -> None:
    bf16 = json.loads(_cli("estimate", *SCOUT_FLAGS, "--json").stdout)
    result = _cli("estimate", *SCOUT_FLAGS, "--precision", "fp8", "--json")
    assert result.returncode == 0, result.stderr
    fp8 = json.loads(result.stdout)
    assert (bf16["inputs"]["precision"], bf16["inputs"]["peak_dense_tflops"]) == ("bf16", 989.4)
    assert (fp8["inputs"]["precision"], fp8["inputs"]["peak_dense_tflops"]) == ("fp8", 1979.0)
    assert round(bf16["gpu_hours"]) == 2_863_688
    assert fp8["gpu_hours"] == pytest.approx(6 * 17e9 * 40e12 / (1979e12 * 0.4 * 3600), rel=1e-12)  # 1,431,700
    given = json.loads(_cli("estimate", "--days", "3", "--json").stdout)
    assert given["inputs"]["peak_dense_tflops"] is None  # no peak used when the duration is given


def test_cli_fp8_on_an_accelerator_without_one_exits_2_with_one_line() -> None:
    result = _cli("estimate", *SCOUT_FLAGS[:-4], "--gpu", "tpu-v5p", "--precision", "fp8")
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --precision: Google TPU v5p has no FP8 peak"), lines


def test_link_carries_fp8_and_writes_it_only_when_set() -> None:
    query = {"params": "109e9", "active_params": "17e9", "tokens": "40e12", "mfu": "0.4", "precision": "fp8"}
    parsed = parse_link(query)
    assert parsed.warnings == [] and parsed.scenario.precision == "fp8"
    assert estimate(parsed.scenario.training_run()).gpu_hours == pytest.approx(1_431_700, rel=1e-6)
    assert link_params(parsed.scenario)["precision"] == "fp8"
    assert parse_link(link_params(parsed.scenario)).scenario.precision == "fp8"
    assert "precision" not in link_params(LINK_V1_DEFAULTS)  # bf16 links are written as before the input existed


@pytest.mark.parametrize("text", ["fp16", "FP8", "int8", ""])
def test_link_rejects_an_unknown_precision_by_name(text: str) -> None:
    parsed = parse_link({"precision": text})
    assert parsed.rejected == ["precision"] and parsed.scenario.precision == "bf16"
    assert "'bf16' or 'fp8'" in parsed.warnings[0]


def test_link_fp8_on_an_accelerator_without_one_is_a_named_warning_and_keeps_the_compute() -> None:
    parsed = parse_link({"gpu": "a100-sxm4-80gb", "params": "7e9", "tokens": "1e12", "precision": "fp8"})
    assert parsed.rejected == ["precision"]
    assert len(parsed.warnings) == 1 and "Link parameter 'precision'" in parsed.warnings[0]
    assert "h100-sxm" in parsed.warnings[0]
    assert parsed.scenario.precision == "bf16" and parsed.scenario.compute_mode  # the compute is kept, in BF16


def _app(query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for name, value in query.items():
        at.query_params[name] = value
    return at.run()


def _query_value(at: AppTest, key: str) -> str | None:
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) else value


def test_app_opens_an_fp8_link_and_shows_the_precision_select() -> None:
    at = _app({"gpus": "16384", "params": "405e9", "tokens": "15.6e12", "mfu": "0.4", "precision": "fp8"})
    assert not at.exception and not at.error
    select = at.sidebar.selectbox(key="precision")
    assert select.value == "fp8" and "1,979.0 TFLOP/s" in (select.help or "")
    assert _query_value(at, "precision") == "fp8"
    select.set_value("bf16").run()
    assert not at.exception and "precision" not in at.query_params


def test_app_names_the_precision_when_the_accelerator_has_no_fp8_peak() -> None:
    at = _app({"params": "7e9", "tokens": "1e12", "precision": "fp8"})
    assert not at.error
    at.sidebar.selectbox(key="gpu").set_value("a100-sxm4-80gb").run()
    assert not at.exception
    assert len(at.error) == 1
    shown = at.error[0].value.replace("\\", "")  # the message is shown with Markdown escaped
    assert shown.startswith("Precision of the peak: NVIDIA A100 SXM4 80GB has no FP8 peak"), shown


def test_app_link_with_fp8_on_an_accelerator_without_one_warns_by_name() -> None:
    at = _app({"gpu": "tpu-v4", "params": "7e9", "tokens": "1e12", "precision": "fp8"})
    assert not at.exception and not at.error
    assert any("'precision'" in w.value for w in at.warning)
    assert at.sidebar.selectbox(key="precision").value == "bf16"


def test_precision_select_is_only_in_compute_mode() -> None:
    at = _app({})
    assert not at.exception
    assert "precision" not in [w.key for w in at.sidebar.selectbox]
