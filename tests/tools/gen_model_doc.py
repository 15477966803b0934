"""Regenerate docs/model.md from the model schema."""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests"))
# conftest makes ansible_collections.dcnet.fabric importable
import conftest  # noqa: E402  pylint: disable=unused-import

from ansible_collections.dcnet.fabric.plugins.module_utils.model.docs import model_markdown  # noqa: E402


def main():
    path = os.path.join(ROOT, "docs", "model.md")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(model_markdown())
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
