from ove.conftest import dc1, schemas, small  # noqa: F401  pylint: disable=unused-import
