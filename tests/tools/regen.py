"""Run every tests/tools/regen_*.py (each regenerates one family of golden files)."""

from __future__ import annotations

import glob
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main() -> int:
    failed = 0
    for script in sorted(glob.glob(os.path.join(HERE, "regen_*.py"))):
        print(f"==> {os.path.basename(script)}")
        failed |= subprocess.call([sys.executable, script]) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
