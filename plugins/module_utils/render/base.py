"""What every renderer shares: the Artifact record, YAML/JSON dumping, Jinja."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from ..vlans import ranges_text
from . import yamltext

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")
_FOLDERS = [TEMPLATES]  # where templates are looked up, in order


@dataclass(frozen=True)
class Artifact:
    """One output file, relative to build/<site>/."""

    path: str
    content: str
    mode: int = 0o644
    kind: str = ""


@dataclass
class RenderContext:
    model: object
    facts: object
    design: dict
    site: str
    cache: dict = field(default_factory=dict)  # what two renderers compute alike (a node's NMState)


def to_yaml(data, header: str = "") -> str:
    """Deterministic YAML: insertion order kept, no anchors, block style."""
    return header + "---\n" + yamltext.dump(data)


def to_yaml_documents(docs, header: str = "") -> str:
    return header + "".join(to_yaml(d) for d in docs)


def to_json(data) -> str:
    return json.dumps(data, indent=2, sort_keys=False) + "\n"


_ENV = None
_DICT_ATTRIBUTES = frozenset(dir(dict))


def _environment_class():
    import jinja2

    class DictFirstEnvironment(jinja2.Environment):
        """``config.name`` looks up the key directly instead of failing getattr() on the dict first.

        Same result as Jinja's own order for every name that is not a dict method; the structured
        configs are plain dicts read millions of times per site, and the failed getattr was most of
        the switch rendering time.
        """

        def getattr(self, obj, attribute):
            if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:  # pylint: disable=unidiomatic-typecheck
                try:
                    return obj[attribute]
                except KeyError:
                    pass
            return super().getattr(obj, attribute)

    return DictFirstEnvironment


def jinja_env():
    """One strict Jinja environment for all templates (undefined is an error, not '')."""
    global _ENV
    if _ENV is None:
        import jinja2

        _ENV = _environment_class()(
            loader=jinja2.FileSystemLoader(list(_FOLDERS)), undefined=jinja2.StrictUndefined,
            trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, autoescape=False)
        _ENV.filters["vlan_ranges"] = lambda vlans: ranges_text(tuple(vlans))
    return _ENV


def add_template_folder(folder: str) -> None:
    """Look up templates in ``folder`` too (after the collection's own): a platform registered from outside."""
    if folder not in _FOLDERS:
        _FOLDERS.append(folder)
        if _ENV is not None:
            _ENV.loader.searchpath.append(folder)


def render_sections(folder: str, sections, **values) -> str:
    """One device config from one template per section, in the order of ``sections`` (eos_cli_config_gen style).

    ``folder``/<section>.j2 each lay out one part of the config; a new section is one more
    template and one more entry in the platform's list.
    """
    env = jinja_env()
    return "".join(env.get_template(f"{folder}/{name}.j2").render(**values) for name in sections)


def render_template(name: str, **values) -> str:
    return jinja_env().get_template(name).render(**values)
