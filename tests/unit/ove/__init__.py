"""Tests of the NMState and OVE renderers and validators."""
