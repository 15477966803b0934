"""docs/model.md is generated from the schema: the committed page must be current."""

import importlib.util
import os

from ansible_collections.dcnet.fabric.plugins.module_utils.model import schema
from ansible_collections.dcnet.fabric.plugins.module_utils.model.docs import model_markdown

from .conftest import ROOT


def _generator():
    spec = importlib.util.spec_from_file_location("gen_model_doc", os.path.join(ROOT, "tests", "tools", "gen_model_doc.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_model_doc_is_current():
    with open(os.path.join(ROOT, "docs", "model.md"), encoding="utf-8") as handle:
        expected = model_markdown(_generator().example_samples())
        assert handle.read() == expected, "run: .venv/bin/python tests/tools/gen_model_doc.py"


def test_every_key_has_an_example():
    text = model_markdown(_generator().example_samples())
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    missing = [row.split("|")[1].strip() for row in rows if not row.rstrip().rstrip("|").split("|")[-1].strip()]
    # keys no bundled example sets and the schema gives no example for: acceptable only when listed here
    assert missing == [], missing


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
