"""The device side of sync over HTTP: `transport` (pinned `requests` session), `enroll`,
`engine` (push, pull, files, retries) and `cli` (the sync commands of `fieldapp-cli`).
"""
