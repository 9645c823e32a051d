"""Drafts: typed, unsaved forms kept encrypted in the vault, never synced, limited in size."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldapp import session as sessions
from fieldapp.errors import InvalidInput
from fieldapp.session import Session
from fieldapp.store.drafts import MAX_DRAFT_BYTES
from fieldapp.vault.crypto import KdfParams
from tests.conftest import TEST_PASSWORD


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    s = sessions.create(tmp_path / "vault", TEST_PASSWORD, officer="ali", kdf=KdfParams.for_tests())
    yield s
    s.close()


def test_a_saved_draft_is_read_back_with_what_was_typed(session: Session) -> None:
    drafts = session.store.drafts
    drafts.save("d1", "person", None, {"first_name": "ڕێبوار", "age": "۳۴"})
    found = drafts.get("d1")
    assert found is not None
    assert (found.record_type, found.record_id) == ("person", None)
    assert found.fields == {"first_name": "ڕێبوار", "age": "۳۴"}


def test_saving_a_draft_again_replaces_it(session: Session) -> None:
    drafts = session.store.drafts
    drafts.save("d1", "person", None, {"first_name": "ع"})
    drafts.save("d1", "person", None, {"first_name": "علي"})
    assert [d.fields for d in drafts.list()] == [{"first_name": "علي"}]


def test_a_discarded_draft_is_no_longer_listed(session: Session) -> None:
    drafts = session.store.drafts
    drafts.save("d1", "person", None, {"first_name": "علي"})
    drafts.save("d2", "household", None, {"mahalla": "٣٠٢"})
    assert drafts.discard("d1") is True
    assert [d.draft_id for d in drafts.list()] == ["d2"]
    assert drafts.get("d1") is None
    assert drafts.discard("d1") is False


def test_a_draft_never_enters_the_outbox(session: Session) -> None:
    session.store.drafts.save("d1", "person", None, {"first_name": "علي"})
    assert session.store.pending_changes() == []


def test_a_draft_survives_locking_and_unlocking_the_vault(tmp_path: Path) -> None:
    with sessions.create(
        tmp_path / "v", TEST_PASSWORD, officer="ali", kdf=KdfParams.for_tests()
    ) as s:
        s.store.drafts.save("d1", "family_dispute", None, {"summary": "خلاف على الميراث"})
    with sessions.unlock(tmp_path / "v", TEST_PASSWORD) as s:
        found = s.store.drafts.get("d1")
    assert found is not None
    assert found.fields == {"summary": "خلاف على الميراث"}


def test_a_draft_over_the_size_limit_is_refused_and_the_previous_one_kept(
    session: Session,
) -> None:
    drafts = session.store.drafts
    drafts.save("d1", "person", None, {"notes": "قصير"})
    with pytest.raises(InvalidInput) as refused:
        drafts.save("d1", "person", None, {"notes": "ا" * MAX_DRAFT_BYTES})
    assert refused.value.key == "store.draft_too_large"
    assert "256" in refused.value.message("ar")
    found = drafts.get("d1")
    assert found is not None
    assert found.fields == {"notes": "قصير"}
