"""The payload branch: a Messages API request read from its input (``body``), validated
offline part by part (``validate``), cut down to a minimal reproduction (``minimal``), and
the check (``check``).
"""
