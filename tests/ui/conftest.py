"""Qt tests run on the offscreen platform unless a display was chosen (the Xvfb smoke test)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
