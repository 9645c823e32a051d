"""Small valid records for tests that need one of each kind (realistic, minimal)."""

from __future__ import annotations

from typing import Any

PERSON: dict[str, Any] = {
    "first_name": "محمد",
    "father_name": "جاسم",
    "grandfather_name": "حسن",
    "sex": "male",
    "age": 34,
}


def person(**extra: Any) -> dict[str, Any]:
    """A valid person; `extra` adds or overrides fields."""
    return {**PERSON, **extra}


def household(**extra: Any) -> dict[str, Any]:
    """A valid household in Baghdad (Karkh); `extra` adds or overrides fields."""
    return {"governorate": "IQG08", "district": "IQG08Q01", "mahalla": "حي الجامعة", **extra}


def home_visit(**extra: Any) -> dict[str, Any]:
    """A valid home visit (a follow-up, with advice given); `extra` adds or overrides fields."""
    return {
        "date": "2026-11-18",
        "governorate": "IQG08",
        "district": "IQG08Q01",
        "reason": "follow_up",
        "observations": "تمت زيارة الأسرة والاطلاع على أحوالها المعيشية",
        "action": "advice",
        **extra,
    }
