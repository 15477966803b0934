"""Random damage to examples/small: the loader, the checks and the renderers answer with located findings,
never a traceback, within bounded time and memory.

Each example applies one to three mutations at random places of the model: a value of the
wrong type, a deleted key, an out-of-range number, a broken reference (a random name where a
name is expected), or a duplicated list entry (duplicate ids and names). Whatever happens,
``harness.run`` must return findings (loader/allocator errors are ``ModelError`` findings,
caught there) whose every path is a non-empty string -- and no rule may crash (CHECK000).

The second test puts hostile shapes anywhere in the model (alias chains, deep nesting, long
strings, control characters, NaN, bytes, dates, recursive values, non-string keys, a list
replaced by 200,000 aliases of one item) and runs the whole pipeline down to the rendered
files, each example in a child process with a CPU alarm and an address-space limit.

2,000 examples (400 + 1,600) take minutes on two cores: this is its own stage (``make fuzz``,
run by ``make test``), not part of the unit suite.
"""

from __future__ import annotations

import copy
import datetime
import os
import pickle
import resource
import select
import signal
import traceback

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline

from unit.errors.harness import example, run  # tests/ is on sys.path (tests/conftest.py)

BASE = example("small")


def _locations(node, path=()):
    """Every (path, value) in the model: dict keys and list items, depth first."""
    out = []
    if isinstance(node, dict):
        for key, value in node.items():
            out.append((path + (key,), value))
            out.extend(_locations(value, path + (key,)))
    elif isinstance(node, list):
        for idx, value in enumerate(node):
            out.append((path + (idx,), value))
            out.extend(_locations(value, path + (idx,)))
    return out


LOCATIONS = [p for p, _value in _locations(BASE)]
WRONG = st.sampled_from([None, True, False, 3.7, "", "x", "leaf01a:swp1", [], {}, [1, 2], {"a": 1}, -1, 0, 2 ** 40])
KNOWN = sorted({v for _path, v in _locations(BASE) if isinstance(v, str)} | {"leaf01a:swp7", "leaf01b:swp7"})
# a random word, or another name/value of the model (a valid but wrong reference reaches deeper stages)
NAMES = st.one_of(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-:./", min_size=0, max_size=12),
                  st.sampled_from(KNOWN))
MUTATION = st.tuples(st.sampled_from(["type", "delete", "number", "number", "reference", "reference", "reference", "duplicate"]),
                     st.integers(min_value=0, max_value=len(LOCATIONS) - 1), WRONG, NAMES,
                     st.one_of(st.integers(min_value=-10 ** 6, max_value=10 ** 10),
                               st.integers(min_value=0, max_value=9300)))


def _parent(root, path):
    node = root
    for key in path[:-1]:
        node = node[key]
    return node


def _mutate(raw, mutation):
    kind, index, wrong, name, number = mutation
    live = [p for p, _value in _locations(raw)]
    if not live:
        return
    path = live[index % len(live)]
    parent = _parent(raw, path)
    key = path[-1]
    value = parent[key]
    if kind == "type":
        parent[key] = copy.deepcopy(wrong)
    elif kind == "delete":
        del parent[key]
    elif kind == "number":
        parent[key] = number if isinstance(value, int) and not isinstance(value, bool) else copy.deepcopy(wrong)
    elif kind == "reference":
        parent[key] = name if isinstance(value, str) else copy.deepcopy(wrong)
    elif kind == "duplicate":
        if isinstance(parent, list):
            parent.append(copy.deepcopy(value))
        else:
            parent[key] = [copy.deepcopy(value), copy.deepcopy(value)]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(MUTATION, min_size=1, max_size=3))
def test_random_damage_gives_located_findings(mutations):
    raw = copy.deepcopy(BASE)
    for mutation in mutations:
        _mutate(raw, mutation)
    findings = run(raw)[1]
    for finding in findings:
        assert isinstance(finding.path, str) and finding.path, str(finding)
        assert finding.rule != "CHECK000", str(finding)


# ------------------------------------------------------------------------------------------------
# Hostile shapes over the whole pipeline (load, facts, design, checks, render), each example in a
# forked child with a CPU-time alarm and an address-space limit: a hang or a blow-up fails the test
# with the example, it cannot stall or exhaust the machine.


EXAMPLE_SECONDS = 20        # CPU seconds of one example (load to render of a 4-switch site: ~0.2 s)
EXAMPLE_MEMORY = 1 << 30    # address space a child may add to what the test process already maps
# With the 400 above: 2,000 examples per CI run (DCNET_FUZZ_EXAMPLES changes it for a local run).
HOSTILE_EXAMPLES = int(os.environ.get("DCNET_FUZZ_EXAMPLES", "1600"))


def _laughs(depth, width):
    value = "lol"
    for _level in range(depth):
        value = [value] * width          # one shared list per level, as YAML aliases load
    return value


def _nested(depth, as_dict):
    value = "x"
    for _level in range(depth):
        value = {"k": value} if as_dict else [value]
    return value


def _recursive():
    loop = [1]
    loop.append(loop)
    return loop


SCALARS = st.sampled_from([
    float("nan"), float("inf"), -0.0, 1e308, 10 ** 30, -2 ** 63, True, None, b"bytes", datetime.date(2027, 6, 30),
    "", " ", "\x00", "\u00e9", "\U0001F642", "x\u2028y", "a\nb", "{{ lookup('pipe', 'id') }}", "../../etc/passwd",
    "/abs", "a" * 64, "CON", "w1..", "-", ".", "0150", "150", "\u0661\u0665\u0660", "\u00b2", "9" * 5000,
    "10.0.0.0/33", "fd00::/129", "1.2.3.4", "leaf01a:Ethernet9999", "Ethernet1/1", "65000:100", "*"])
HOSTILE = st.one_of(
    SCALARS,
    st.text(max_size=40),
    st.integers(min_value=1, max_value=20_000).map(lambda n: "x" * n),
    st.tuples(st.integers(min_value=2, max_value=12), st.integers(min_value=2, max_value=12)).map(lambda t: _laughs(*t)),
    st.tuples(st.integers(min_value=1, max_value=300), st.booleans()).map(lambda t: _nested(*t)),
    st.builds(_recursive),
    st.lists(SCALARS, max_size=5),
    st.dictionaries(st.one_of(st.text(max_size=8), st.integers(), st.none(), st.booleans()), SCALARS, max_size=4),
)
# where a hostile value goes: replace any value, add an unknown key, or swap a list for many aliases of one item
HOSTILE_MUTATION = st.tuples(st.sampled_from(["replace", "replace", "add_key", "alias_list"]),
                             st.integers(min_value=0, max_value=len(LOCATIONS) - 1), HOSTILE,
                             st.integers(min_value=2, max_value=200_000))


def _hostile(raw, mutation):
    kind, index, value, count = mutation
    path = LOCATIONS[index]            # a place of the intact model; gone when an earlier mutation replaced it
    try:
        parent, key = _parent(raw, path), path[-1]
        parent[key]  # pylint: disable=pointless-statement
    except (KeyError, IndexError, TypeError):
        return
    if not isinstance(parent, (dict, list)):   # an earlier mutation put a scalar (bytes, str) here
        return
    if kind == "replace":
        parent[key] = value
    elif kind == "add_key" and isinstance(parent[key], dict):
        parent[key]["x" if not isinstance(value, str) or not value else value[:50]] = value
    elif kind == "alias_list" and isinstance(parent[key], list) and parent[key]:
        parent[key] = [parent[key][0]] * count
    else:
        parent[key] = value


def _mapped() -> int:
    """Bytes of address space this process maps now (VmSize)."""
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 4 << 30


def _send(fd, obj):
    data = pickle.dumps(obj)
    os.write(fd, len(data).to_bytes(8, "big"))
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _receive(fd, timeout=None):
    """The next object from ``fd``; None at end of file or when ``timeout`` seconds pass without one."""
    chunks, need, size = [], 8, None
    while need:
        if timeout is not None and not select.select([fd], [], [], timeout)[0]:
            return None
        chunk = os.read(fd, need)
        if not chunk:
            return None
        chunks.append(chunk)
        need -= len(chunk)
        if need == 0 and size is None:
            size = int.from_bytes(b"".join(chunks), "big")
            chunks, need = [], size
    return pickle.loads(b"".join(chunks))


def _on_cpu_limit(_signum, _frame):
    raise TimeoutError(f"over {EXAMPLE_SECONDS} s of CPU")


def _serve(requests, replies):  # pragma: no cover - runs in the child
    """The child: bounded memory for good, bounded CPU per example; builds each model it receives."""
    resource.setrlimit(resource.RLIMIT_AS, (_mapped() + EXAMPLE_MEMORY, resource.RLIM_INFINITY))
    signal.signal(signal.SIGPROF, _on_cpu_limit)
    while True:
        raw = _receive(requests)
        if raw is None:
            return
        signal.setitimer(signal.ITIMER_PROF, EXAMPLE_SECONDS)
        try:
            result = pipeline.build(raw, from_vars=False)
            out = {"stage": result["stage"], "findings": [(f["rule"], f["path"]) for f in result["findings"]]}
        except BaseException:  # noqa: BLE001 - the parent asserts on it, with the traceback
            out = {"error": traceback.format_exc()}
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
        del raw
        _send(replies, out)


class _Builder:
    """One forked child builds example after example (a fork per example costs more than the example)."""

    def __init__(self):
        self.pid = None

    def start(self):
        req_r, req_w = os.pipe()
        rep_r, rep_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover
            os.close(req_w)
            os.close(rep_r)
            try:
                _serve(req_r, rep_w)
            finally:
                os._exit(0)  # pylint: disable=protected-access
        os.close(req_r)
        os.close(rep_w)
        self.pid, self.requests, self.replies = pid, req_w, rep_r

    def stop(self):
        if self.pid:
            for fd in (self.requests, self.replies):
                os.close(fd)
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(self.pid, 0)
            self.pid = None

    def build(self, raw):
        if not self.pid:
            self.start()
        try:
            _send(self.requests, raw)
        except (BrokenPipeError, OSError):
            self.stop()
            return {"error": "the build process died"}
        out = _receive(self.replies, timeout=4 * EXAMPLE_SECONDS)
        if out is None or "error" in out:
            self.stop()   # a fresh child for the next example: this one may be out of memory or stuck
            return out or {"error": f"no answer within {4 * EXAMPLE_SECONDS} s or the child died (memory limit "
                                    f"{EXAMPLE_MEMORY >> 20} MiB)"}
        return out


BUILDER = _Builder()


@pytest.fixture(scope="module", autouse=True)
def _stop_builder():
    yield
    BUILDER.stop()


@settings(max_examples=HOSTILE_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(HOSTILE_MUTATION, min_size=1, max_size=3))
def test_hostile_shapes_through_the_whole_pipeline(mutations):
    raw = copy.deepcopy(BASE)
    for mutation in mutations:
        _hostile(raw, mutation)
    out = BUILDER.build(raw)
    assert "error" not in out, out.get("error")
    for rule, path in out["findings"]:
        assert isinstance(path, str) and path, (rule, path)
        assert rule != "CHECK000", (rule, path)
