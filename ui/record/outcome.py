"""The core's refusals (a file too large, a deleted record) come back to a screen as values, to
be shown where they happened in the officer's language; anything else stays an error for the
app's crash report."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from fieldapp.errors import UserFacingError

T = TypeVar("T")


def refusals_returned(fn: Callable[[], T]) -> Callable[[], T | UserFacingError]:
    """`fn` (run on a worker), returning a `UserFacingError` it raises instead of raising it."""

    def attempt() -> T | UserFacingError:
        try:
            return fn()
        except UserFacingError as refusal:
            return refusal

    return attempt
