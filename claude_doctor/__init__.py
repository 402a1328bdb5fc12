"""claude-doctor: find which branch a Claude error is in, and the one first move."""

import time

__version__ = "0.1.0"
#: When the package was first imported, on the monotonic clock: a command's deadline
#: (``--timeout``) counts from here, so the start-up time is inside it.
STARTED = time.monotonic()
