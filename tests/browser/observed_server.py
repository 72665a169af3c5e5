"""``streamlit run`` with a memory observer inside the server process, for the soak test (test_soak.py).

Started as ``python tests/browser/observed_server.py run app.py [options]``: it starts one daemon thread and
then hands over to Streamlit's own command line (``streamlit.web.cli.main``, what ``python -m streamlit`` runs),
so the server is the ordinary one. The thread sleeps until the test asks: when the file ``request`` appears in
$SOAK_OBSERVER_DIR (its text is a tag), it writes ``answer.json`` there with the tag and

- ``allocated_blocks``: ``sys.getallocatedblocks()``, the memory blocks Python's object allocator has handed
  out and not got back (live Python objects, whatever the allocator keeps from the OS);
- ``app_sessions``: how many ``AppSession`` objects (one per browser session) are alive (one pass over the
  garbage collector's objects, a few tenths of a second, only when asked);
- ``threads``: the server's Python threads.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import threading
import time
from pathlib import Path

ENV = "SOAK_OBSERVER_DIR"


def observe(folder: Path) -> dict[str, int]:
    from streamlit.runtime.app_session import AppSession

    return {
        "allocated_blocks": sys.getallocatedblocks(),
        "app_sessions": sum(1 for obj in gc.get_objects() if isinstance(obj, AppSession)),
        "threads": threading.active_count(),
    }


def serve(folder: Path) -> None:
    request, answer = folder / "request", folder / "answer.json"
    while True:
        time.sleep(0.2)
        try:
            tag = request.read_text(encoding="utf-8")
        except OSError:
            continue
        request.unlink()
        partial = folder / "answer.partial"
        partial.write_text(json.dumps({"tag": tag, **observe(folder)}), encoding="utf-8")
        partial.replace(answer)


if __name__ == "__main__":
    folder = Path(os.environ[ENV])
    folder.mkdir(parents=True, exist_ok=True)
    threading.Thread(target=serve, args=(folder,), name="soak-observer", daemon=True).start()
    from streamlit.web.cli import main

    main(prog_name="streamlit")
