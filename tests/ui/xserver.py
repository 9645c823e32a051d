"""A real X server for the smoke test: Xvfb on a display number it chooses itself (-displayfd),
so parallel runs never fight over `:99`."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

START_TIMEOUT = 60.0


@contextmanager
def xvfb_display(size: str = "1366x768x24") -> Iterator[str]:
    """A running Xvfb; yields its DISPLAY (e.g. ":3"); stopped afterwards."""
    if shutil.which("Xvfb") is None:
        raise RuntimeError("Xvfb is missing: make's system step installs it (tools/system-deps.sh)")
    read_end, write_end = os.pipe()
    process = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", size, "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    try:
        ready, _, _ = select.select([read_end], [], [], START_TIMEOUT)
        number = os.read(read_end, 16).decode().strip() if ready else ""
        if not number.isdigit():
            raise RuntimeError("Xvfb did not start")
        yield f":{number}"
    finally:
        os.close(read_end)
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
