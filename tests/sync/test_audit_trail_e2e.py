"""A device's audit trail reaches the REAL server with every sync (a `fieldapp-server serve`
process over HTTPS, tests/server/serverproc.py), and an officer who rewrites the local chain is
caught at the next sync (docs/SECURITY.md, "The audit trail").

The device is driven through fieldapp-cli; the officer's rewrite is raw SQL on the vault's
SQLCipher connection, which is what holding the password gives.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from fieldapp.auditchain import GENESIS
from fieldapp.store.audit import entry_hash
from fieldapp.store.replica import AUDIT_ACKED
from tests.drivers.device import Device
from tests.records import PERSON
from tests.server.serverproc import RunningServer

# `officer` (a new officer of the station) and `device` (a laptop, not yet enrolled) are the
# fixtures of tests/sync/conftest.py.


def server_rows(server: RunningServer, table: str) -> list[dict[str, Any]]:
    with sqlite3.connect(server.data_dir / "server.db", timeout=30) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(f"SELECT * FROM {table} ORDER BY id")]  # noqa: S608


def device_id_of(device: Device) -> str:
    device_id: str = device.status()["device_id"]
    return device_id


def acknowledged(device: Device) -> int:
    """The last audit entry the server acknowledged, as the device keeps it."""
    with device.session() as s:
        return int(s.store.get_state(AUDIT_ACKED) or 0)


def listed(server: RunningServer, device_id: str) -> dict[str, Any]:
    (row,) = [d for d in server.admin_json("device", "list") if d["device_id"] == device_id]
    return dict(row)


def rewrite_chain_without(device: Device, action: str) -> None:
    """What the issue describes: drop the append-only triggers, delete the entries of `action`,
    renumber and recompute the whole chain and its head."""
    with device.session() as s:
        conn = s.store.connection
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("DROP TRIGGER audit_log_no_delete")
        rows = conn.execute(
            "SELECT at, actor, action, record_id, outcome, details FROM audit_log ORDER BY seq"
        ).fetchall()
        conn.execute("DELETE FROM audit_log")
        prev, seq = GENESIS, 0
        for at, actor, act, record_id, outcome, details in rows:
            if act == action:
                continue
            seq += 1
            digest = entry_hash(prev, seq, at, actor, act, record_id, outcome, details)
            conn.execute(
                "INSERT INTO audit_log (seq, at, actor, action, record_id, outcome, details,"
                " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (seq, at, actor, act, record_id, outcome, details, prev, digest),
            )
            prev = digest
        conn.execute("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", (seq, prev))
        conn.execute("COMMIT")


def synced_with_an_export(server: RunningServer, officer: str, device: Device) -> None:
    device.enroll(server, officer)
    device.add("person", PERSON)
    device.ok("export", "--out", str(device.data_dir.parent / "people.json"))
    device.sync()


# --- entries arrive ----------------------------------------------------------------------------


def test_a_sync_ships_the_audit_entries_and_the_server_acknowledges_them(
    server: RunningServer,
    officer: str,
    device: Device,
) -> None:
    device.enroll(server, officer)
    device.add("person", PERSON)
    device.sync()
    acked = acknowledged(device)
    with device.session() as s:
        local = {e.seq: e.hash for e in s.store.audit.entries()}
    device_id = device_id_of(device)
    assert acked > 0
    assert listed(server, device_id)["audit_seq"] == acked
    held = {
        r["seq"]: r["hash"]
        for r in server_rows(server, "device_audit")
        if r["device_id"] == device_id
    }
    assert held == {seq: local[seq] for seq in range(1, acked + 1)}


def test_the_next_sync_ships_only_the_entries_after_the_acknowledged_one(
    server: RunningServer, officer: str, device: Device
) -> None:
    device.enroll(server, officer)
    device.sync()
    first = acknowledged(device)
    device.sync()
    second = acknowledged(device)
    device_id = device_id_of(device)
    held = [r["seq"] for r in server_rows(server, "device_audit") if r["device_id"] == device_id]
    assert first < second
    assert held == list(range(1, second + 1))  # each entry once
    assert listed(server, device_id)["audit_flagged_at"] is None


# --- a rewritten chain is caught -----------------------------------------------------------------


def test_the_rewritten_chain_still_verifies_on_the_device(
    server: RunningServer, officer: str, device: Device
) -> None:
    synced_with_an_export(server, officer, device)
    rewrite_chain_without(device, "export")
    assert "intact" in device.ok("audit", "verify").out
    device.ok("check")
    with device.session() as s:
        assert all(e.action != "export" for e in s.store.audit.entries())


def test_a_device_whose_officer_rewrote_the_chain_is_flagged_after_its_next_sync(
    server: RunningServer, officer: str, device: Device
) -> None:
    synced_with_an_export(server, officer, device)
    device_id = device_id_of(device)
    assert listed(server, device_id)["audit_flagged_at"] is None
    rewrite_chain_without(device, "export")
    device.sync()
    row = listed(server, device_id)
    assert row["audit_flagged_at"] is not None
    assert row["audit_problem"].startswith("chain_rewritten")
    text = next(line for line in server.admin("device", "list").splitlines() if device_id in line)
    assert "audit-BROKEN(chain_rewritten" in text


def test_the_break_is_in_the_servers_audit_log(
    server: RunningServer, officer: str, device: Device
) -> None:
    synced_with_an_export(server, officer, device)
    rewrite_chain_without(device, "export")
    device.sync()
    device_id = device_id_of(device)
    breaks = [
        r
        for r in server_rows(server, "audit_log")
        if r["action"] == "device_audit_break" and device_id in r["who"]
    ]
    assert [r["outcome"].split()[0] for r in breaks] == ["chain_rewritten"]


def test_a_flagged_device_keeps_syncing_its_records(
    server: RunningServer, officer: str, device: Device
) -> None:
    synced_with_an_export(server, officer, device)
    rewrite_chain_without(device, "export")
    device.sync()
    device.add("person", {**PERSON, "first_name": "حيدر"})
    assert device.sync()["pushed"] == 1
    assert device.status()["pending"] == 0
    assert listed(server, device_id_of(device))["audit_flagged_at"] is not None


def test_an_admin_clears_the_flag_and_the_clearing_is_audited(
    server: RunningServer, officer: str, device: Device
) -> None:
    synced_with_an_export(server, officer, device)
    rewrite_chain_without(device, "export")
    device.sync()
    device_id = device_id_of(device)
    assert "cleared" in server.admin("device", "clear-audit-flag", device_id)
    assert listed(server, device_id)["audit_flagged_at"] is None
    actions = [r["action"] for r in server_rows(server, "audit_log")]
    assert f"device_audit_clear {device_id}" in actions


# --- metadata only -----------------------------------------------------------------------------


def test_no_record_content_reaches_the_servers_audit_tables(
    server: RunningServer, officer: str, device: Device, tmp_path: Path
) -> None:
    name, phone = "زمرّدة", "07705550199"
    device.enroll(server, officer)
    record_id = device.add("person", {**PERSON, "first_name": name})
    device.edit(record_id, {"phone": phone})
    device.ok("search", name)
    device.show(record_id)
    device.ok("export", "--out", str(tmp_path / f"{name}-{phone}.json"))
    device.sync()
    device.sync()  # ships the entry of the first sync too
    device_id = device_id_of(device)
    shipped = [r for r in server_rows(server, "device_audit") if r["device_id"] == device_id]
    assert {"create", "update", "search", "view", "export"} <= {r["action"] for r in shipped}
    dumped = json.dumps(
        [shipped, server_rows(server, "audit_log")], ensure_ascii=False, default=str
    )
    for value in (name, phone, phone[1:], "+964" + phone[1:]):
        assert value not in dumped
