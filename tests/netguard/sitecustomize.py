"""Loaded by child processes that tests start: no connection leaves the machine."""

import netguard

netguard.install()
