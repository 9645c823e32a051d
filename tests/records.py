"""Small valid records for tests that need one of each kind (realistic, minimal)."""

from __future__ import annotations

from typing import Any

from fieldapp.store.replica import FileRef, ServerHead

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


def server_person(
    record_id: str,
    *,
    conflicts: tuple[dict[str, object], ...] = (),
    attachments: tuple[FileRef, ...] = (),
) -> ServerHead:
    """A person as the server sends it in a pull (rev 3, by sara.k), with its open
    `conflicts` and its `attachments`."""
    return ServerHead(
        record_id=record_id,
        record_type="person",
        form_version=1,
        station="B12",
        rev=3,
        seq=1,
        deleted=False,
        fields={**PERSON, "age": 40},
        created_by="sara.k",
        updated_at="2026-11-20T10:00:00+00:00",
        conflicts=conflicts,
        attachments=attachments,
    )
