from .fixtures import world  # noqa: F401  (the hand-computed programme)
