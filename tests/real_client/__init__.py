"""The real Claude Code client against a local fake API, read back by claude-doctor."""
