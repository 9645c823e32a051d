"""Seeded, realistic sample records for tests, benchmarks and the demo.

Never imported by the core at run time; the phrases it draws on are data in resources/sample.
"""
