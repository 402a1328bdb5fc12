"""The guided run: the questions (``interview``), the run that starts checks as answers come
in (``run``), and the one next action offered after the verdict (``offer``).
"""
