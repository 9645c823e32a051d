"""fieldapp-cli at a terminal, as an officer types: new passwords are asked twice and compared,
an easy one is refused with the reason before it is typed again, and the prompts speak the
language of --lang. Each test runs the real program on a pseudo-terminal (getpass reads the
terminal, not stdin)."""

from __future__ import annotations

import os
import pty
import select
import sys
import time
from pathlib import Path

import pytest

from fieldapp.messages import translate
from fieldapp.session import unlock
from fieldapp.vault.vault import HEADER_FILE

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "بيتنا قرب النهر الكبير"
OTHER_PASSPHRASE = "الشاي في بيت جدتي بعد الجمعة"
TIMEOUT = 60.0


class Terminal:
    """`fieldapp-cli ARGV` with a pseudo-terminal as its controlling terminal."""

    def __init__(self, *argv: str) -> None:
        typed_here = ("FIELDAPP_PASSWORD", "FIELDAPP_NEW_PASSWORD")
        env = {k: v for k, v in os.environ.items() if k not in typed_here}
        env |= {"PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1", "LANG": "C.UTF-8"}
        command = [sys.executable, "-m", "sync.client", *argv]
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: becomes the program
            os.execve(sys.executable, command, env)  # noqa: S606 (a fixed argv)
        self.seen = ""

    def expect(self, text: str) -> None:
        """Read until `text` appears (the terminal echoes nothing of what getpass reads)."""
        deadline = time.monotonic() + TIMEOUT
        while text not in self.seen:
            assert time.monotonic() < deadline, f"never saw {text!r} in {self.seen!r}"
            if not self._read(deadline - time.monotonic()):
                raise AssertionError(f"the program ended before {text!r}: {self.seen!r}")

    def type(self, line: str) -> None:
        os.write(self.fd, (line + "\n").encode("utf-8"))

    def finish(self) -> int:
        """Everything up to the end, and the exit code."""
        deadline = time.monotonic() + TIMEOUT
        while self._read(deadline - time.monotonic()):
            pass
        _, status = os.waitpid(self.pid, 0)
        os.close(self.fd)
        return os.waitstatus_to_exitcode(status)

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], max(timeout, 0))
        assert ready, f"no output for {TIMEOUT} s: {self.seen!r}"
        try:
            chunk = os.read(self.fd, 4096)
        except OSError:  # EIO: the program has closed the terminal
            return False
        self.seen += chunk.decode("utf-8", errors="replace").replace("\r\n", "\n")
        return bool(chunk)


def prompt(key: str, lang: str) -> str:
    return translate(key, lang).strip()


def test_init_asks_for_the_new_password_twice_and_creates_the_vault(tmp_path: Path) -> None:
    data_dir = tmp_path / "vault"
    term = Terminal("--lang", "en", "--data-dir", str(data_dir), "init")
    term.expect(prompt("cli.prompt_new_password", "en"))
    term.type(PASSPHRASE)
    term.expect(prompt("cli.prompt_repeat_password", "en"))
    term.type(PASSPHRASE)
    assert term.finish() == 0
    unlock(data_dir, PASSPHRASE).close()
    assert PASSPHRASE not in term.seen  # nothing typed is echoed


def test_init_with_two_different_passwords_makes_no_vault(tmp_path: Path) -> None:
    data_dir = tmp_path / "vault"
    term = Terminal("--lang", "en", "--data-dir", str(data_dir), "init")
    term.expect(prompt("cli.prompt_new_password", "en"))
    term.type(PASSPHRASE)
    term.expect(prompt("cli.prompt_repeat_password", "en"))
    term.type(OTHER_PASSPHRASE)
    assert term.finish() == 2
    assert translate("cli.passwords_differ", "en") in term.seen
    assert not (data_dir / HEADER_FILE).exists()


def test_an_easy_password_is_refused_with_the_reason_before_it_is_asked_again(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "vault"
    term = Terminal("--lang", "en", "--data-dir", str(data_dir), "init")
    term.expect(prompt("cli.prompt_new_password", "en"))
    term.type("12345678")
    assert term.finish() == 2
    assert translate("vault.weak_password_common", "en") in term.seen
    assert prompt("cli.prompt_repeat_password", "en") not in term.seen
    assert not data_dir.exists()


@pytest.mark.parametrize("lang", ["ar", "ckb"])
def test_the_prompts_speak_the_language_of_lang(tmp_path: Path, lang: str) -> None:
    term = Terminal("--lang", lang, "--data-dir", str(tmp_path / "vault"), "init")
    term.expect(prompt("cli.prompt_new_password", lang))
    term.type(PASSPHRASE)
    term.expect(prompt("cli.prompt_repeat_password", lang))
    term.type(PASSPHRASE)
    assert term.finish() == 0
    assert "password" not in term.seen.lower()


def test_passwd_asks_for_the_current_password_then_the_new_one_twice(tmp_path: Path) -> None:
    data_dir = tmp_path / "vault"
    init = Terminal("--lang", "en", "--data-dir", str(data_dir), "init")
    init.expect(prompt("cli.prompt_new_password", "en"))
    init.type(PASSPHRASE)
    init.expect(prompt("cli.prompt_repeat_password", "en"))
    init.type(PASSPHRASE)
    assert init.finish() == 0
    term = Terminal("--lang", "en", "--data-dir", str(data_dir), "passwd")
    term.expect(prompt("cli.prompt_current_password", "en"))
    term.type(PASSPHRASE)
    term.expect(prompt("cli.prompt_new_password", "en"))
    term.type(OTHER_PASSPHRASE)
    term.expect(prompt("cli.prompt_repeat_password", "en"))
    term.type(OTHER_PASSPHRASE)
    assert term.finish() == 0
    unlock(data_dir, OTHER_PASSPHRASE).close()
