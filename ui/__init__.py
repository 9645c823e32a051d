"""The officer's desktop app (PySide6 Widgets) on the core's public API.

Layout (docs/ARCHITECTURE.md, "Desktop app"):
- `app` starts it (`fieldapp`, `python -m ui`); `i18n` loads translations, the Arabic font and
  the layout direction; `preferences` holds the officer's choices;
- `tasks` runs vault work on one worker thread and network work on a pool, results by signal;
  `workspace` is what every screen is given (session, tasks, preferences): no globals;
- `start/` first run and unlock; `main_window` wires the screens together and does none of
  their work; one module per screen, a subpackage for a big one (`lists/`, `record/`, `forms/`);
- `widgets/` shared pieces that know right-to-left traps; `printing/` PDFs of records and pledges.
"""
