"""The payload branch: a Messages API request body, validated offline (``validate``), cut
down to a minimal reproduction (``minimal``), and the check (``check``).
"""
