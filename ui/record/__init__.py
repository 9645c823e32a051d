"""The record page: a record's fields, linked records, conflicts, files and history, and its
printed documents (summary, pledge)."""
