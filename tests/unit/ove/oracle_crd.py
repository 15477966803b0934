"""Test oracle: validate Kubernetes custom resources against their published CRD schemas.

The renderers never run this; the tests check every rendered resource with it.

``CrdCatalog(folder)`` reads every CustomResourceDefinition YAML under a
folder (the project keeps the published ones in
``../shared/reference/schemas``) and indexes the ``openAPIV3Schema`` of each
served version by ``(apiVersion, kind)``.  ``catalog.validate(doc)`` returns
findings with the path inside the resource (``spec.peerASN``).

The structural schema is turned into JSON Schema the way the API server
reads it: ``x-kubernetes-*`` keys are dropped, ``x-kubernetes-int-or-string``
becomes integer-or-string, ``nullable`` admits null.  With ``strict=True``
(the default, like ``kubectl apply --validate=strict``) an unknown field is
an error unless the schema preserves unknown fields there.

``nad_config_findings(doc)`` adds the checks a NetworkAttachmentDefinition
schema cannot express, since its ``spec.config`` is a JSON string: the
OVN-Kubernetes localnet and bridge CNI rules of the target-format reference.

jsonschema is a development dependency: it is imported when a catalog is
built, so importing this module never fails.
"""

from __future__ import annotations

import copy
import glob
import json
import os
import re

from ansible_collections.dcnet.fabric.plugins.module_utils.findings import Finding

_DNS1123_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
RESERVED_OVN_NETWORKS = ("default", "ovn-kubernetes")


def to_json_schema(schema, strict=True):
    """A JSON Schema (draft 7) equivalent of a CRD structural schema."""
    def walk(node):
        if isinstance(node, list):
            return [walk(n) for n in node]
        if not isinstance(node, dict):
            return node
        out = {k: walk(v) for k, v in node.items() if not k.startswith("x-kubernetes-") and k != "nullable"}
        if node.get("x-kubernetes-int-or-string"):
            out.pop("type", None)
            out = {"anyOf": [{"type": "integer"}, {"type": "string"}], **out}
        if node.get("nullable") and "type" in out:
            out["type"] = [out["type"], "null"] if isinstance(out["type"], str) else out["type"] + ["null"]
        if strict and out.get("type") in ("object", ["object", "null"]) and "properties" in out \
                and "additionalProperties" not in out and not node.get("x-kubernetes-preserve-unknown-fields"):
            out["additionalProperties"] = False
        return out
    return walk(copy.deepcopy(schema))


class CrdCatalog:
    """The openAPIV3Schema of every served version of the CRDs under ``folder``."""

    def __init__(self, folder, strict=True):
        import jsonschema
        import yaml

        self._jsonschema = jsonschema
        self.schemas = {}
        self.sources = {}
        self.scope = {}
        for path in sorted(glob.glob(os.path.join(folder, "**", "*.yaml"), recursive=True)):
            with open(path, encoding="utf-8") as handle:
                for doc in yaml.safe_load_all(handle):
                    if not isinstance(doc, dict) or doc.get("kind") != "CustomResourceDefinition":
                        continue
                    group, kind = doc["spec"]["group"], doc["spec"]["names"]["kind"]
                    for version in doc["spec"]["versions"]:
                        if not version.get("served"):
                            continue
                        key = (f"{group}/{version['name']}", kind)
                        raw = copy.deepcopy(version["schema"]["openAPIV3Schema"])
                        # the API server accepts these on every object, listed in the CRD or not
                        implicit = {"apiVersion": {"type": "string"}, "kind": {"type": "string"},
                                    "metadata": {"type": "object"}}
                        raw.setdefault("properties", {})
                        for field, value in implicit.items():
                            raw["properties"].setdefault(field, value)
                        schema = to_json_schema(raw, strict)
                        # metadata is always a full ObjectMeta to the API server: a CRD may only restrict
                        # metadata.name / generateName (HyperConverged pins its name), never drop the rest
                        schema["properties"]["metadata"].pop("additionalProperties", None)
                        self.schemas[key] = jsonschema.Draft7Validator(schema)
                        self.sources[key] = os.path.relpath(path, folder)
                        self.scope[key] = doc["spec"].get("scope", "Namespaced")

    def knows(self, doc) -> bool:
        return (doc.get("apiVersion"), doc.get("kind")) in self.schemas

    def validate(self, doc) -> list:
        """Findings of one resource: schema errors, metadata name/namespace rules."""
        key = (doc.get("apiVersion"), doc.get("kind"))
        if key not in self.schemas:
            return [Finding("CRD000", "apiVersion", f"no published CRD schema for {key[1]} {key[0]}")]
        findings = []
        errors = self.schemas[key].iter_errors(doc)
        for err in sorted(errors, key=lambda e: (list(map(str, e.absolute_path)), e.message)):
            path = ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in err.absolute_path)
            findings.append(Finding("CRD001", path.replace(".[", "[") or "$", err.message))
        findings += _metadata(doc, self.scope[key] == "Namespaced")
        return findings


def _metadata(doc, namespaced) -> list:
    meta = doc.get("metadata")
    if not isinstance(meta, dict):
        return [Finding("CRD002", "metadata", "missing metadata")]
    out = []
    name = meta.get("name")
    if not isinstance(name, str) or len(name) > 253 or not _DNS1123_SUBDOMAIN.match(name):
        out.append(Finding("CRD002", "metadata.name", f"{name!r} is not a DNS-1123 subdomain (lower-case "
                           "letters, digits, '-' and '.', at most 253 characters)"))
    namespace = meta.get("namespace")
    if namespaced and (not isinstance(namespace, str) or len(namespace) > 63 or not _DNS1123_LABEL.match(namespace)):
        out.append(Finding("CRD002", "metadata.namespace", f"{namespace!r} is not a valid namespace for a "
                           "namespaced resource"))
    if not namespaced and namespace is not None:
        out.append(Finding("CRD002", "metadata.namespace", "a cluster-scoped resource has no namespace"))
    return out


def nad_config_findings(doc) -> list:
    """Rules of spec.config (a JSON string) of a NetworkAttachmentDefinition."""
    path = "spec.config"
    try:
        config = json.loads(doc["spec"]["config"])
    except (KeyError, TypeError, ValueError) as exc:
        return [Finding("NAD001", path, f"not a JSON CNI configuration: {exc}")]
    if not isinstance(config, dict):
        return [Finding("NAD001", path, "the CNI configuration must be a JSON object")]
    out = []
    for key in ("cniVersion", "name", "type"):
        if not isinstance(config.get(key), str) or not config.get(key):
            out.append(Finding("NAD001", f"{path}.{key}", f"missing '{key}'"))
    meta = doc.get("metadata") or {}
    if config.get("type") == "ovn-k8s-cni-overlay":
        if config.get("topology") not in ("layer2", "layer3", "localnet"):
            out.append(Finding("NAD002", f"{path}.topology", "topology must be layer2, layer3 or localnet "
                               "(without it ovn-kubernetes reads the NAD as the default network)"))
        expected = f"{meta.get('namespace')}/{meta.get('name')}"
        if config.get("netAttachDefName") != expected:
            out.append(Finding("NAD002", f"{path}.netAttachDefName", f"must be {expected!r}, not "
                               f"{config.get('netAttachDefName')!r}"))
        if config.get("name") in RESERVED_OVN_NETWORKS:
            out.append(Finding("NAD002", f"{path}.name", f"'{config['name']}' is reserved by ovn-kubernetes"))
        for key in ("ipam",):
            if key in config:
                out.append(Finding("NAD002", f"{path}.{key}", "ovn-kubernetes rejects any ipam key"))
        if config.get("topology") == "localnet":
            for key in ("role", "joinSubnet"):
                if key in config:
                    out.append(Finding("NAD002", f"{path}.{key}", f"'{key}' is not allowed on a localnet network"))
            vid = config.get("vlanID")
            if vid is not None and (isinstance(vid, bool) or not isinstance(vid, int) or not 1 <= vid <= 4094):
                out.append(Finding("NAD002", f"{path}.vlanID", f"VLAN id {vid!r} is outside 1-4094"))
        elif "vlanID" in config:
            out.append(Finding("NAD002", f"{path}.vlanID", "vlanID is a localnet-only key"))
        if "mtu" in config and (not isinstance(config["mtu"], int) or isinstance(config["mtu"], bool)
                                or config["mtu"] < 576):
            out.append(Finding("NAD002", f"{path}.mtu", f"MTU {config['mtu']!r} is not an integer >= 576"))
    elif config.get("type") in ("bridge", "cnv-bridge"):
        vid = config.get("vlan")
        if vid is not None and (isinstance(vid, bool) or not isinstance(vid, int) or not 0 <= vid <= 4094):
            out.append(Finding("NAD003", f"{path}.vlan", f"VLAN id {vid!r} is outside 0-4094"))
        if vid and config.get("vlanTrunk"):
            out.append(Finding("NAD003", f"{path}.vlanTrunk", "vlanTrunk cannot be combined with vlan"))
        if config.get("hairpinMode") and config.get("promiscMode"):
            out.append(Finding("NAD003", f"{path}.promiscMode", "hairpinMode and promiscMode exclude each other"))
    return out
