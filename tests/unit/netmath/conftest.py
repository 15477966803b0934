"""Markers of the netmath tests."""


def pytest_configure(config):
    config.addinivalue_line("markers", "bench: runs bench/filters_bench.py with a small N (needs ansible.utils)")
