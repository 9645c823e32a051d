"""`make demo`: the desktop demo arrives with the desktop app and sync issues."""

from __future__ import annotations


def main() -> None:
    print(
        "The desktop demo is coming with the desktop app (ui/) and the sync server.\n"
        "Today: try fieldapp-cli (see README.md), e.g.\n"
        "  FIELDAPP_PASSWORD=secret-pass .venv/bin/fieldapp-cli --data-dir /tmp/v init\n"
        "  .venv/bin/python -m fieldapp.sample_data --seed 1 --households 3"
    )


if __name__ == "__main__":
    main()
