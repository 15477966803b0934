"""Drift: running state parsed into the records the design builds, then checked by the same rules.

Parsers (one per source, pure functions of text or documents): ``switch_text`` (EOS and
NX-OS ``show running-config``), ``ovs`` (Open vSwitch ports of the lab leaves),
``host_state`` (``nmstatectl show``), ``nnce`` (NodeNetworkConfigurationEnactment status
from a Kubernetes dump).  Each returns the shape of the structured configs
(``ethernet_interfaces``/``port_channels`` of a switch, ``bond``/``vlan_interfaces`` of
a node), so the consistency rules compare a running end with the other end exactly as
they compare two designed ends.
"""
