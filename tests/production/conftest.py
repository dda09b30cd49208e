from tests.s3 import s3_bucket, s3_endpoint  # noqa: F401
