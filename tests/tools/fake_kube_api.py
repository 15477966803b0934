"""A Kubernetes API stand-in on 127.0.0.1 for check-mode runs of deploy_ove.yml (tests only).

It answers what kubernetes.core.k8s asks in check mode: API discovery, a GET of each object
(404: nothing exists yet) and the server-side dry-run create (``?dryRun=All``), which it echoes.
Every request is recorded, so a test can assert what a real API server would have been sent.
A request without dryRun that would change something is refused (409) and recorded: check mode
must never write. It is not a validator: CRs are checked against their published CRDs elsewhere
(tests/unit/ove/test_crd.py).
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

# (group, version, kind, plural, namespaced) of what deploy_ove.yml applies.
RESOURCES = [
    ("", "v1", "Namespace", "namespaces", False),
    ("", "v1", "Secret", "secrets", True),
    ("nmstate.io", "v1", "NodeNetworkConfigurationPolicy", "nodenetworkconfigurationpolicies", False),
    ("k8s.cni.cncf.io", "v1", "NetworkAttachmentDefinition", "network-attachment-definitions", True),
    ("metallb.io", "v1beta1", "IPAddressPool", "ipaddresspools", True),
    ("metallb.io", "v1beta1", "BFDProfile", "bfdprofiles", True),
    ("metallb.io", "v1beta1", "Community", "communities", True),
    ("metallb.io", "v1beta1", "BGPAdvertisement", "bgpadvertisements", True),
    ("metallb.io", "v1beta2", "BGPPeer", "bgppeers", True),
    ("metallb.io", "v1beta1", "MetalLB", "metallbs", True),
    ("hco.kubevirt.io", "v1beta1", "HyperConverged", "hyperconvergeds", True),
]


def _resource_list(group, version):
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": f"{group}/{version}" if group else version,
            "resources": [{"name": plural, "singularName": kind.lower(), "namespaced": namespaced, "kind": kind,
                           "verbs": ["create", "delete", "get", "list", "patch", "update", "watch"]}
                          for g, v, kind, plural, namespaced in RESOURCES if (g, v) == (group, version)]}


class FakeKubeAPI:
    def __init__(self):
        self.requests = []
        groups = {}
        for g, v, *_rest in RESOURCES:
            if g:
                groups.setdefault(g, [])
                if v not in groups[g]:
                    groups[g].append(v)
        self.groups = groups
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _send(self, code, body):
                data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _body(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    return json.loads(raw or b"{}")
                except ValueError:
                    return {"raw": raw.decode(errors="replace")}

            def do_GET(self):  # noqa: N802 - http.server API
                url = urlparse(self.path)
                api.requests.append({"method": "GET", "path": url.path, "query": parse_qs(url.query)})
                code, body = api.get(url.path)
                self._send(code, body)

            def _write(self, method):
                url = urlparse(self.path)
                query = parse_qs(url.query)
                body = self._body()
                api.requests.append({"method": method, "path": url.path, "query": query, "body": body})
                if query.get("dryRun") != ["All"]:
                    self._send(409, {"kind": "Status", "status": "Failure", "message": "not a dry run", "code": 409})
                    return
                self._send(201 if method == "POST" else 200, body)

            def do_POST(self):  # noqa: N802
                self._write("POST")

            def do_PATCH(self):  # noqa: N802
                self._write("PATCH")

            def do_PUT(self):  # noqa: N802
                self._write("PUT")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def get(self, path):
        parts = [p for p in path.split("/") if p]
        if path == "/version":
            return 200, {"major": "1", "minor": "31", "gitVersion": "v1.31.0"}
        if path == "/api":
            return 200, {"kind": "APIVersions", "versions": ["v1"]}
        if path == "/apis":
            return 200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": [
                {"name": g, "versions": [{"groupVersion": f"{g}/{v}", "version": v} for v in vs],
                 "preferredVersion": {"groupVersion": f"{g}/{vs[-1]}", "version": vs[-1]}}
                for g, vs in sorted(self.groups.items())]}
        if path == "/api/v1":
            return 200, _resource_list("", "v1")
        if len(parts) == 3 and parts[0] == "apis":
            return 200, _resource_list(parts[1], parts[2])
        return 404, {"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "NotFound", "code": 404,
                     "message": f"{path} not found"}

    def kubeconfig(self, path):
        config = {"apiVersion": "v1", "kind": "Config", "current-context": "fake",
                  "clusters": [{"name": "fake", "cluster": {"server": self.url}}],
                  "users": [{"name": "fake", "user": {"token": "fake-token"}}],
                  "contexts": [{"name": "fake", "context": {"cluster": "fake", "user": "fake"}}]}
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(config, handle)
        return path

    def writes(self):
        return [r for r in self.requests if r["method"] != "GET"]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
