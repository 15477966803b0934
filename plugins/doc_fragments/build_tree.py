# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""Documentation shared by the modules that read the site's build tree (intended, rollout)."""

from __future__ import annotations


class ModuleDocFragment:
    """Where the build tree is, which site, and that reading it changes nothing."""

    DOCUMENTATION = r"""
options:
  build_dir:
    description: Build root holding C(<site>/); default C(build/) beside the inventory.
    type: path
  site:
    description: Site name; default C(dcnet_site.name) of the inventory.
    type: str
attributes:
  check_mode:
    support: full
    details: Only reads.
  diff_mode:
    support: none
  platform:
    platforms: all
    details: Runs on the controller.
"""
