# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""Action plugin: what deploying one switch or one OVE cluster needs, read from the build tree.

A thin adapter over module_utils/deploy/secrets.py and locations.py: find the
site's build folder the same way ``dcnet.fabric.render`` does, read the
rendered config and the structured config, and put the secrets in from the
variables the structured config names (vaulted variables, AWX credentials).
The build tree itself never holds a secret.
"""

from __future__ import annotations

import os

from ansible.errors import AnsibleActionFail

from ansible_collections.dcnet.fabric.plugins.plugin_utils.action_base import DcnetAction

try:
    from ansible_collections.dcnet.fabric.plugins.module_utils import locations
    from ansible_collections.dcnet.fabric.plugins.module_utils.deploy import rolling, secrets
    from ansible_collections.dcnet.fabric.plugins.module_utils.errors import DcnetError
    IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - shown to the user as a task failure
    IMPORT_ERROR = exc


def _read(path, what):
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError as exc:
        raise AnsibleActionFail(f"cannot read the {what} {path}: {exc.strerror} (render the site first: "
                                "playbook dcnet.fabric.render)") from None


def _yaml(path, what):
    import yaml

    return yaml.safe_load(_read(path, what))


def _yaml_all(path):
    import yaml

    return list(yaml.safe_load_all(_read(path, "rendered CR")))


class ActionModule(DcnetAction):
    ARGS = {"device": None, "cluster": None, "build_dir": None, "site": None, "secrets": True}
    import_error = IMPORT_ERROR

    def act(self, result, args, task_vars):
        if bool(args["device"]) == bool(args["cluster"]):
            raise AnsibleActionFail("give exactly one of device and cluster")
        site = self.site_name(args["site"], task_vars)
        site_dir = locations.site_dir(self.build_root(args["build_dir"], task_vars), site)
        result.update({"changed": False, "site": site, "build_dir": site_dir})
        try:
            if args["device"]:
                result.update(self._device(site_dir, str(args["device"]), task_vars, bool(args["secrets"])))
            else:
                result.update(self._cluster(site_dir, str(args["cluster"]), task_vars, bool(args["secrets"])))
        except DcnetError as exc:
            raise AnsibleActionFail(str(exc)) from None
        return result

    def _values(self, names, task_vars):
        """{variable: value} of the variables that are defined; vaulted values are decrypted here."""
        values = {}
        for name in names:
            if name not in task_vars:
                continue
            value = self._templar.template(task_vars[name])
            values[name] = value if isinstance(value, str) or value is None else (
                str(value) if not isinstance(value, (bool, dict, list)) else value)
        return values

    def _device(self, site_dir, device, task_vars, inject):
        structured = _yaml(os.path.join(site_dir, "structured", f"{device}.yml"), "structured config")
        path = os.path.join(site_dir, "switches", f"{device}.cfg")
        config = _read(path, "rendered config")
        added = 0
        if inject:
            config, added = secrets.inject(config, structured, self._values(secrets.variables(structured), task_vars))
        return {"device": device, "platform": structured["platform"], "role": structured["role"], "path": path,
                "structured_path": os.path.join(site_dir, "structured", f"{device}.yml"),
                "config": config, "secret_lines": added, "batch": rolling.batch_of(structured)}

    def _cluster(self, site_dir, cluster, task_vars, inject):
        data = _yaml(os.path.join(site_dir, "structured", "clusters", f"{cluster}.yml"), "structured cluster config")
        leaves = {}
        metallb = (data.get("ove") or {}).get("metallb") or data.get("metallb") or {}
        for peer in metallb.get("peers") or []:
            name = peer.get("leaf")
            if name and name not in leaves:
                leaves[name] = _yaml(os.path.join(site_dir, "structured", f"{name}.yml"), "structured config")
        wanted = secrets.metallb_secrets(data, leaves)
        out = []
        if inject:
            values = self._values([s["var"] for s in wanted], task_vars)
            for secret in wanted:
                if secret["var"] not in values:
                    raise secrets.SecretError(
                        f"clusters[{cluster}]: MetalLB Secret '{secret['name']}' takes the BGP password from variable "
                        f"'{secret['var']}' (fabric.bgp.password_var), which is not defined: define it in a vaulted "
                        "vars file or an AWX credential")
                out.append({"name": secret["name"], "namespace": secret["namespace"],
                            "password": secrets.check_value(secret["var"], values[secret["var"]])})
        cr_dir = os.path.join(site_dir, "ove", cluster)
        files = sorted(os.path.join(cr_dir, f) for f in os.listdir(cr_dir)
                       if f.endswith(".yaml")) if os.path.isdir(cr_dir) else []
        # every Secret a rendered BGPPeer references must be one this deploy creates
        referenced = set()
        for path in files:
            for doc in _yaml_all(path):
                ref = ((doc or {}).get("spec") or {}).get("passwordSecret") or {}
                if ref.get("name"):
                    referenced.add(ref["name"])
        missing = sorted(referenced - {s["name"] for s in wanted})
        if missing:
            raise secrets.SecretError(f"clusters[{cluster}]: the rendered BGPPeers reference Secret(s) "
                                      f"{', '.join(missing)} that no leaf peer group feeds (render again)")
        return {"cluster": cluster, "platform": data.get("platform"), "cr_dir": cr_dir, "cr_files": files,
                "secrets": out, "secret_names": [s["name"] for s in wanted]}
