"""The checks: one package per branch, and the registry (:mod:`.registry`) that lists them.

Nothing is imported here, so a command that needs one branch's reader (``status``,
``sessions``) does not pay for every check.
"""
