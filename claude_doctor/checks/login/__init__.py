"""The login branch: is there a credential, is the OAuth login healthy, and is the clock
right (``check``).
"""
