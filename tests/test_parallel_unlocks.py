"""Many fieldapp-cli processes unlocking one vault at once (issue 8, section 1).

Only a wrong password counts; the count is exact with any number of processes; parallel
guessers together get at most 5 key derivations per 15 minutes; parallel commands with the
right password all succeed, waiting for a slot instead of being refused
(docs/adr/0018-parallel-unlocks.md). Real processes on a real vault whose KDF takes about a
quarter of a second, started together behind a gate so that the race is real. No timings are
asserted: exit codes and counts only.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path

import pytest

from fieldapp import session
from fieldapp.errors import UnlockBackoff
from fieldapp.messages import translate
from fieldapp.vault.crypto import KdfParams
from fieldapp.vault.lockout import UnlockThrottle
from fieldapp.vault.vault import STATE_FILE
from tests.drivers.cli import PASSWORD, STATION, CliResult, cli_environment
from tests.records import PERSON
from tests.test_vault import FakeClock

# Argon2id costs that make one unlock take a few tenths of a second here, so that checks started
# together are in flight together (the test suite's usual KDF takes a few milliseconds).
RACING_KDF = KdfParams(memory_kib=32 * 1024, iterations=2, lanes=1)
# How many `add`s each of the two batches starts at once (the issue saw failures with 200).
PARALLEL_ADDS = int(os.environ.get("FIELDAPP_TEST_PARALLEL_ADDS", "50"))

# Runs fieldapp-cli once the gate file exists, after its imports, so that all the processes of
# a test start unlocking together; every key derivation appends a line to the counter file.
GATED_CLI = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from fieldapp.cli.app import run
    from fieldapp.vault import crypto

    gate, ready, counter = (Path(p) for p in sys.argv[1:4])
    derive = crypto.derive_kek

    def counted(*args, **kwargs):
        with counter.open("a") as f:  # O_APPEND: one whole line per derivation
            f.write("derived\\n")
        return derive(*args, **kwargs)

    crypto.derive_kek = counted
    ready.touch()
    while not gate.exists():
        time.sleep(0.005)
    sys.argv = ["fieldapp-cli", *sys.argv[4:]]
    run()
    """
)


class Race:
    """Child processes running fieldapp-cli on one vault, let go together."""

    def __init__(self, folder: Path, work: Path) -> None:
        self.folder = folder
        self.work = work
        self.counter = work / "derivations"
        self.rounds = 0

    def run(self, argvs: Sequence[Sequence[str]], password: str = PASSWORD) -> list[CliResult]:
        """Start one process per argv, open the gate once all are ready, wait for all."""
        self.rounds += 1
        round_dir = self.work / f"round{self.rounds}"
        round_dir.mkdir()
        gate = round_dir / "gate"
        env = cli_environment(password, FIELDAPP_LANG="en")
        children: list[subprocess.Popen[str]] = []
        try:
            for n, argv in enumerate(argvs):
                ready = round_dir / f"ready{n}"
                command = [sys.executable, "-c", GATED_CLI, str(gate), str(ready)]
                children.append(
                    subprocess.Popen(
                        [*command, str(self.counter), "--data-dir", str(self.folder), *argv],
                        stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE,
                        text=True,
                        encoding="utf-8",
                        env=env,
                    )
                )
            deadline = time.monotonic() + 600
            while len(list(round_dir.glob("ready*"))) < len(argvs):
                assert all(c.poll() is None for c in children), "a child died before the gate"
                assert time.monotonic() < deadline, "the children never got ready"
                time.sleep(0.05)  # waiting for start-up only: no outcome depends on it
            gate.touch()
            results = []
            for child in children:
                out, err = child.communicate(timeout=600)
                assert "Traceback" not in err and "Warning" not in err, err
                results.append(CliResult(child.returncode, out, err))
            return results
        finally:
            for child in children:
                if child.poll() is None:
                    child.kill()
                    child.wait()

    @property
    def derivations(self) -> int:
        return len(self.counter.read_text().splitlines()) if self.counter.exists() else 0

    def failures(self) -> list[float]:
        state = self.folder / STATE_FILE
        if not state.exists():
            return []
        failures: list[float] = json.loads(state.read_bytes())["failures"]
        return failures

    def age_failures(self, seconds: float) -> None:
        """Move the recorded failures `seconds` into the past: the 1-8 s delay after a failure
        passes without sleeping, the 15-minute window still holds them."""
        state_file = self.folder / STATE_FILE
        state = json.loads(state_file.read_bytes())
        state["failures"] = [t - seconds for t in state["failures"]]
        state_file.write_text(json.dumps(state))


@pytest.fixture
def race(tmp_path: Path) -> Iterator[Race]:
    folder = tmp_path / "vault"
    session.create(folder, PASSWORD, officer="ali.h", station=STATION, kdf=RACING_KDF).close()
    work = tmp_path / "race"
    work.mkdir()
    yield Race(folder, work)


def _records(folder: Path) -> int:
    with session.unlock(folder, PASSWORD) as s:
        return len(s.store.records())


# --- the right password ------------------------------------------------------------------------


def test_six_parallel_lists_with_the_right_password_all_succeed(race: Race) -> None:
    results = race.run([["list", "--json"]] * 6)
    assert [r.code for r in results] == [0] * 6, [r.err for r in results]
    assert race.failures() == []


def test_two_batches_of_parallel_adds_with_the_right_password_all_save(race: Race) -> None:
    person = json.dumps(PERSON, ensure_ascii=False)
    results = race.run([["add", "person", "--json", person]] * (2 * PARALLEL_ADDS))
    refused = [r.err for r in results if r.code != 0]
    assert refused == []
    assert race.derivations == 2 * PARALLEL_ADDS  # each checked its password once
    assert _records(race.folder) == 2 * PARALLEL_ADDS


# --- wrong passwords ---------------------------------------------------------------------------


WAVES = 12  # waves of 8 parallel guessers; 12 x 10 s of ageing stays well inside the window


def _guess_in_waves_until_five_failures(race: Race) -> int:
    """Waves of 8 parallel wrong guesses until 5 failures are recorded; how many were told
    "wrong password". How many derive in one wave depends on how the processes are scheduled
    (one that starts after a failure is told to wait the 1-8 s delay instead), so waves go on,
    each after that delay has passed; never may more than 5 derive in the window."""
    wrong = translate("vault.wrong_password", "en")
    told_wrong = 0
    for wave in range(WAVES):
        if wave:
            race.age_failures(10)
        results = race.run([["list"]] * 8, password="a wrong guess")
        assert {r.code for r in results} == {3}
        told_wrong += sum(wrong in r.err for r in results)
        assert race.derivations <= 5
        if len(race.failures()) == 5:
            return told_wrong
    raise AssertionError(f"{WAVES} waves of guesses recorded only {len(race.failures())}")


def test_parallel_guessers_get_exactly_five_key_derivations_in_the_window(race: Race) -> None:
    told_wrong = _guess_in_waves_until_five_failures(race)
    race.age_failures(10)
    more = race.run([["list"]] * 8, password="a wrong guess")  # the window is full now
    assert {r.code for r in more} == {3}
    assert race.derivations == 5
    assert len(race.failures()) == 5  # every derivation was recorded, exactly once
    assert told_wrong == 5  # and only a recorded derivation told anyone "wrong password"


def test_the_right_password_after_five_parallel_guesses_waits_out_the_window(
    race: Race,
) -> None:
    _guess_in_waves_until_five_failures(race)
    race.age_failures(10)
    [result] = race.run([["list"]])
    assert result.code == 3
    assert "Too many wrong passwords" in result.err
    assert race.derivations == len(race.failures()) == 5


# --- slots, in this process ----------------------------------------------------------------------


def test_a_check_waits_while_failures_and_checks_in_flight_make_five(tmp_path: Path) -> None:
    clock = FakeClock()
    throttle = UnlockThrottle(tmp_path / STATE_FILE, clock, slot_wait_s=0.5)
    for _ in range(3):
        with throttle.attempt() as attempt:
            attempt.failed()
        clock.now += 10  # past the delay after each failure, well inside the window
    with ExitStack() as stack:
        for _ in range(2):
            stack.enter_context(throttle.attempt())  # two checks still deriving
        # Nothing moves: it gives up with a backoff instead of making a sixth guess.
        with pytest.raises(UnlockBackoff), throttle.attempt():
            pytest.fail("a sixth guess was let through")


def test_a_check_waiting_for_a_slot_goes_ahead_when_a_right_password_frees_one(
    tmp_path: Path,
) -> None:
    state_file = tmp_path / STATE_FILE
    outcome: list[object] = []

    def sixth() -> None:
        try:
            with UnlockThrottle(state_file, FakeClock()).attempt() as attempt:
                outcome.append(attempt.succeeded())
        except UnlockBackoff as exc:
            outcome.append(exc)

    with ExitStack() as stack:
        throttle = UnlockThrottle(state_file, FakeClock())
        held = [stack.enter_context(throttle.attempt()) for _ in range(5)]
        waiter = threading.Thread(target=sixth)
        waiter.start()
        room = state_file.with_name(state_file.name + ".waiting.lock")
        deadline = time.monotonic() + 60
        while not room.exists() and waiter.is_alive() and time.monotonic() < deadline:
            time.sleep(0.01)  # until the sixth is waiting for a slot; no outcome depends on it
        assert room.exists() and waiter.is_alive(), outcome
        held[0].succeeded()  # a right password frees its slot
        waiter.join(120)
    assert outcome == [()]
