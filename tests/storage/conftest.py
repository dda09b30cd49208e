"""The storage tests run against a real S3-compatible server (tests/s3.py)."""

from tests.caseplans.conftest import case_task, given_case, vignette  # noqa: F401
from tests.s3 import s3_bucket, s3_endpoint  # noqa: F401
