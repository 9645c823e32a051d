"""`fieldapp-server` as station scripts call it: real processes, their output and exit codes."""

from __future__ import annotations

import json
import os
import stat
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from fieldapp.messages import translate
from sync.server import tls
from tests.server.serverproc import (
    RunningServer,
    run_server_command,
    running_server,
    start_server,
    stop_server,
)


def fieldapp_server(data_dir: Path | None, *argv: str, lang: str = "en") -> tuple[int, str, str]:
    done = run_server_command(data_dir, *argv, lang=lang)
    return done.returncode, done.stdout, done.stderr


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An initialised folder with station B12 and officer ali (not serving)."""
    data_dir = tmp_path_factory.mktemp("cli") / "server"
    code, _, err = fieldapp_server(data_dir, "init", "--hostname", "police.example.iq")
    assert code == 0, err
    for argv in (
        ("station", "add", "B12", "--name", "Karrada", "--governorate", "IQG08", "--district",
         "IQG08Q01"),
        ("user", "add", "ali", "--role", "officer", "--station", "B12"),
    ):  # fmt: skip
        code, _, err = fieldapp_server(data_dir, *argv)
        assert code == 0, err
    return data_dir


# --- init ---------------------------------------------------------------------------------------


def test_init_makes_a_private_folder_config_certificate_and_database(tmp_path: Path) -> None:
    data_dir = tmp_path / "server"
    code, out, _ = fieldapp_server(data_dir, "init", "--hostname", "sync.police.example.iq")
    assert code == 0
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    for name in ("server.toml", "server.key", "server.db"):
        assert stat.S_IMODE((data_dir / name).stat().st_mode) == 0o600, name
    cert_pem = (data_dir / "server.pem").read_bytes()
    assert out.strip() == tls.fingerprint(cert_pem)
    dns, ips = tls.subject_alternative_names(cert_pem)
    assert {"localhost", "sync.police.example.iq"} <= set(dns)
    assert {"127.0.0.1", "::1"} <= set(ips)


def test_init_refuses_an_initialised_folder(initialised: Path) -> None:
    before = (initialised / "server.pem").read_bytes()
    code, _, err = fieldapp_server(initialised, "init")
    assert code == 2
    assert "already initialised" in err
    assert (initialised / "server.pem").read_bytes() == before


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (("--database-url", "mysql://x@y/z"), "database address"),
        (("--hostname", "bad host/name"), "not a valid host name"),
    ],
)
def test_init_with_bad_input_exits_2(tmp_path: Path, argv: tuple[str, ...], problem: str) -> None:
    code, _, err = fieldapp_server(tmp_path / "server", "init", *argv)
    assert code == 2
    assert problem in err
    assert "Traceback" not in err
    assert not (tmp_path / "server" / "server.toml").exists()


def test_init_with_an_unreachable_postgresql_exits_1(tmp_path: Path) -> None:
    url = "postgresql+psycopg://nobody@127.0.0.1:1/nothing"
    code, _, err = fieldapp_server(tmp_path / "server", "init", "--database-url", url)
    assert code == 1
    assert "database cannot be reached" in err
    assert "Traceback" not in err


def test_commands_on_a_folder_that_was_never_initialised_exit_2(tmp_path: Path) -> None:
    code, _, err = fieldapp_server(tmp_path / "nothing", "device", "list")
    assert code == 2
    assert "not an initialised server data folder" in err


def test_messages_are_arabic_by_default(tmp_path: Path) -> None:
    done = run_server_command(tmp_path / "nothing", "device", "list", lang="ar")
    assert done.returncode == 2
    assert "مجلد" in done.stderr


# --- administration ----------------------------------------------------------------------------


def test_enroll_code_prints_the_code_and_the_certificate_fingerprint(initialised: Path) -> None:
    code, out, _ = fieldapp_server(initialised, "enroll-code", "ali", "--json")
    assert code == 0
    printed = json.loads(out)
    assert len(printed["code"].replace("-", "")) >= 12
    assert printed["fingerprint"] == tls.fingerprint((initialised / "server.pem").read_bytes())
    code, out, _ = fieldapp_server(initialised, "enroll-code", "ali")
    assert code == 0
    assert printed["fingerprint"] in out


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (("station", "add", "B13", "--name", "X", "--governorate", "IQG99", "--district",
          "IQG08Q01"), "Unknown governorate p-code: IQG99"),
        (("station", "add", "B13", "--name", "X", "--governorate", "IQG08", "--district",
          "IQG01Q01"), "IQG01Q01 is not a district of governorate IQG08"),
        (("station", "add", "B 13", "--name", "X", "--governorate", "IQG08", "--district",
          "IQG08Q01"), "Station code B 13 is not allowed"),
        (("station", "add", "B12", "--name", "X", "--governorate", "IQG08", "--district",
          "IQG08Q01"), "Station B12 already exists"),
        (("user", "add", "sara", "--role", "chief", "--station", "B12"), "Role chief is not known"),
        (("user", "add", "sara", "--role", "officer", "--station", "NOPE"),
         "Unknown station: NOPE"),
        (("user", "add", "sara", "--role", "officer"), "needs --station"),
        (("user", "add", "ali", "--role", "officer", "--station", "B12"),
         "User ali already exists"),
        (("enroll-code", "nobody"), "Unknown user: nobody"),
        (("user", "disable", "nobody"), "Unknown user: nobody"),
        (("rejections", "list", "--station", "NOPE"), "Unknown station: NOPE"),
        (("device", "revoke", "00000000-0000-0000-0000-000000000000"), "Unknown device"),
        (("device", "clear-audit-flag", "00000000-0000-0000-0000-000000000000"),
         "Unknown device"),
        (("records", "count", "--station", "NOPE"), "Unknown station: NOPE"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_with_a_message_naming_the_problem(
    initialised: Path, argv: tuple[str, ...], problem: str
) -> None:
    code, out, err = fieldapp_server(initialised, *argv)
    assert code == 2
    assert problem in err
    assert "Traceback" not in err
    assert out == ""


def test_a_usage_error_exits_2(initialised: Path) -> None:
    code, _, err = fieldapp_server(initialised, "station", "add", "B14")
    assert code == 2
    assert "--name" in err


def test_a_supervisor_may_read_several_stations(initialised: Path) -> None:
    code, _, err = fieldapp_server(
        initialised, "station", "add", "B20", "--name", "Adhamiya", "--governorate", "IQG08",
        "--district", "IQG08Q01",
    )  # fmt: skip
    assert code == 0, err
    code, out, err = fieldapp_server(
        initialised, "user", "add", "zaid", "--role", "supervisor", "--station", "B12,B20"
    )
    assert code == 0, err
    assert "zaid" in out


def test_an_unusable_database_exits_1_without_a_traceback_unless_debugging(
    initialised: Path,
) -> None:
    broken = initialised.parent / "broken"
    broken.mkdir()
    (broken / "server.toml").write_text('database_url = "sqlite:////nonexistent/dir/x.db"\n')
    code, _, err = fieldapp_server(broken, "records", "count")
    assert code == 1
    assert "Traceback" not in err
    debug = run_server_command(broken, "records", "count", env={"FIELDAPP_DEBUG": "1"})
    assert "Traceback" in debug.stderr


# --- while serving -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def serving(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with running_server(tmp_path_factory.mktemp("serving")) as server:
        yield server


def test_admin_commands_work_while_serve_is_running(serving: RunningServer) -> None:
    serving.admin("station", "add", "K1", "--name", "Karkh", "--governorate", "IQG08",
                  "--district", "IQG08Q01")  # fmt: skip
    serving.admin("user", "add", "omar", "--role", "officer", "--station", "K1")
    printed = serving.admin_json("enroll-code", "omar")
    assert printed["fingerprint"] == serving.fingerprint
    enrolled = requests.post(
        serving.url("/v1/enroll"),
        json={"code": printed["code"], "device_name": "laptop"},
        headers=serving.headers(),
        verify=serving.verify,
        timeout=30,
    ).json()
    token = enrolled["token"]
    change: dict[str, Any] = {
        "change_id": "018f0000-0000-7000-8000-000000000001",
        "record_id": "018f0000-0000-7000-8000-000000000002",
        "record_type": "household",
        "form_version": 1,
        "op": "create",
        "base_rev": 0,
        "created_at": "2026-12-01T12:00:00+03:00",
        "fields": {"governorate": "IQG08", "district": "IQG08Q01", "mahalla": "حي الجامعة"},
    }
    pushed = requests.post(
        serving.url("/v1/push"),
        json={"batch_id": "018f0000-0000-7000-8000-000000000003", "changes": [change]},
        headers=serving.headers(token),
        verify=serving.verify,
        timeout=30,
    )
    assert pushed.json()["results"][0]["status"] == "applied"

    assert serving.admin_json("records", "count", "--station", "K1") == {"count": 1}
    assert serving.admin_json("records", "count")["count"] >= 1
    assert serving.admin_json("conflicts", "list") == []
    devices = serving.admin_json("device", "list")
    assert [(d["device_id"], d["username"], d["revoked_at"]) for d in devices] == [
        (enrolled["device_id"], "omar", None)
    ]
    assert "revoked" in serving.admin("device", "revoke", enrolled["device_id"])
    revoked = requests.get(
        serving.url("/v1/device"), headers=serving.headers(token), verify=serving.verify, timeout=30
    )
    assert revoked.status_code == 403
    assert serving.admin_json("device", "list")[0]["revoked_at"] is not None


def _enrolled_officer(serving: RunningServer, station: str, username: str) -> str:
    """The token of a new device of a new officer of a new station."""
    serving.admin("station", "add", station, "--name", "Karkh", "--governorate", "IQG08",
                  "--district", "IQG08Q01")  # fmt: skip
    serving.admin("user", "add", username, "--role", "officer", "--station", station)
    enrolled = requests.post(
        serving.url("/v1/enroll"),
        json={"code": serving.admin_json("enroll-code", username)["code"], "device_name": "pc"},
        headers=serving.headers(),
        verify=serving.verify,
        timeout=30,
    )
    token: str = enrolled.json()["token"]
    return token


def _device_status(serving: RunningServer, token: str) -> int:
    return requests.get(
        serving.url("/v1/device"), headers=serving.headers(token), verify=serving.verify, timeout=30
    ).status_code


def test_a_disabled_users_devices_are_refused_until_the_user_is_enabled_again(
    serving: RunningServer,
) -> None:
    token = _enrolled_officer(serving, "K2", "huda")
    assert "huda is disabled" in serving.admin("user", "disable", "huda")
    assert _device_status(serving, token) == 401
    assert "huda is enabled again" in serving.admin("user", "enable", "huda")
    assert _device_status(serving, token) == 200


def test_user_list_shows_each_users_role_stations_and_whether_disabled(
    serving: RunningServer,
) -> None:
    serving.admin("station", "add", "K3", "--name", "Karkh", "--governorate", "IQG08",
                  "--district", "IQG08Q01")  # fmt: skip
    serving.admin("user", "add", "noor", "--role", "clerk", "--station", "K3")
    serving.admin("user", "add", "sami", "--role", "officer", "--station", "K3")
    serving.admin("user", "disable", "sami")
    users = {
        u["username"]: (u["role"], u["station"], u["disabled"])
        for u in serving.admin_json("user", "list")
    }
    assert (users["noor"], users["sami"]) == (("clerk", "K3", False), ("officer", "K3", True))
    assert "sami  officer  K3  disabled" in serving.admin("user", "list").splitlines()


def test_rejections_list_shows_a_refused_change_to_the_clerk_without_its_fields_in_text(
    serving: RunningServer,
) -> None:
    token = _enrolled_officer(serving, "K4", "rami")
    change: dict[str, Any] = {
        "change_id": "018f0000-0000-7000-8000-000000000011",
        "record_id": "018f0000-0000-7000-8000-000000000012",
        "record_type": "household",
        "form_version": 1,
        "op": "create",
        "base_rev": 0,
        "created_at": "2026-12-01T12:00:00+03:00",
        "fields": {"governorate": "IQG99", "district": "IQG08Q01", "mahalla": "حي الجامعة"},
    }
    pushed = requests.post(
        serving.url("/v1/push"),
        json={"batch_id": "018f0000-0000-7000-8000-000000000013", "changes": [change]},
        headers=serving.headers(token),
        verify=serving.verify,
        timeout=30,
    ).json()["results"][0]
    assert pushed["status"] == "rejected"
    kept = serving.admin_json("rejections", "list", "--station", "K4")
    assert [(r["change_id"], r["username"], r["reason"]) for r in kept] == [
        (change["change_id"], "rami", pushed["reason"])
    ]
    assert kept[0]["change"]["fields"]["mahalla"] == "حي الجامعة"
    text = serving.admin("rejections", "list", "--station", "K4")
    assert change["record_id"] in text and "حي الجامعة" not in text


def test_two_serve_processes_share_one_data_folder(serving: RunningServer) -> None:
    second = start_server(serving.data_dir, fingerprint=serving.fingerprint)
    try:
        for server in (serving, second):
            response = requests.get(
                server.url("/v1/device"), headers=server.headers("x" * 43), verify=server.verify,
                timeout=30,
            )  # fmt: skip
            assert response.status_code == 401
    finally:
        stop_server(second)


def test_serve_ignores_web_concurrency_in_the_environment(
    serving: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # uvicorn reads WEB_CONCURRENCY and then refuses an app object; a PaaS-style environment
    # must not keep the server from starting.
    monkeypatch.setenv("WEB_CONCURRENCY", "2")
    other = start_server(serving.data_dir, fingerprint=serving.fingerprint)
    try:
        response = requests.get(
            other.url("/v1/device"), headers=other.headers(), verify=other.verify, timeout=30
        )
        assert response.status_code == 401  # serving: the API answered (no token was sent)
    finally:
        stop_server(other)


def test_serve_with_http_warns_loudly_and_speaks_plain_http(tmp_path: Path) -> None:
    with running_server(tmp_path, http=True) as server:
        response = requests.get(server.url("/v1/device"), headers=server.headers(), timeout=10)
        assert response.status_code == 401  # the API answered in plain HTTP (no token sent)
        assert "WARNING" in server.log()


def test_serve_with_a_bad_port_exits_2(initialised: Path) -> None:
    code, _, err = fieldapp_server(initialised, "serve", "--port", "70000")
    assert code == 2
    assert "Port 70000" in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root may bind any port")
def test_serve_on_a_privileged_port_exits_1(initialised: Path) -> None:  # pragma: no cover
    code, _, _ = fieldapp_server(initialised, "serve", "--port", "80")
    assert code == 1


def test_init_and_serve_on_postgresql(tmp_path: Path, postgres_server_url: str) -> None:
    name = f"fieldapp_cli_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = make_url(postgres_server_url).set(database=name).render_as_string(hide_password=False)
    try:
        with running_server(tmp_path, database_url=url) as server:
            assert "postgresql" in (server.data_dir / "server.toml").read_text()
            assert not (server.data_dir / "server.db").exists()
            server.admin("station", "add", "P1", "--name", "Karkh", "--governorate", "IQG08",
                         "--district", "IQG08Q01")  # fmt: skip
            server.admin("user", "add", "noor", "--role", "clerk", "--station", "P1")
            code = server.admin_json("enroll-code", "noor")["code"]
            enrolled = requests.post(
                server.url("/v1/enroll"),
                json={"code": code, "device_name": "station pc"},
                headers=server.headers(),
                verify=server.verify,
                timeout=30,
            )
            assert enrolled.status_code == 200
            assert server.admin_json("records", "count", "--station", "P1") == {"count": 0}
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.mark.parametrize("lang", ["ar", "ckb", "en"])
def test_user_list_says_whether_a_user_is_active_in_the_language(
    initialised: Path, lang: str
) -> None:
    code, out, err = fieldapp_server(initialised, "user", "list", lang=lang)
    assert code == 0, err
    [ali] = [line for line in out.splitlines() if line.startswith("ali  ")]
    assert ali.endswith("  " + translate("server.state.active", lang))


@pytest.mark.parametrize("lang", ["ar", "ckb", "en"])
def test_device_list_says_a_device_is_active_and_has_sent_no_audit_log_in_the_language(
    serving: RunningServer, lang: str
) -> None:
    _enrolled_officer(serving, f"L{lang}", f"lina.{lang}")
    done = serving.admin_run("device", "list", lang=lang)
    assert done.returncode == 0, done.stderr
    [row] = [line for line in done.stdout.splitlines() if f"  lina.{lang}  " in line]
    active, no_audit = translate("server.state.active", lang), translate("server.audit.none", lang)
    assert f"  {active}  " in row and f"  {no_audit}  " in row
