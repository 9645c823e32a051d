"""Push: each change of a batch in its own transaction (docs/SYNC.md, Push, steps 1-8)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Row, insert, select, update
from sqlalchemy import exc as sa_exc

from fieldapp.errors import InvalidInput
from fieldapp.forms.definitions import FormDef, FormRegistry
from fieldapp.forms.reference import AdminReference
from fieldapp.forms.validation import ValidationFailed, person_age, validate
from sync.protocol import MAX_FIELDS_JSON_BYTES, Change, ChangeResult, FieldProblem
from sync.server import schema as t
from sync.server.accounts import DeviceIdentity
from sync.server.database import retrying, writing
from sync.server.feed import FeedSequencer
from sync.server.merge import DELETED, EMPTY, Clash, RecordData, keep_head, same, three_way
from sync.server.metadata import created_at_problem, kept_change, number_problem, storable
from sync.server.schema import iso

log = logging.getLogger("fieldapp.server")

IRAQ_OFFSET = timedelta(hours=3)  # Arabia Standard Time, no daylight saving


def iraq_today(moment: datetime) -> date:
    """The date in Iraq at `moment`: what "today" means to the validator on the server."""
    return (moment + IRAQ_OFFSET).date()


class Rejected(Exception):
    """Internal: the change is refused with `reason` (and field problems)."""

    def __init__(self, reason: str, problems: list[FieldProblem] | None = None) -> None:
        self.reason = reason
        self.problems = problems or []
        super().__init__(reason)


@dataclass(frozen=True)
class _Base:
    rev: int
    data: RecordData
    exact: bool  # True if `data` is the head's state at `rev` (so base == head means no merge)


class PushApplier:
    """Applies changes; stateless between calls (every fact lives in the database)."""

    def __init__(
        self,
        engine: Engine,
        forms: FormRegistry,
        reference: AdminReference,
        clock: Callable[[], datetime],
        sequencer: FeedSequencer,
    ) -> None:
        self._engine = engine
        self._forms = forms
        self._reference = reference
        self._clock = clock
        self._sequencer = sequencer

    def apply(self, identity: DeviceIdentity, change: Change) -> ChangeResult:
        """One change in one transaction (retried after a lost race, e.g. two devices
        creating the same record at once, or the same batch arriving twice in parallel).

        A change that gets past every check and still cannot be stored is rejected alone
        (`unstorable`), so it never costs the rest of its batch their results."""
        try:
            return retrying(lambda: self._apply_once(identity, change))
        except Exception as error:
            if not _unstorable(error):
                raise
            # The type only: the message may quote the change's content.
            log.warning("change %s not storable (%s)", change.change_id, type(error).__name__)
            return retrying(lambda: self._reject_alone(identity, change, Rejected("unstorable")))

    def _apply_once(self, identity: DeviceIdentity, change: Change) -> ChangeResult:
        with writing(self._engine) as conn:
            reserved = self._sequencer.at_start(conn)
            replayed = _replayed(conn, identity, change)
            if replayed is not None:
                return replayed
            head = conn.execute(
                select(t.records).where(t.records.c.id == change.record_id).with_for_update()
            ).first()
            try:
                form = self._authorise(identity, change, head)
                self._check_metadata(conn, identity, change, head)
                incoming = self._checked(conn, form, change, head)
                return self._store(conn, identity, change, form, head, incoming, reserved)
            except Rejected as refusal:
                return self._reject(conn, identity, change, refusal)

    def _reject_alone(
        self, identity: DeviceIdentity, change: Change, refusal: Rejected
    ) -> ChangeResult:
        with writing(self._engine) as conn:
            replayed = _replayed(conn, identity, change)
            if replayed is not None:
                return replayed
            return self._reject(conn, identity, change, refusal)

    # --- checks -----------------------------------------------------------------------------

    def _authorise(
        self, identity: DeviceIdentity, change: Change, head: Row[Any] | None
    ) -> FormDef:
        if not identity.can_write:
            raise Rejected("read_only")
        if head is not None and head.station != identity.station:
            raise Rejected("forbidden_station")
        if head is not None and head.type != change.record_type:
            raise Rejected("type_mismatch")
        if change.record_type not in self._forms:
            raise Rejected("unknown_type")
        size = len(json.dumps(change.fields, ensure_ascii=False).encode("utf-8"))
        if size > MAX_FIELDS_JSON_BYTES:
            raise Rejected("too_large")
        return self._forms.get(change.record_type)

    def _check_metadata(
        self, conn: Connection, identity: DeviceIdentity, change: Change, head: Row[Any] | None
    ) -> None:
        """`created_at` and `number` as sane as sync/server/metadata.py says. A number is
        checked when it is to be stored (a record's first one); the head's number stays, so a
        number sent back with a later edit is ignored."""
        problem = created_at_problem(change.created_at, self._clock())
        if problem is None and change.number is not None and (head is None or not head.number):
            problem = number_problem(conn, identity, change.number)
        if problem is not None:
            raise Rejected(problem)

    def _checked(
        self, conn: Connection, form: FormDef, change: Change, head: Row[Any] | None
    ) -> RecordData:
        """The change's state with its fields re-validated and cleaned by the server."""
        deleting = change.op == "delete"
        try:
            fields = self._validate(conn, form, change.fields)
        except Rejected:
            if deleting and head is not None:
                # Deleting needs no valid fields: keep the server's fields in the tombstone.
                return RecordData(dict(head.fields), True)
            raise
        return RecordData(fields, deleting)

    def _validate(
        self, conn: Connection, form: FormDef, fields: Mapping[str, Any]
    ) -> dict[str, Any]:
        today = iraq_today(self._clock())
        try:
            checked = validate(
                form,
                fields,
                reference=self._reference,
                today=today,
                party_ages=_party_ages(conn, form, fields, today),
            )
        except ValidationFailed as failed:
            problems = [
                FieldProblem(field=e.field[:200], rule=e.rule[:200], params=_jsonable(e.params))
                for e in failed.errors
            ]
            raise Rejected("invalid", problems) from None
        except InvalidInput as bad:
            raise Rejected("invalid", [FieldProblem(field="", rule=bad.key)]) from None
        return dict(checked.fields)

    # --- writing ----------------------------------------------------------------------------

    def _store(
        self,
        conn: Connection,
        identity: DeviceIdentity,
        change: Change,
        form: FormDef,
        head: Row[Any] | None,
        incoming: RecordData,
        reserved: int | None,
    ) -> ChangeResult:
        now = iso(self._clock())
        clashes: tuple[Clash, ...] = ()
        if head is None:
            rev, data, status = 1, incoming, "applied"
        else:
            base = self._base(conn, identity, change, head)
            current = RecordData(dict(head.fields), head.deleted)
            rev = head.rev + 1
            if base.exact and base.rev == head.rev:
                data, status = incoming, "applied"
            else:
                outcome = three_way(base.data, current, incoming)
                try:
                    fields = self._validate(conn, form, outcome.data.fields)
                    outcome = type(outcome)(
                        RecordData(fields, outcome.data.deleted), outcome.clashes
                    )
                except Rejected:
                    outcome = keep_head(base.data, current, incoming)
                data, clashes = outcome.data, outcome.clashes
                status = "conflict" if clashes else "merged"
        seq = self._sequencer.at_end(conn, reserved)  # under the counter lock until commit
        values = {
            "form_version": form.version,
            "rev": rev,
            "seq": seq,
            "deleted": data.deleted,
            "fields": dict(data.fields),
            "updated_at": now,
        }
        if head is None:
            conn.execute(
                insert(t.records).values(
                    id=change.record_id,
                    station=identity.station,
                    type=change.record_type,
                    number=change.number,
                    conflict=False,
                    created_by=identity.username,
                    created_at=change.created_at,
                    **values,
                )
            )
        else:
            conn.execute(
                update(t.records)
                .where(t.records.c.id == change.record_id)
                .values(number=head.number or change.number, **values)
            )
        conn.execute(
            insert(t.revisions).values(
                record_id=change.record_id,
                rev=rev,
                deleted=data.deleted,
                fields=dict(data.fields),
                change_id=change.change_id,
                status=status,
                device_id=identity.device_id,
                username=identity.username,
                at=now,
            )
        )
        if clashes and head is not None:
            self._record_conflicts(conn, identity, change, head, rev, clashes, now)
        result = _result(change, status, rev=rev)
        conn.execute(
            insert(t.changes).values(
                change_id=change.change_id,
                record_id=change.record_id,
                device_id=identity.device_id,
                username=identity.username,
                status=status,
                rev=rev,
                result=result.model_dump(mode="json"),
                state=incoming.to_json(),
                at=now,
            )
        )
        return result

    def _base(
        self, conn: Connection, identity: DeviceIdentity, change: Change, head: Row[Any]
    ) -> _Base:
        """The state the change was made on (step 4: a follow-up of this device's own change
        that the server applied at R > base_rev is based on what the device sent then)."""
        if change.prev_change_id is not None:
            prev = conn.execute(
                select(t.changes).where(
                    t.changes.c.change_id == change.prev_change_id,
                    t.changes.c.device_id == identity.device_id,
                    t.changes.c.record_id == change.record_id,
                    t.changes.c.rev.is_not(None),
                )
            ).first()
            if prev is not None and prev.rev > change.base_rev and prev.state is not None:
                return _Base(prev.rev, RecordData.from_json(prev.state), prev.status == "applied")
        if change.base_rev > head.rev:
            raise Rejected("bad_base_rev")
        if change.base_rev == 0:
            return _Base(0, EMPTY, head.rev == 0)
        row = conn.execute(
            select(t.revisions).where(
                t.revisions.c.record_id == change.record_id,
                t.revisions.c.rev == change.base_rev,
            )
        ).first()
        if row is None:
            raise Rejected("bad_base_rev")
        return _Base(change.base_rev, RecordData(dict(row.fields), row.deleted), True)

    def _record_conflicts(
        self,
        conn: Connection,
        identity: DeviceIdentity,
        change: Change,
        head: Row[Any],
        rev: int,
        clashes: tuple[Clash, ...],
        now: str,
    ) -> None:
        history = conn.execute(
            select(t.revisions)
            .where(t.revisions.c.record_id == change.record_id, t.revisions.c.rev <= head.rev)
            .order_by(t.revisions.c.rev.desc())
        ).all()
        for clash in clashes:
            setter = _setter(history, clash)
            head_value = {
                "value": clash.head,
                "change_id": setter.change_id,
                "username": setter.username,
                "rev": setter.rev,
            }
            incoming_value = {
                "value": clash.incoming,
                "change_id": change.change_id,
                "username": identity.username,
                "rev": rev,
            }
            existing = conn.execute(
                select(t.conflicts.c.id, t.conflicts.c["values"]).where(
                    t.conflicts.c.record_id == change.record_id,
                    t.conflicts.c.field == clash.field,
                    t.conflicts.c.status == "open",
                )
            ).first()
            if existing is None:
                conn.execute(
                    insert(t.conflicts).values(
                        record_id=change.record_id,
                        field=clash.field,
                        base=clash.base,
                        values=[head_value, incoming_value],
                        status="open",
                        created_at=now,
                    )
                )
                continue
            values = list(existing[1])
            for entry in (head_value, incoming_value):
                if not any(same(v["value"], entry["value"]) for v in values):
                    values.append(entry)
            conn.execute(
                update(t.conflicts).where(t.conflicts.c.id == existing.id).values(values=values)
            )
        conn.execute(
            update(t.records).where(t.records.c.id == change.record_id).values(conflict=True)
        )

    def _reject(
        self, conn: Connection, identity: DeviceIdentity, change: Change, refusal: Rejected
    ) -> ChangeResult:
        now = iso(self._clock())
        # Kept as every backend stores it, whatever the change held (metadata.storable).
        problems = [
            FieldProblem(field=storable(p.field), rule=storable(p.rule), params=storable(p.params))
            for p in refusal.problems
        ]
        result = _result(change, "rejected", reason=refusal.reason, problems=problems)
        conn.execute(
            insert(t.rejections).values(
                change_id=change.change_id,
                record_id=change.record_id,
                station=identity.station,
                device_id=identity.device_id,
                username=identity.username,
                reason=refusal.reason,
                problems=[p.model_dump(mode="json") for p in problems],
                change=kept_change(change),
                at=now,
            )
        )
        conn.execute(
            insert(t.changes).values(
                change_id=change.change_id,
                record_id=change.record_id,
                device_id=identity.device_id,
                username=identity.username,
                status="rejected",
                rev=None,
                result=result.model_dump(mode="json"),
                state=None,
                at=now,
            )
        )
        return result


def _replayed(conn: Connection, identity: DeviceIdentity, change: Change) -> ChangeResult | None:
    """The first answer to a change the server has seen before (None: a new change)."""
    prior = conn.execute(select(t.changes).where(t.changes.c.change_id == change.change_id)).first()
    if prior is None:
        return None
    if prior.device_id != identity.device_id:
        return _result(change, "rejected", reason="change_id_reused")
    return ChangeResult.model_validate(prior.result)


def _unstorable(error: Exception) -> bool:
    """An error the change's own content caused: a value the database refuses (PostgreSQL: a
    NUL, a bad JSON token, out of range) or one no encoder takes. Busy databases, lost races
    and bugs elsewhere stay errors of the request."""
    if isinstance(error, sa_exc.DataError):
        return True
    if isinstance(error, sa_exc.StatementError) and not isinstance(error, sa_exc.DBAPIError):
        return True  # failed while binding parameters (e.g. serialising JSON)
    return isinstance(error, ValueError | RecursionError)


def _result(
    change: Change,
    status: str,
    *,
    rev: int | None = None,
    reason: str | None = None,
    problems: list[FieldProblem] | None = None,
) -> ChangeResult:
    return ChangeResult.model_validate(
        {
            "change_id": change.change_id,
            "record_id": change.record_id,
            "status": status,
            "rev": rev,
            "reason": reason,
            "problems": problems or [],
        }
    )


def _setter(history: Sequence[Row[Any]], clash: Clash) -> Row[Any]:
    """The oldest revision of the unbroken run (from the head down) holding the head's value:
    the change that put that value there."""
    setter = history[0]
    for row in history:
        value = row.deleted if clash.field == DELETED else row.fields.get(clash.field)
        if not same(value, clash.head):
            break
        setter = row
    return setter


def _party_ages(
    conn: Connection, form: FormDef, fields: Mapping[str, Any], today: date
) -> dict[str, int | None]:
    """Ages of the persons the record names as parties (the `age_flag` rules), from the heads
    on the server, as the device computes them from its store."""
    ids: list[str] = []
    for rule in form.rules:
        for key in rule.parties:
            value = fields.get(key)
            ids.extend(
                v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)
            )
    ids = list(dict.fromkeys(i for i in ids if len(i) <= 64))[:50]
    if not ids:
        return {}
    ages: dict[str, int | None] = dict.fromkeys(ids)
    rows = conn.execute(
        select(t.records.c.id, t.records.c.fields).where(
            t.records.c.id.in_(ids), t.records.c.type == "person"
        )
    ).all()
    for row in rows:
        ages[row.id] = person_age(row.fields, today)
    return ages


def _jsonable(value: Mapping[str, Any]) -> dict[str, Any]:
    return dict(json.loads(json.dumps(dict(value), ensure_ascii=False, default=str)))
