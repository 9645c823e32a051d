"""Community-police field app: the core (crypto, vault, store, forms, Arabic text, audit).

Pure Python: never imports Qt, HTTP libraries or the server.
"""

__version__ = "0.1.0"
