"""Shared widgets that know the right-to-left traps (docs: issue 10, "Right-to-left traps")."""
