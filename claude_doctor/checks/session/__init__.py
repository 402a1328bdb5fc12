"""The session branch: Claude Code's transcripts (``transcripts``), what they say about a
session (``diagnose``) and the check (``check``).
"""
