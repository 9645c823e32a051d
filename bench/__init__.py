"""Benchmarks (python -m bench.run_all). They make throwaway vaults, most with the test suite's
cheap Argon2 costs where the KDF is not what they measure, so a run of them is a test run
(docs/SECURITY.md "The key derivation floor"); `bench.unlock` measures the production costs."""

import os

from fieldapp.vault import kdf_policy

os.environ[kdf_policy.PROFILE_ENV] = kdf_policy.TEST_KDF_PROFILE
os.environ[kdf_policy.TEST_RUN_ENV] = kdf_policy.TEST_RUN_VALUE
