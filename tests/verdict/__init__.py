"""The verdict against compound worlds: machines with more than one thing off at once,
built from what users report, each with the answer a support engineer would give."""
