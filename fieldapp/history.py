"""How a record's history reads to a person: each revision, when, who, on which device, what it
was (created, edited, deleted, merged, a conflict) and the fields it changed, old and new value,
in the person's language. The same object serves the CLI's `history` and the desktop app.

Who made a pulled revision comes from the server (`RecordState.changed_by`); a revision pulled
from a server that did not say is credited to the server, and reads so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fieldapp.dates import local_time
from fieldapp.display import display_value, isolated
from fieldapp.forms.definitions import FormDef
from fieldapp.forms.reference import AdminReference
from fieldapp.messages import translate
from fieldapp.numerals import Digits, default_digits, in_digits
from fieldapp.store.records import Revision
from fieldapp.store.replica import SERVER_AUTHOR
from fieldapp.text import printable

if TYPE_CHECKING:
    from fieldapp.store.store import Store

ARROW = "→"


def format_time(iso: str, lang: str, digits: Digits | None = None) -> str:
    """A stored time as a person reads it: the one place history formats a time, so that a
    localized form (Baghdad time, Iraqi month names) replaces it everywhere at once."""
    return local_time(printable(iso), lang, digits)


@dataclass(frozen=True)
class FieldChange:
    """One field a revision changed: its label and the value before and after, as read
    (`fieldapp.display.display_value`, isolated when put in a line)."""

    key: str
    label: str
    old: Any
    new: Any
    old_shown: str
    new_shown: str

    def text(self) -> str:
        old = isolated(self.old_shown) or "-"
        new = isolated(self.new_shown) or "-"
        return f"  {self.label}: {old} {ARROW} {new}"

    def to_json(self) -> dict[str, Any]:
        return {"field": self.key, "label": self.label, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class RevisionView:
    """One revision as a person reads it. `kind` is created, edited, deleted, merged (the
    server merged concurrent edits), conflict (merged, with fields left for a clerk) or stored
    (the server's copy of the change saved on this device, the same fields)."""

    revision: Revision
    kind: str
    when: str
    who: str
    device: str
    changes: tuple[FieldChange, ...]

    def lines(self, lang: str, digits: Digits | None = None) -> list[str]:
        head = translate(
            f"history.{self.kind}",
            lang,
            when=isolated(self.when),
            who=isolated(self.who),
            device=isolated(self.device),
            rev=in_digits(str(self.revision.rev), digits or default_digits(lang)),
        )
        lines = [head]
        lines += [c.text() for c in self.changes]
        if not self.changes and self.kind not in ("deleted", "stored"):
            lines.append("  " + translate("history.no_change", lang))
        return lines


@dataclass(frozen=True)
class HistoryView:
    """Every revision of one record, oldest first, in one language."""

    record_id: str
    lang: str
    revisions: tuple[RevisionView, ...]
    digits: Digits | None = None

    def lines(self) -> list[str]:
        """The history as text lines, one block per revision."""
        return [line for r in self.revisions for line in r.lines(self.lang, self.digits)]

    def to_json(self) -> list[dict[str, Any]]:
        """Each revision with the keys `history --json` has always had, plus `kind`,
        `device` (its id), `device_name`, `status` and `changes` (field, label, old, new)."""
        rows = []
        for view in self.revisions:
            r = view.revision
            rows.append(
                {
                    "record_id": r.record_id,
                    "local_seq": r.local_seq,
                    "rev": r.rev,
                    "base_rev": r.base_rev,
                    "deleted": r.deleted,
                    "fields": dict(r.fields),
                    "author": r.author,
                    "at": r.at,
                    "origin": r.origin,
                    "change_id": r.change_id,
                    "device": r.device,
                    "device_name": r.device_name,
                    "status": r.status,
                    "kind": view.kind,
                    "changes": [c.to_json() for c in view.changes],
                }
            )
        return rows


def history_view(
    store: Store, record_id: str, lang: str, digits: Digits | None = None
) -> HistoryView:
    """Read a record's history (audited as a view of the record) and lay it out in `lang`
    and the reader's `digits` (None: the language's own)."""
    revisions = store.history(record_id)
    store.record_audit("view", record_id=record_id, details={"history": True})
    form = store.forms.get(store.get(record_id).type)
    views = []
    before: Revision | None = None
    for revision in revisions:
        views.append(
            RevisionView(
                revision=revision,
                kind=_kind(revision, before),
                when=format_time(revision.at, lang, digits),
                who=_who(revision, lang),
                device=_device(revision, lang),
                changes=changes_between(
                    form,
                    before.fields if before else {},
                    revision.fields,
                    lang,
                    store.reference,
                    digits,
                ),
            )
        )
        before = revision
    return HistoryView(record_id, lang, tuple(views), digits)


def changes_between(
    form: FormDef,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    lang: str,
    reference: AdminReference | None = None,
    digits: Digits | None = None,
) -> tuple[FieldChange, ...]:
    """The fields whose value differs between two states, in form order (fields the form no
    longer knows follow, by key)."""
    keys = [f.key for f in form.fields]
    keys += sorted((old.keys() | new.keys()) - set(keys))
    changes = []
    for key in keys:
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if form.has(key):
            field = form.field(key)
            label = field.label(lang)
            shown = (
                printable(display_value(field, before, lang, reference, digits)),
                printable(display_value(field, after, lang, reference, digits)),
            )
        else:
            label = printable(key)
            shown = (
                "" if before is None else printable(str(before)),
                "" if after is None else printable(str(after)),
            )
        changes.append(FieldChange(key, label, before, after, *shown))
    return tuple(changes)


def _kind(revision: Revision, before: Revision | None) -> str:
    if (
        before is not None
        and revision.origin == "server"
        and before.origin == "local"
        and revision.status in (None, "applied")
        and revision.deleted == before.deleted
        and dict(revision.fields) == dict(before.fields)
    ):
        return "stored"  # the server's copy of the change saved here: nothing new
    if revision.deleted and (before is None or not before.deleted):
        return "deleted"
    if revision.status in ("merged", "conflict"):
        return revision.status
    return "created" if before is None else "edited"


def _who(revision: Revision, lang: str) -> str:
    if revision.origin == "server" and revision.author == SERVER_AUTHOR:
        return translate("history.server_unknown", lang)
    return printable(revision.author)


def _device(revision: Revision, lang: str) -> str:
    if revision.origin == "local":
        return translate("history.this_device", lang)
    if revision.device_name:
        return printable(revision.device_name)
    if revision.device:
        return printable(revision.device)
    return translate("history.device_unknown", lang)
