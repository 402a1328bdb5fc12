"""The login branch: is there a credential, is the OAuth login healthy (``check``), and is the
clock right (``clock``: the one clock-skew threshold and finding, also used by the network
branch's TLS layer).
"""
