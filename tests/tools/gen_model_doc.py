"""Regenerate docs/model.md from the model schema."""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests"))
# conftest makes ansible_collections.dcnet.fabric importable
import conftest  # noqa: E402  pylint: disable=unused-import

from ansible_collections.dcnet.fabric.plugins.module_utils.model.docs import collect_samples, model_markdown  # noqa: E402


def example_samples() -> dict:
    """Example values for the page, taken from the bundled models (dc1 first, then small)."""
    samples = {}
    for name in ("dc1", "small"):
        for key, value in collect_samples(conftest.example_model(name)).items():
            samples.setdefault(key, value)
    return samples


def main():
    path = os.path.join(ROOT, "docs", "model.md")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(model_markdown(example_samples()))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
