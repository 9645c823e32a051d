"""A writer killed at any moment leaves a vault that opens, checks clean and holds every record
it reported as saved, each with its history, outbox change and audit entry.

A real child process (not a thread, not a mock) unlocks the vault and saves records one by one,
printing each id right after `add` returns; the test SIGKILLs it after a seeded random delay,
aimed at one of three phases: while it unlocks (Argon2, migrations, the unlock audit entry),
while it writes, or right after a save was reported. `FIELDAPP_CRASH_TRIALS` sets the number of
kills (default 50). Kill timing cannot be exact, so every trial records where the kill actually
landed and the test checks that each phase was hit.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pytest

from fieldapp import session
from fieldapp.session import Session
from fieldapp.vault.crypto import KdfParams
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.slow

TRIALS = int(os.environ.get("FIELDAPP_CRASH_TRIALS", "50"))
BATCH_TRIALS = max(8, TRIALS // 5)
BATCH_SIZE = 25
SEED = 20261118
ROOT = Path(__file__).resolve().parent.parent

# The writer. It announces each phase on stdout (flushed) so the parent knows where it is;
# an id is printed only after `add` has returned, i.e. after the transaction committed.
WRITER = r"""
import json, sys
from pathlib import Path
from fieldapp import session

data_dir, password, tag, batch = Path(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
padding = "تمت زيارة الأسرة والاطلاع على أحوالها المعيشية واحتياجاتها. "

def person(i):
    # Notes of varied length: some saves fit in one page, some span several.
    return {
        "first_name": ["محمد", "زينب", "علي", "فاطمة", "حسين"][i % 5],
        "father_name": "جاسم",
        "grandfather_name": "حسن",
        "sex": "female" if i % 2 else "male",
        "age": 18 + i % 60,
        "phone": "0770%07d" % (i % 10_000_000),
        "notes": f"{tag}-{i} " + padding * (1 + (i * 7) % 60),
    }

print("UNLOCKING", flush=True)
s = session.unlock(data_dir, password)
print("READY", flush=True)
i = 0
while True:
    if batch:
        saved = s.store.add_many([("person", person(i + k)) for k in range(batch)])
        i += batch
        print("BATCH " + json.dumps([[r.id, r.fields] for r in saved], ensure_ascii=False),
              flush=True)
    else:
        r = s.store.add("person", person(i))
        i += 1
        print("SAVED " + json.dumps([r.id, r.fields], ensure_ascii=False), flush=True)
"""


@dataclass
class Trial:
    """What the child reported before it was killed."""

    saved: dict[str, dict[str, Any]] = field(default_factory=dict)
    batches: list[list[str]] = field(default_factory=list)
    phase: str = ""  # where the kill actually landed


@pytest.fixture(scope="module")
def writer_script(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("writer") / "writer.py"
    path.write_text(WRITER, encoding="utf-8")
    return path


def make_vault(data_dir: Path) -> None:
    s = session.create(
        data_dir, TEST_PASSWORD, officer="ali.h", station="B12", kdf=KdfParams.for_tests()
    )
    s.close()


def _read_line(stream: IO[str]) -> str:
    return stream.readline().rstrip("\n")


def run_and_kill(
    script: Path, data_dir: Path, tag: str, rng: random.Random, *, batch: int = 0
) -> Trial:
    """Start the writer, kill it at a seeded random moment of a seeded random phase, and
    return what it had reported as saved."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    child = subprocess.Popen(
        [sys.executable, str(script), str(data_dir), TEST_PASSWORD, tag, str(batch)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
        encoding="utf-8",
    )
    assert child.stdout is not None and child.stderr is not None
    target = rng.choice(("unlock", "writing", "after_save"))
    lines: list[str] = []
    try:
        lines.append(_read_line(child.stdout))
        assert lines[-1] == "UNLOCKING", child.stderr.read()
        if target == "unlock":
            # The test KDF makes an unlock take a few milliseconds to a few tens of them.
            time.sleep(rng.uniform(0.0, 0.04))
        else:
            lines.append(_read_line(child.stdout))
            assert lines[-1] == "READY", child.stderr.read()
            if target == "writing":
                time.sleep(rng.uniform(0.0, 0.4))
            else:
                # Kill as soon as the n-th save is reported: lands between two saves or at the
                # very start of the next one.
                for _ in range(rng.randint(1, 12)):
                    lines.append(_read_line(child.stdout))
    finally:
        child.send_signal(signal.SIGKILL)
        rest, err = child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL, f"the writer stopped on its own: {err}"
    # A kill in the middle of a print leaves an unterminated last line: that save was not
    # reported, so it is not expected (though it may be there).
    complete = rest.split("\n")[:-1]
    trial = Trial()
    for line in [*lines, *complete]:
        if line.startswith("SAVED "):
            record_id, fields = json.loads(line[6:])
            trial.saved[record_id] = fields
        elif line.startswith("BATCH "):
            batch_records = json.loads(line[6:])
            trial.batches.append([record_id for record_id, _ in batch_records])
            trial.saved.update({record_id: fields for record_id, fields in batch_records})
    if "READY" not in lines and "READY" not in complete:
        trial.phase = "unlock"
    elif not trial.saved:
        trial.phase = "first write"
    else:
        trial.phase = "writing"
    return trial


def unlock_after_crash(data_dir: Path) -> Session:
    """Unlock as the officer would after restarting the app: at once, whatever the kill left.

    A kill while the password was being checked leaves at most an attempt noted in flight whose
    slot the kill freed: never a failure (the password is right), never a wait.
    """
    s = session.unlock(data_dir, TEST_PASSWORD)
    failed = s.vault.failed_attempts_before_unlock
    if failed:
        s.close()
    assert failed == (), "a right password killed mid-unlock counted as a failure"
    return s


def check_vault(data_dir: Path, expected: dict[str, dict[str, Any]]) -> set[str]:
    """Everything the vault must hold after any crash; returns the ids of its records."""
    with unlock_after_crash(data_dir) as s:
        conn = s.store.connection
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        s.vault.check_integrity()
        assert s.store.audit.verify() == []
        for record_id, fields in expected.items():
            assert s.store.get(record_id, audit=False).fields == fields
        records = {r.id: r for r in s.store.iter_records()}
        assert expected.keys() <= records.keys()
        # Every record in the vault, reported or not (a kill between commit and print), was
        # saved whole: its revision, outbox change, search shadow and audit entry are there.
        pending = Counter(c.record_id for c in s.store.pending_changes(limit=1_000_000))
        assert all(pending[record_id] == 1 for record_id in records)
        assert set(pending) == records.keys()
        revisions = Counter(
            row[0] for row in conn.execute("SELECT record_id FROM revisions").fetchall()
        )
        assert revisions == Counter(records.keys())
        indexed = Counter(
            row[0]
            for row in conn.execute(
                "SELECT r.id FROM search_index s JOIN records r ON r.rid = s.rowid"
            ).fetchall()
        )
        assert indexed == Counter(records.keys())
        created = Counter(e.record_id for e in s.store.audit.entries() if e.action == "create")
        assert created == Counter(records.keys())
        return set(records)


@pytest.fixture
def crash_vault(tmp_path: Path) -> Iterator[Path]:
    data_dir = tmp_path / "vault"
    make_vault(data_dir)
    yield data_dir


def test_a_writer_killed_at_random_moments_loses_nothing_it_reported_saved(
    crash_vault: Path, writer_script: Path
) -> None:
    rng = random.Random(SEED)
    expected: dict[str, dict[str, Any]] = {}
    phases: Counter[str] = Counter()
    for number in range(TRIALS):
        trial = run_and_kill(writer_script, crash_vault, f"trial{number}", rng)
        phases[trial.phase] += 1
        expected.update(trial.saved)
        present = check_vault(crash_vault, expected)
        assert expected.keys() <= present
    assert len(expected) > TRIALS, "the writer hardly ever got to save anything"
    if TRIALS >= 30:
        assert phases["unlock"] > 0 and phases["writing"] > 0, phases


def test_a_batch_killed_mid_way_is_saved_whole_or_not_at_all(
    crash_vault: Path, writer_script: Path
) -> None:
    rng = random.Random(SEED + 1)
    expected: dict[str, dict[str, Any]] = {}
    for number in range(BATCH_TRIALS):
        tag = f"batch{number}"
        trial = run_and_kill(writer_script, crash_vault, tag, rng, batch=BATCH_SIZE)
        assert all(len(ids) == BATCH_SIZE for ids in trial.batches)
        expected.update(trial.saved)
        check_vault(crash_vault, expected)
        with unlock_after_crash(crash_vault) as s:
            # Records of this run by their batch: the i-th record of the run is in batch
            # i // BATCH_SIZE; each batch is there entirely or not at all.
            per_batch: Counter[int] = Counter()
            for record in s.store.iter_records("person"):
                marker = record.fields["notes"].split(" ", 1)[0]
                run_tag, index = marker.rsplit("-", 1)
                if run_tag == tag:
                    per_batch[int(index) // BATCH_SIZE] += 1
        assert all(count == BATCH_SIZE for count in per_batch.values()), per_batch
        assert sorted(per_batch) == list(range(len(per_batch)))
        assert len(per_batch) >= len(trial.batches)
