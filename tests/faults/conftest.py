from tests.security.worker import worker_factory  # noqa: F401
