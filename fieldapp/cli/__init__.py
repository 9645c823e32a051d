"""`fieldapp-cli`: the core without a GUI, for station IT and scripts.

The console script is `sync.client.cli:run`, which adds the sync commands to the core's.
"""
