"""Regenerate docs/model.schema.json (the model as JSON Schema) from the loader's specs."""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests"))
import conftest  # noqa: E402,F401  pylint: disable=unused-import

from ansible_collections.dcnet.fabric.plugins.module_utils.model.json_schema import to_text  # noqa: E402

PATH = os.path.join(ROOT, "docs", "model.schema.json")


def main():
    with open(PATH, "w", encoding="utf-8") as handle:
        handle.write(to_text())
    print(f"wrote {PATH}")


if __name__ == "__main__":
    main()
