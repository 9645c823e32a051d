"""Before the main window: the first run (enroll or a vault on this laptop only) and unlocking."""
