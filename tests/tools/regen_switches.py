"""Regenerate the switch golden files: tests/unit/golden/small/switches/.

examples/small as is (FRR: <device>.cfg + <device>.interfaces) and the same
site on EOS and NX-OS (eos/<device>.cfg, nxos/<device>.cfg).  Review the diff.
"""

from __future__ import annotations

import os
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)
from tests import conftest  # noqa: E402  (makes ansible_collections.dcnet.fabric importable)
from tests.unit.switches import models  # noqa: E402

assert conftest.ROOT == ROOT

VARIANTS = {"": "frr", "eos": "eos", "nxos": "nxos"}


def main() -> int:
    if os.path.isdir(models.GOLDEN):
        shutil.rmtree(models.GOLDEN)
    for folder, platform in VARIANTS.items():
        result = models.build(models.small(platform), targets=("switches",))
        if models.errors(result):
            print(f"{platform}: {models.errors(result)}", file=sys.stderr)
            return 1
        out = os.path.join(models.GOLDEN, folder)
        os.makedirs(out, exist_ok=True)
        for name, text in sorted(models.switch_files(result).items()):
            with open(os.path.join(out, name), "w", encoding="utf-8") as handle:
                handle.write(text)
        print(f"wrote {len(models.switch_files(result))} files to {os.path.relpath(out, ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
