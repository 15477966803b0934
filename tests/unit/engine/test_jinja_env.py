"""The templates' Jinja environment: dict keys read directly, with Jinja's own results."""

import jinja2
import pytest

from ansible_collections.dcnet.fabric.plugins.module_utils.render.base import jinja_env


def _render(source, **values):
    return jinja_env().from_string(source).render(**values)


def test_attribute_reads_the_key():
    assert _render("{{ d.name }}/{{ d['mtu'] }}", d={"name": "eth0", "mtu": 9000}) == "eth0/9000"


def test_dict_methods_stay_methods_even_when_a_key_has_their_name():
    assert _render("{{ d.items() | list | length }}", d={"items": 5, "x": 1}) == "2"


def test_missing_key_is_an_error_not_empty_text():
    with pytest.raises(jinja2.UndefinedError):
        _render("{{ d.missing }}", d={"name": "eth0"})


def test_objects_other_than_dicts_keep_getattr():
    class Port:  # pylint: disable=too-few-public-methods
        name = "swp1"

    assert _render("{{ p.name }}", p=Port()) == "swp1"
