# Copyright: contributors to dcnet.fabric
# Apache License 2.0 (see LICENSE)

"""dcnet.fabric.inner_mtu filter: a thin adapter over the engine's mtu.inner_mtu."""

from __future__ import annotations

DOCUMENTATION = r"""
name: inner_mtu
author:
- dcnet.fabric maintainers
version_added: 0.1.0
short_description: MTU left inside an overlay
description:
- 'Subtracts the overlay overhead from an underlay IP MTU: VXLAN 50 bytes over IPv4, 70 over IPv6;'
- Geneve the same plus its options; OVN-Kubernetes reserves a fixed 100; IPsec adds 46 more.
- All MTUs are IP (L3) MTUs as Linux, NMState, EOS and NX-OS configure them; see docs/filters.md.
positional: _input, overlay, underlay_family, ipsec, geneve_options
options:
  _input:
    description: The underlay IP MTU.
    type: int
    required: true
  overlay:
    description: The overlay.
    type: str
    required: true
    choices:
    - none
    - vxlan
    - geneve
    - ovn-k
  underlay_family:
    description: IP family of the underlay.
    type: int
    default: 4
    choices:
    - 4
    - 6
  ipsec:
    description: Whether the overlay is encrypted with IPsec.
    type: bool
    default: false
  geneve_options:
    description: Bytes of Geneve options (multiple of 4), with O(overlay=geneve) only.
    type: int
    default: 0
notes:
- Bad input fails the task with a message naming the filter, the argument and the value; the filter never returns
  V(false) or an empty string for bad input.
"""

EXAMPLES = r"""
- name: VXLAN over IPv4
  ansible.builtin.debug:
    msg: "{{ 9000 | dcnet.fabric.inner_mtu('vxlan') }}"
  # => 8950

- name: VXLAN over IPv6
  ansible.builtin.debug:
    msg: "{{ 9000 | dcnet.fabric.inner_mtu('vxlan', 6) }}"
  # => 8930

- name: OVN-Kubernetes with IPsec
  ansible.builtin.debug:
    msg: "{{ 1500 | dcnet.fabric.inner_mtu('ovn-k', ipsec=true) }}"
  # => 1354

- name: Unknown overlay
  ansible.builtin.debug:
    msg: "{{ 1500 | dcnet.fabric.inner_mtu('gre') }}"
  # fails: inner_mtu: overlay 'gre' must be one of none, vxlan, geneve, ovn-k...
"""

RETURN = r"""
_value:
  type: int
  description: The MTU inside the overlay.
"""

from ansible_collections.dcnet.fabric.plugins.module_utils import mtu as _engine
from ansible_collections.dcnet.fabric.plugins.plugin_utils.filter_errors import engine_filter

inner_mtu = engine_filter("inner_mtu", _engine.inner_mtu)


class FilterModule:
    """dcnet.fabric.inner_mtu."""

    def filters(self):
        return {"inner_mtu": inner_mtu}
