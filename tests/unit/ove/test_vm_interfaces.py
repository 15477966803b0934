"""KubeVirt interface patches of the VMs in dcnet_vms: MAC kept, NAD in the VM's namespace, binding per network."""

import json

import yaml
from example_models import LOADER, example_vars

from .conftest import load

# KubeVirt v1 API (kubevirt/kubevirt staging/src/kubevirt.io/api/core/v1/schema.go): the keys these patches use
INTERFACE_KEYS = {"name", "bridge", "masquerade", "macAddress"}
NETWORK_KEYS = {"name", "multus", "pod"}


def _patches(files, cluster):
    for rel, text in sorted(files.items()):
        if rel.startswith(f"ove/{cluster}/vms/"):
            yield from (d for d in yaml.load_all(text, Loader=LOADER) if d)  # nosec B506 - a safe loader


def test_dc1_vms_attach_to_nads_of_their_namespace(dc1):
    vms = example_vars("dc1")  # tests/example_models.py: parsed once per session
    by_name = {vm["name"]: vm for vm in vms["dcnet_vms"]}
    nads = {}
    for rel, text in dc1.items():
        if rel.startswith("ove/") and "/30-nad-" in rel:
            doc = load(text)
            nads[(rel.split("/")[1], doc["metadata"]["namespace"], doc["metadata"]["name"])] = json.loads(doc["spec"]["config"])
    count = 0
    for cluster in ("ove-prod", "ove-edge"):
        for doc in _patches(dc1, cluster):
            assert (doc["apiVersion"], doc["kind"]) == ("kubevirt.io/v1", "VirtualMachine")
            vm = by_name[doc["metadata"]["name"]]
            ns = doc["metadata"]["namespace"]
            assert ns == vm["application"]                       # namespace from the application
            spec = doc["spec"]["template"]["spec"]
            interfaces, networks = spec["domain"]["devices"]["interfaces"], spec["networks"]
            assert [i["name"] for i in interfaces] == [n["name"] for n in networks]
            for iface, net, nic in zip(interfaces, networks, vm["nics"]):
                assert set(iface) <= INTERFACE_KEYS and set(net) <= NETWORK_KEYS
                assert iface["bridge"] == {} and iface["macAddress"] == nic["mac"]
                nad_ns, nad_name = net["multus"]["networkName"].split("/")
                assert nad_ns == ns and nad_name == nic["network"]
                assert (cluster, ns, nad_name) in nads
            count += 1
    assert count == sum(1 for vm in vms["dcnet_vms"] if vm["cluster"] in ("ove-prod", "ove-edge"))
