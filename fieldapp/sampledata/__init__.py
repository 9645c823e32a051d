"""Seeded, realistic sample records for tests, benchmarks and the demo.

Never imported by the core at run time. Imports run one way: `phrases` (the phrase banks, data
in resources/sample/phrases.json) <- `households` (the generator's state, persons, households)
<- `activities` (one builder per activity form) <- `generator` (`generate`, `records_of_size`,
the command line) <- `demo`.
"""
