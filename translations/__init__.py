"""Qt translations of the desktop app, installed as the package `ui.translations`.

`<lang>/<area>.ts` are the sources (one pair per area of the app); `<lang>/<area>.qm` are compiled
from them by `make translations` and committed, so a wheel built from any checkout carries them
(tests/ui/test_translations.py fails when a `.qm` does not match its `.ts`).
"""
