"""The record form: generated from a record type's definition, validated as the officer types,
kept as an encrypted draft, saved on the vault's worker (`RecordEditor`)."""

from ui.forms.editor import RecordEditor

__all__ = ["RecordEditor"]
