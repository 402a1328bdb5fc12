"""The session branch: Claude Code's transcripts found and read within bounds
(``transcripts``, line by line through ``lines`` and ``parse``, media by the byte scan of
``attachments``) into typed ``records``, what they say about a session (``diagnose``),
and the check (``check``).
"""
