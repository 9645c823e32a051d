"""Tests of the central sync server."""
