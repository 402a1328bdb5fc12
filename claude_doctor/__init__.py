"""claude-doctor: find which branch a Claude error is in, and the one first move."""

__version__ = "0.1.0"
