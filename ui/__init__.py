"""Qt desktop screens (not built yet)."""
