"""Validators of rendered artifacts.

``nmstate`` checks NMState desired-state documents against the rules nmstate
and NetworkManager enforce; ``crd`` checks Kubernetes custom resources
against the openAPIV3Schema of their published CRD.  Both return findings
whose path points inside the document, so a failure names the exact key.
"""
