"""``python -m claude_doctor`` and the ``claude-doctor`` command: the ``StopFailure`` hook's
fast start (no CLI framework loaded, so it reads its input before Claude Code exits), else
the command line."""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:3] == ["hook", "stop-failure"]:
        from claude_doctor.hooks.capture import capture_main, fast_args

        if fast_args(sys.argv[3:]) is not None:
            capture_main(sys.argv[3:])
    from claude_doctor.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
