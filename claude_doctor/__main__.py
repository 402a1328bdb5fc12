"""``python -m claude_doctor``."""

from claude_doctor.cli import main

main()
