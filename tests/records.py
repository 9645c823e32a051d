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


def household(**extra: Any) -> dict[str, Any]:
    return {"governorate": "IQG08", "district": "IQG08Q01", "mahalla": "حي الجامعة", **extra}


def home_visit(**extra: Any) -> dict[str, Any]:
    return {
        "date": "2026-11-18",
        "governorate": "IQG08",
        "district": "IQG08Q01",
        "reason": "follow_up",
        "observations": "تمت زيارة الأسرة والاطلاع على أحوالها المعيشية",
        "action": "advice",
        **extra,
    }
