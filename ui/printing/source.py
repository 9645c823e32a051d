"""What a record's printed documents are made from, read on the vault worker in one go."""

from __future__ import annotations

from dataclasses import dataclass

from fieldapp.dates import local_time
from fieldapp.display import standing_alone
from fieldapp.forms.definitions import FormDef
from fieldapp.messages import translate
from fieldapp.numerals import Digits
from fieldapp.presentation import FieldView, RecordView, record_view
from fieldapp.store.store import Store
from fieldapp.text import printable
from ui.printing.document import long_date


@dataclass(frozen=True)
class OpenedRecord:
    """A record opened for a person (audited once), laid out in their language, with its form
    and who is printing it: everything the record page and its documents show."""

    view: RecordView
    form: FormDef
    officer: str
    station: str | None
    opened_at: str  # ISO time the record was read

    @property
    def lang(self) -> str:
        return self.view.lang

    def shown_value(self, shown: FieldView, digits: Digits | None = None) -> str:
        """A field's value as read: a date with its month's name as said in Iraq."""
        raw = self.view.record.fields.get(shown.key)
        is_date = self.form.has(shown.key) and self.form.field(shown.key).type == "date"
        if is_date and isinstance(raw, str):
            return long_date(raw, self.lang, digits)
        return standing_alone(shown.value)

    def station_text(self) -> str:
        if self.station:
            return printable(self.station)
        return translate("printing.no_station", self.lang)

    def printed_line(self, digits: Digits | None = None) -> str:
        """Who printed the document, at which station and when (Baghdad time)."""
        return translate(
            "printing.printed_by",
            self.lang,
            officer=printable(self.officer),
            station=self.station_text(),
            at=local_time(self.opened_at, self.lang, digits),
        )


def read_record(store: Store, record_id: str, lang: str) -> OpenedRecord:
    """Read a record for display and print (on the vault worker: it touches the store)."""
    view = record_view(store, record_id, lang)
    return OpenedRecord(
        view=view,
        form=store.forms.get(view.record.type),
        officer=store.actor,
        station=store.station_id,
        opened_at=store.now_iso(),
    )
