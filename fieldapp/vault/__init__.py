"""The vault: the bytes on disk and who may read them.

`crypto` (Argon2id, AES-GCM key wrapping, X25519 recovery, versioned envelopes; pure functions),
`vault` (the folder: header with the wrapped data key, the SQLCipher database opened with it, lock
and wipe) and `lockout` (failed-unlock backoff). Atomic 0600 file writes are `fieldapp.atomic`:
the server writes its configuration and keys with them and must not import the vault.
"""
