"""Names are checked at load with each target's rule; any accepted name renders safe paths and valid manifests."""

from __future__ import annotations

import copy
import os
import re

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline
from ansible_collections.dcnet.fabric.plugins.module_utils.findings import ModelError
from ansible_collections.dcnet.fabric.plugins.module_utils.model.loader import load_model

from .harness import example, run

DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
DNS_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
LABEL_VALUE = re.compile(r"([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?")
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: the same data, faster
# Kinds whose metadata.name is a DNS-1123 label; every other kind here takes a DNS-1123 subdomain.
LABEL_KINDS = {"Namespace"}


def _label(longest):
    return st.from_regex(rf"[a-z0-9](?:[-a-z0-9]{{0,{longest - 2}}}[a-z0-9])?", fullmatch=True)


SUBDOMAIN = st.lists(_label(20), min_size=1, max_size=4).map(".".join)
IFNAME = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,14}", fullmatch=True)
# a bond name the VLAN suffix '.4094' still fits (longer ones are the hosts family's interface-name check)
BOND = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_-]{0,9}", fullmatch=True)


def _replace(node, old, new):
    """Every string (value or key) equal to ``old`` becomes ``new``: a name and every reference to it."""
    if isinstance(node, dict):
        return {(new if k == old else k): _replace(v, old, new) for k, v in node.items()}
    if isinstance(node, list):
        return [_replace(v, old, new) for v in node]
    return new if node == old else node


def _every_string(node, out):
    if isinstance(node, dict):
        for key, value in node.items():
            out.add(key)
            _every_string(value, out)
    elif isinstance(node, list):
        for value in node:
            _every_string(value, out)
    elif isinstance(node, str):
        out.add(node)
    return out


BASE = example("small")
TAKEN = _every_string(BASE, set())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(node=_label(63), cluster=_label(40), site=_label(63), network=_label(32), azure_node=_label(15),
       namespace=_label(63), vm_namespace=_label(63), secret=SUBDOMAIN, bfd=SUBDOMAIN, pool=SUBDOMAIN,
       bond=BOND, bridge=IFNAME)
def test_any_accepted_name_renders_safe_paths_and_valid_manifests(  # pylint: disable=too-many-arguments
        node, cluster, site, network, azure_node, namespace, vm_namespace, secret, bfd, pool, bond, bridge):
    names = [node, cluster, site, network, azure_node, namespace, vm_namespace, secret, bfd, pool, bond, bridge]
    assume(len(set(names)) == len(names) and not set(names) & TAKEN and not azure_node.isdigit())
    raw = copy.deepcopy(BASE)
    for old, new in (("ove-w1", node), ("ove-small", cluster), ("vm-db", network), ("azl-n1", azure_node)):
        raw = _replace(raw, old, new)
    raw["site"]["name"] = site
    ove = raw["clusters"][0]
    ove["metallb"].update(namespace=namespace, password_secret=secret, bfd_profile=bfd)
    ove["metallb"]["pools"][0]["name"] = pool
    ove["bond"]["name"] = bond
    ove.setdefault("ove", {}).update(vm_namespace=vm_namespace, ovs_bridge=bridge)
    result = pipeline.build(raw, from_vars=False)
    assert not [f for f in result["findings"] if f["severity"] == "error"], result["findings"]
    assert result["stage"] == "render" and result["files"]
    build = os.path.join(os.sep, "srv", "build")
    root = os.path.join(build, result["site"])
    assert result["site"] == site
    for path in result["files"]:
        full = os.path.normpath(os.path.join(root, path))
        assert not os.path.isabs(path) and full.startswith(root + os.sep), path
        assert all(part not in ("", ".", "..") for part in path.split("/")), path
        if path.startswith("ove/") and path.endswith((".yaml", ".yml")) and "/install/" not in path:
            for doc in yaml.load_all(result["files"][path], Loader=LOADER):  # nosec B506 - a safe loader
                _assert_valid_object(doc, path)


def _assert_valid_object(doc, path):
    meta = doc["metadata"]
    name = meta["name"]
    rule, longest = (DNS_LABEL, 63) if doc["kind"] in LABEL_KINDS else (DNS_SUBDOMAIN, 253)
    assert rule.fullmatch(name) and len(name) <= longest, (path, doc["kind"], name)
    if "namespace" in meta:
        assert DNS_LABEL.fullmatch(meta["namespace"]) and len(meta["namespace"]) <= 63, (path, meta)
    selector = (doc.get("spec") or {}).get("nodeSelector") or {}
    for value in selector.values():
        assert LABEL_VALUE.fullmatch(value) and len(value) <= 63, (path, selector)


@pytest.mark.parametrize("path, value, rule", [
    ("site.name", "dc1/../../etc", "MODEL003"),
    ("site.name", "DC1", "MODEL003"),
    ("fabric.spines[0].name", "spine_1", "MODEL003"),
    ("clusters[0].metallb.namespace", "../../x", "MODEL003"),
    ("clusters[0].metallb.password_secret", "Secret Name", "MODEL003"),
    ("clusters[0].metallb.bfd_profile", "a" * 254, "MODEL003"),
    ("clusters[0].ove.vm_namespace", "vm.networks", "MODEL003"),
    ("clusters[0].bond.name", "bond0-with-a-long-name", "MODEL003"),
    ("clusters[0].nodes[0].name", "w1..", "MODEL003"),
    ("networks[0].description", "x\u2028vlan 9", "MODEL003"),
    ("fabric.bgp.password_var", "{{ lookup('pipe', 'id') }}", "MODEL003"),
])
def test_names_are_refused_with_the_targets_rule(path, value, rule):
    raw = example("small")
    node = raw
    keys = re.findall(r"[^.\[\]]+", path)
    for key in keys[:-1]:
        node = node[int(key)] if isinstance(node, list) else node.setdefault(key, {})
    node[keys[-1]] = value
    with pytest.raises(ModelError) as info:
        load_model(raw)
    assert rule in {f.rule for f in info.value.findings}, info.value


@pytest.mark.parametrize("value, accepted", [
    (150, 150), ("150", 150), ("0150", None), (" 150", None), ("+150", None), ("1e3", None),
    ("\u0661\u0665\u0660", None), ("\u00b2", None), ("9" * 5000, None), ("", None),
])
def test_quoted_vlan_numbers(value, accepted):
    """A plain decimal string is read as a number (templated values are strings before ansible-core 2.19);
    anything else is a located MODEL002, never a traceback (int() of '²' or of 5,000 digits raises)."""
    raw = example("small")
    raw["networks"][0]["vlan"] = value
    stage, findings = run(raw)
    vlan_errors = [f for f in findings if f.path == "networks[mgmt].vlan"]
    if accepted is None:
        assert [f.rule for f in vlan_errors] == ["MODEL002"], findings
    else:
        assert not vlan_errors and stage == "checks"
