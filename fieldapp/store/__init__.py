"""The store: records inside an unlocked vault.

`db` (connections, transactions, the sqlite-utils bridge, the migration runner), `migrations`
(numbered schema steps), `records` (value objects), `store` (records with history, outbox, search
shadow), `numbers` (station-year-seq numbers from reserved blocks), `attachments` (files as
encrypted chunks), `audit` (the hash-chained log) and `replica` (the device side of sync, free of
HTTP).
"""
