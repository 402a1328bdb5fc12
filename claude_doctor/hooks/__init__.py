"""Claude Code's ``StopFailure`` hook: installing the entry that runs claude-doctor, the fast
start that reads the hook's input and detaches, the recorder that diagnoses the moment, and
reading back what was recorded."""
