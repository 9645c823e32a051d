"""A new user's install, run from a folder outside the checkout with a clean environment.

Three installs: the wheel non-editable in a fresh venv without extras (`pip install fieldapp`,
what a laptop's `fieldapp-cli` needs), the same wheel with `[server]`, and the PyInstaller
bundle of `fieldapp-cli` (build.spec). Each must work alone, find its own forms, messages and
reference data, and carry nothing of the other side's stack.
"""

from __future__ import annotations

import email.parser
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from packaging.requirements import Requirement

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
# What the wheel is built from: exactly what pyproject.toml packages, copied so that no stale
# `build/` folder in the checkout can slip an old module into the wheel.
SOURCES = ("pyproject.toml", "README.md", "fieldapp", "sync", "ui", "resources", "translations")
PASSWORD = "كلمة-سر-طويلة"
INSTALL_TIMEOUT = 600.0
RUN_TIMEOUT = 120.0
PIP = (sys.executable, "-m", "pip")


@dataclass(frozen=True)
class Install:
    root: Path  # the venv, or the bundle's folder
    programs: Path  # where its programs are
    home: Path  # an empty folder outside the checkout: the working directory and $HOME

    def bin(self, name: str) -> Path:
        return self.programs / name

    def run(
        self, program: str, *argv: str, lang: str = "en", password: str = PASSWORD
    ) -> subprocess.CompletedProcess[str]:
        """`program ARGV...` of this install: no PYTHONPATH, no checkout on the path."""
        env = {
            "PATH": f"{self.programs}{os.pathsep}/usr/bin{os.pathsep}/bin",
            "HOME": str(self.home),
            "LANG": "C.UTF-8",
            "FIELDAPP_LANG": lang,
            "FIELDAPP_PASSWORD": password,
            "FIELDAPP_KDF_PROFILE": "insecure-fast-for-tests",  # cheap Argon2: tests only
            "FIELDAPP_TEST_RUN": "1",  # with the profile: a test run
        }
        return subprocess.run(
            [str(self.bin(program)), *argv],
            cwd=self.home,
            env=env,
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT,
            check=False,
        )

    def distributions(self) -> set[str]:
        """Names (lower case) of every distribution installed in this venv."""
        code = (
            "import importlib.metadata as m, json;"
            "print(json.dumps(sorted({d.metadata['Name'].lower() for d in m.distributions()})))"
        )
        done = self.run("python", "-c", code)
        assert done.returncode == 0, done.stderr
        return set(json.loads(done.stdout))


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built once from a clean copy of the sources."""
    source = tmp_path_factory.mktemp("source")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=ignore)
        else:
            shutil.copy2(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("wheel")
    build = [*PIP, "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(out), str(source)]
    subprocess.run(build, check=True, capture_output=True, timeout=INSTALL_TIMEOUT)
    [built] = out.glob("fieldapp-*.whl")
    return built


@dataclass
class Job:
    """A process that makes an install, its output going to a log file (a pipe left unread
    while we wait for another job could fill up and stall it)."""

    process: subprocess.Popen[bytes]
    log: Path

    @classmethod
    def start(cls, argv: list[str], cwd: Path) -> Job:
        log = cwd / "install.log"
        with log.open("wb") as out:
            process = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        return cls(process, log)

    def wait(self) -> None:
        code = self.process.wait(timeout=INSTALL_TIMEOUT)
        assert code == 0, self.log.read_text(errors="replace")


@pytest.fixture(scope="module")
def installs(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> dict[str, Install]:
    """The installs: "base" (the wheel, no extra), "server" (with [server]) and "bundle".

    All three are made at once: the pip installs mostly wait on the package index and the disk
    while PyInstaller works."""
    started: dict[str, tuple[Install, Job]] = {}
    try:
        for name, extras in (("base", ""), ("server", "[server]")):
            folder = tmp_path_factory.mktemp(name)
            venv = Install(folder / "venv", folder / "venv" / "bin", folder / "elsewhere")
            venv.home.mkdir()
            # No pip inside (ensurepip alone takes ~10 s): this interpreter's pip installs into it.
            subprocess.run(
                [sys.executable, "-m", "venv", "--without-pip", str(venv.root)],
                check=True,
                timeout=INSTALL_TIMEOUT,
            )
            # Dependencies come from the package index (the pip cache makes this quick). No
            # byte-compiling of every installed file: the few modules a command imports get
            # compiled on first use.
            install = [*PIP, "--python", str(venv.bin("python")), "install", "-q", "--no-compile"]
            started[name] = (venv, Job.start([*install, f"{wheel}{extras}"], folder))
        folder = tmp_path_factory.mktemp("bundle")
        bundle = Install(folder / "dist" / "fieldapp-cli", folder / "dist" / "fieldapp-cli",
                         folder / "elsewhere")  # fmt: skip
        bundle.home.mkdir()
        pyinstaller = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"]
        places = ["--distpath", str(folder / "dist"), "--workpath", str(folder / "work")]
        build = [*pyinstaller, *places, str(ROOT / "build.spec")]
        started["bundle"] = (bundle, Job.start(build, folder))
        for _install, job in started.values():
            job.wait()
    finally:  # if one failed, stop the others rather than leave them running after the tests
        for _install, job in started.values():
            if job.process.poll() is None:
                job.process.kill()
                job.process.wait()
    return {name: made for name, (made, _) in started.items()}


@pytest.fixture
def base_install(installs: dict[str, Install]) -> Install:
    return installs["base"]


@pytest.fixture
def server_install(installs: dict[str, Install]) -> Install:
    return installs["server"]


@pytest.fixture(params=["base", "bundle"])
def cli_install(request: pytest.FixtureRequest, installs: dict[str, Install]) -> Install:
    """Each install that carries `fieldapp-cli` alone: the base wheel and the bundle."""
    return installs[request.param]


def test_the_wheel_carries_every_form_message_catalogue_and_reference_file(wheel: Path) -> None:
    shipped = {
        f"fieldapp/resources/{path.relative_to(ROOT / 'resources').as_posix()}"
        for folder in ("forms", "messages", "reference")
        for path in (ROOT / "resources" / folder).iterdir()
    }
    assert shipped
    assert shipped <= set(zipfile.ZipFile(wheel).namelist())


def test_the_wheel_carries_the_arabic_font_its_licence_and_the_compiled_translations(
    wheel: Path,
) -> None:
    shipped = {
        *(f"fieldapp/resources/fonts/{p.name}" for p in (ROOT / "resources" / "fonts").iterdir()),
        *(
            f"ui/translations/{p.relative_to(ROOT / 'translations').as_posix()}"
            for p in (ROOT / "translations").glob("*/*.qm")
        ),
    }
    assert any(name.endswith(".qm") for name in shipped)
    assert "fieldapp/resources/fonts/OFL.txt" in shipped
    assert shipped <= set(zipfile.ZipFile(wheel).namelist())


def _requirements(wheel: Path) -> dict[str, set[str]]:
    """The wheel's declared dependencies by extra ("" for the base), as lower-case names."""
    with zipfile.ZipFile(wheel) as archive:
        [name] = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = email.parser.Parser().parsestr(archive.read(name).decode("utf-8"))
    by_extra: dict[str, set[str]] = {}
    for line in metadata.get_all("Requires-Dist") or []:
        requirement = Requirement(line)
        extras = re.findall(r'extra == "([^"]+)"', str(requirement.marker or ""))
        by_extra.setdefault(extras[0] if extras else "", set()).add(requirement.name.lower())
    return by_extra


def test_the_desktop_extra_adds_the_two_qt_wheels_and_nothing_else(wheel: Path) -> None:
    requirements = _requirements(wheel)
    assert requirements["desktop"] == {"pyside6-essentials", "pyside6-addons"}
    assert "pyside6" not in set().union(*requirements.values())  # the ~200 MB meta package


def test_the_base_install_runs_its_own_copy_and_resources_not_the_checkout(
    base_install: Install,
) -> None:
    code = (
        "import json, fieldapp, fieldapp.paths;"
        "print(json.dumps([fieldapp.__file__, str(fieldapp.paths.resources_dir())]))"
    )
    done = base_install.run("python", "-c", code)
    assert done.returncode == 0, done.stderr
    package, resources = (Path(p) for p in json.loads(done.stdout))
    assert package.is_relative_to(base_install.root)
    assert resources.is_relative_to(base_install.root)
    assert (resources / "forms" / "household.json").is_file()


def test_the_base_install_has_no_qt_no_web_framework_and_no_database_server_driver(
    base_install: Install,
) -> None:
    installed = base_install.distributions()
    assert "fieldapp" in installed and "sqlcipher3" in installed
    unwanted = {"fastapi", "uvicorn", "sqlalchemy", "alembic", "psycopg", "psycopg-binary"}
    assert not installed & unwanted
    assert not {name for name in installed if name.startswith("pyside6")}


def test_the_base_install_says_which_extra_the_desktop_app_needs(base_install: Install) -> None:
    catalogue = json.loads((ROOT / "resources" / "messages" / "shell.json").read_text("utf-8"))
    expected = catalogue["shell.desktop_extra_missing"]["en"].split("{package}")[0]
    done = base_install.run("fieldapp", "--lang", "en")
    assert done.returncode == 1
    assert expected in done.stderr and "pip install 'fieldapp[desktop]'" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_base_install_says_which_extra_fieldapp_server_needs(base_install: Install) -> None:
    catalogue = json.loads((ROOT / "resources" / "messages" / "server.json").read_text("utf-8"))
    expected = catalogue["server.extra_missing"]["en"].split("{package}")[0]
    done = base_install.run("fieldapp-server", "--lang", "en", "init")
    assert done.returncode == 1
    assert expected in done.stderr and "pip install 'fieldapp[server]'" in done.stderr
    assert "Traceback" not in done.stderr


def test_fieldapp_cli_lists_every_record_type_with_its_arabic_label(cli_install: Install) -> None:
    listed = cli_install.run("fieldapp-cli", "forms", "--json")
    assert listed.returncode == 0, listed.stderr
    assert {form["type"] for form in json.loads(listed.stdout)} == {
        path.stem for path in (ROOT / "resources" / "forms").glob("*.json")
    }
    arabic = cli_install.run("fieldapp-cli", "forms", lang="ar")
    assert arabic.returncode == 0, arabic.stderr
    assert "زيارة منزلية" in arabic.stdout and "أسرة" in arabic.stdout


def test_fieldapp_cli_creates_a_vault_adds_a_person_and_finds_them(cli_install: Install) -> None:
    vault = str(cli_install.home / "vault")
    init = cli_install.run(
        "fieldapp-cli", "--data-dir", vault, "init", "--officer", "ali.h", "--station", "B12"
    )
    assert init.returncode == 0, init.stderr
    person = {
        "first_name": "عبد الله",
        "father_name": "جاسم",
        "grandfather_name": "حسن",
        "surname": "الجبوري",
        "sex": "male",
        "age": 34,
    }
    added = cli_install.run(
        "fieldapp-cli", "--data-dir", vault, "add", "person", "--json", json.dumps(person)
    )
    assert added.returncode == 0, added.stderr
    [record_id] = added.stdout.split()
    found = cli_install.run("fieldapp-cli", "--data-dir", vault, "search", "جبوري", "--json")
    assert found.returncode == 0, found.stderr
    hits = json.loads(found.stdout)
    assert [hit["id"] for hit in hits] == [record_id]
    assert hits[0]["fields"]["first_name"] == "عبد الله"


def test_fieldapp_cli_reports_a_wrong_password_in_arabic_from_its_catalogue(
    cli_install: Install,
) -> None:
    vault = str(cli_install.home / "vault-for-password")
    assert cli_install.run("fieldapp-cli", "--data-dir", vault, "init").returncode == 0
    catalogue = json.loads((ROOT / "resources" / "messages" / "vault.json").read_text("utf-8"))
    wrong = cli_install.run(
        "fieldapp-cli", "--data-dir", vault, "list", lang="ar", password="not-the-password"
    )
    assert wrong.returncode == 3
    assert catalogue["vault.wrong_password"]["ar"] in wrong.stderr
    assert "Traceback" not in wrong.stderr


def test_the_bundle_carries_its_resources_and_neither_qt_nor_the_server_stack(
    installs: dict[str, Install],
) -> None:
    bundled = installs["bundle"].root / "_internal"
    assert (bundled / "fieldapp" / "resources" / "forms" / "household.json").is_file()
    top_level = {path.name.split(".")[0].lower() for path in bundled.iterdir()}
    unwanted = {"pyside6", "shiboken6", "fastapi", "starlette", "uvicorn", "sqlalchemy", "psycopg"}
    assert "sqlcipher3" in top_level
    assert not top_level & unwanted


def test_the_server_install_has_no_qt(server_install: Install) -> None:
    installed = server_install.distributions()
    assert {"fieldapp", "fastapi", "sqlalchemy", "psycopg"} <= installed
    assert not {name for name in installed if name.startswith("pyside6")}


def test_the_server_install_initialises_a_folder_and_adds_a_station(
    server_install: Install,
) -> None:
    data_dir = str(server_install.home / "server")
    init = server_install.run(
        "fieldapp-server", "--data-dir", data_dir, "init", "--hostname", "police.example.iq"
    )
    assert init.returncode == 0, init.stderr
    assert re.fullmatch(r"[0-9a-f]{64}", init.stdout.strip())
    added = server_install.run(
        "fieldapp-server", "--data-dir", data_dir, "station", "add", "B12", "--name", "Karrada",
        "--governorate", "IQG08", "--district", "IQG08Q01",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    listed = server_install.run("fieldapp-server", "--data-dir", data_dir, "station", "list")
    assert listed.returncode == 0, listed.stderr
    assert "B12" in listed.stdout and "Karrada" in listed.stdout
