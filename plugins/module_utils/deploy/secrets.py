# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""Secrets enter a config at deploy time, never at render time.

The structured config of a switch names, per BGP peer group, the *variable*
that holds the session password (``password_var``, from
``fabric.bgp.password_var``) and, for MetalLB groups, the Kubernetes Secret the
speakers read the same password from (``password_secret``).  The build tree
holds only those names.  At deploy, the value of the variable (a vaulted
Ansible variable) is put into the text sent to the device, in the platform's
own syntax, right under the line that declares the peer group; and the MetalLB
Secret is created from the same variable, so both ends of a session share one
source.

The management plane (local users' password hashes and SSH keys, the TACACS+
key, the SNMP community) is rendered as ``{{ variable }}`` references in the
config text itself; :func:`resolve` replaces each with the variable's value at
deploy, in memory, so the text sent to the switch is complete and the build
tree still holds only names.

Pure Python, no Ansible import; the action plugin ``dcnet.fabric.intended``
resolves the variables and calls :func:`resolve` / :func:`inject` /
:func:`metallb_secrets`.
"""

from __future__ import annotations

import re

from .. import platforms as platform_table
from ..errors import DcnetError

# TCP-MD5 keys are at most 80 bytes (RFC 2385 implementations: Linux TCP_MD5SIG_MAXKEYLEN, FRR,
# EOS, NX-OS).  Printable ASCII without spaces: a space, newline or '!' would end or comment out the
# config line, or smuggle another line into it.
_PASSWORD = re.compile(r"^[\x21-\x7e]{1,80}$")
# a secret referenced in the rendered text (render/switches.variable_reference) and what its value may
# hold: one line of printable ASCII (an SSH public key has spaces; a newline would smuggle in a line)
_REFERENCE = re.compile(r"\{\{ ([A-Za-z_][A-Za-z0-9_]*) \}\}")
_LINE_VALUE = re.compile(r"^[\x20-\x7e]{1,4096}$")


class SecretError(DcnetError):
    """A secret is missing or cannot be written into a config line; the message never holds its value."""


def platforms():
    """The switch platforms whose rendered configs take a BGP password (their table row says where)."""
    return tuple(name for name in platform_table.names() if platform_table.get(name).bgp_password)


def check_value(var: str, value) -> str:
    """The password as text, or SecretError saying what is wrong with it (never showing it)."""
    if value is None or value == "":
        raise SecretError(f"variable '{var}' is empty: put the BGP password in it (ansible-vault encrypt_string)")
    if not isinstance(value, str):
        raise SecretError(f"variable '{var}' must be a string, not {type(value).__name__}")
    if "!" in value or not _PASSWORD.match(value):
        raise SecretError(f"variable '{var}' is not a usable TCP-MD5 password: use 1 to 80 printable ASCII "
                          "characters without spaces or '!'")
    return value


def references(structured: dict) -> list:
    """[(peer group, variable)] of a switch's structured config, in config order."""
    groups = ((structured.get("bgp") or {}).get("peer_groups")) or []
    return [(g["name"], g["password_var"]) for g in groups if g.get("password_var")]


def variables(structured: dict) -> list:
    """The variable names a switch's deploy needs, sorted, once each."""
    return sorted({var for _group, var in references(structured)})


def config_variables(config: str) -> list:
    """The variables a rendered config references as ``{{ name }}`` (management secrets), sorted, once each."""
    return sorted(set(_REFERENCE.findall(config)))


def resolve(config: str, values: dict, device: str) -> tuple:
    """(config with every ``{{ name }}`` replaced by the variable's value, number of references replaced).

    A reference whose variable is not defined, or whose value is not one printable line, is an error that
    names the variable and the line number, never the value (a switch pushed with the literal reference
    would lock out its users or its TACACS+ server).
    """
    lines = config.split("\n")
    count = 0
    for number, text in enumerate(lines):
        if "{{" not in text:
            continue

        def value_of(match, number=number):
            var = match.group(1)
            if var not in values:
                raise SecretError(f"{device}: line {number + 1} of the rendered config references variable '{var}', "
                                  "which is not defined: define it in a vaulted vars file or an AWX credential")
            value = values[var]
            if not isinstance(value, str) or not _LINE_VALUE.match(value) or "{{" in value:
                raise SecretError(f"{device}: variable '{var}' (line {number + 1} of the rendered config) must be one "
                                  "line of printable text")
            return value

        lines[number], replaced = _REFERENCE.subn(value_of, text)
        count += replaced
    return "\n".join(lines), count


def inject(config: str, structured: dict, values: dict) -> tuple:
    """(config with password lines, number of lines added) for one switch.

    ``values`` maps variable name -> password.  Every marked peer group gets
    its line under the line declaring it; a group the text does not declare,
    or a variable without a value, is an error (a leaf without its password
    would keep its sessions down against a peer that has one).
    """
    platform = structured.get("platform")
    if platform not in platforms():
        raise SecretError(f"{structured.get('hostname')}: no password syntax for platform '{platform}' "
                          f"(known: {', '.join(platforms())})")
    declare, line = platform_table.get(platform).bgp_password
    lines = config.split("\n")
    added = 0
    for group, var in references(structured):
        if var not in values:
            raise SecretError(f"{structured.get('hostname')}: peer group {group} takes its password from variable "
                              f"'{var}' (fabric.bgp.password_var), which is not defined: define it in a vaulted "
                              "vars file or an AWX credential")
        value = check_value(var, values[var])
        pattern = re.compile(declare.format(name=re.escape(group)))
        # FRR declares a peer group in every BGP instance (VRF) that uses it: each declaration takes the line
        found = [i for i, text in enumerate(lines) if pattern.match(text)]
        if not found:
            raise SecretError(f"{structured.get('hostname')}: the rendered config does not declare peer group "
                              f"{group} (render again: the config and the structured config disagree)")
        for at in reversed(found):
            lines.insert(at + 1, line.format(name=group, value=value))
            added += 1
    return "\n".join(lines), added


def metallb_secrets(cluster: dict, switches: dict) -> list:
    """The Secrets the MetalLB speakers of one OVE cluster need: [{name, namespace, var}], sorted.

    The variable is the one the leaves' peer group toward these speakers uses,
    so the Secret and the leaves' session password are one value.
    """
    # the OVE structured config keeps MetalLB under "ove"
    metallb = (cluster.get("ove") or {}).get("metallb") or cluster.get("metallb") or {}
    namespace = metallb.get("namespace") or "metallb-system"
    out = {}
    for peer in metallb.get("peers") or []:
        secret = peer.get("password_secret")
        if not secret:
            continue
        leaf = switches.get(peer.get("leaf"))
        if leaf is None:
            raise SecretError(f"clusters[{cluster.get('name')}]: MetalLB peer {peer.get('name')} names leaf "
                              f"{peer.get('leaf')}, whose structured config is not in the build tree (render the "
                              "structured target)")
        groups = [g for g in leaf["bgp"]["peer_groups"] if g.get("password_secret") == secret]
        var = next((g["password_var"] for g in groups if g.get("password_var")), None)
        if var is None:
            raise SecretError(f"clusters[{cluster.get('name')}]: MetalLB Secret '{secret}' has no leaf peer group "
                              "with a password variable (set fabric.bgp.password_var: MetalLB and the leaves share the password)")
        previous = out.setdefault(secret, {"name": secret, "namespace": namespace, "var": var})
        if previous["var"] != var:
            raise SecretError(f"clusters[{cluster.get('name')}]: MetalLB Secret '{secret}' is fed by two variables, "
                              f"'{previous['var']}' and '{var}'")
    return [out[name] for name in sorted(out)]
