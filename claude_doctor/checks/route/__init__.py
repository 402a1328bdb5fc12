"""The route branch: which credential and base URL Claude Code's requests take (``state``),
the findings about it (``check``) and ``verify``, one request on that route.
"""
