"""The network branch: raw probes per layer (``probes``) and the check that walks every host
DNS -> TCP -> TLS -> proxy -> HTTP (``check``).
"""
