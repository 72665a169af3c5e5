"""One replica: check the bundled data, then become ``streamlit run app.py`` (the same process, by ``exec``).

``python -m deploy.replica --port 8501 [--address 127.0.0.1] [streamlit options...]``

Streamlit's ``/_stcore/health`` answers ``ok`` whatever the data, so a replica with a corrupt or edited data
file would be kept in the balancer's rotation and show every visitor an error. This launcher loads and checks
every data file first (:func:`carbon_core.data_check.check_data`, which honours ``CARBON_CORE_DATA_DIR``) and
exits with status 2, naming the file, line and field, when one is wrong: nothing listens on the port, the
balancer's health check fails, and the other replicas serve. When the data is sound it replaces itself with
Streamlit (``os.execv``), so its PID is the server's.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from carbon_core import DataFileError
from carbon_core.data_check import check_data

APP = Path(__file__).resolve().parent.parent / "app.py"
#: Exit status of a replica that refused to start.
BAD_DATA = 2


def streamlit_command(port: int, address: str, extra: list[str]) -> list[str]:
    """The command line the replica becomes."""
    return [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.port", str(port),
        "--server.address", address,
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        *extra,
    ]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.replica", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--address", default="127.0.0.1")
    args, extra = parser.parse_known_args(argv)
    try:
        rows = check_data()
    except DataFileError as exc:
        print(f"replica on port {args.port} refuses to start: {exc}", file=sys.stderr, flush=True)
        return BAD_DATA
    print(f"replica on port {args.port}: data checked ({sum(rows.values())} rows)", flush=True)
    command = streamlit_command(args.port, args.address, extra)
    os.chdir(APP.parent)
    os.execv(command[0], command)
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
