"""docs/model.md is generated from the schema: the committed page must be current."""

import os

from ansible_collections.dcnet.fabric.plugins.module_utils.model import schema
from ansible_collections.dcnet.fabric.plugins.module_utils.model.docs import model_markdown

from .conftest import ROOT


def test_model_doc_is_current():
    with open(os.path.join(ROOT, "docs", "model.md"), encoding="utf-8") as handle:
        assert handle.read() == model_markdown(), "run: .venv/bin/python tests/tools/gen_model_doc.py"


def test_every_key_is_documented():
    def walk(spec, path):
        fields = getattr(spec, "fields", None)
        if fields:
            for key, field in fields.items():
                assert field.doc, f"{path}.{key} has no documentation"
                walk(field.spec, f"{path}.{key}")
        for attr in ("item", "value", "obj"):
            if hasattr(spec, attr) and not callable(getattr(spec, attr)):
                walk(getattr(spec, attr), path)
    walk(schema.MODEL, "")
