"""The guided run's questions: what they are, which to skip, and how answers become facts.

No checks run here. Each answer is written into an :class:`~claude_doctor.model.Answers`
and announced through ``on_answer`` so the caller can start the checks that were waiting
for it. Every question can be skipped and has a sensible default.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from claude_doctor.model import Answers, Branch, ErrorSignal, Surface

SKIP = "Skip this question"

SURFACES: tuple[tuple[str, str], ...] = (
    ("Claude Code (terminal or IDE)", Surface.CLAUDE_CODE.value),
    ("My own code with the API or an SDK", Surface.API_SDK.value),
    ("claude.ai in a browser", Surface.CLAUDE_AI.value),
    ("Claude Desktop", Surface.DESKTOP.value),
    ("Another tool that uses Claude", Surface.OTHER_TOOL.value),
)
WHEN: tuple[tuple[str, str], ...] = (
    ("Just now", "now"),
    ("Within the last hour", "hour"),
    ("Earlier today", "today"),
)
ACTIVITIES: tuple[tuple[str, str], ...] = (
    ("Logging in", "login"),
    ("In a session I resumed or kept open a long time", "resumed"),
    ("In a fresh session", "fresh"),
    ("In a script or CI job", "script"),
)
ACCOUNTS: tuple[tuple[str, str], ...] = (
    ("A Pro, Max or Team subscription (claude.ai login)", "subscription"),
    ("A Console API key", "api_key"),
    ("Bedrock, Vertex or a gateway", "cloud"),
    ("Not sure", "unsure"),
)

#: Every answer key, in the order the questions come.
QUESTIONS = ("surface", "error_text", "when", "activity", "account", "payload_path")


class Prompter(Protocol):
    """How questions reach a person. The real one uses questionary; all prompts go to
    stderr so stdout stays clean."""

    async def select(
        self, message: str, choices: Sequence[tuple[str, str]], default: str | None
    ) -> str | None: ...

    async def paste(self, message: str) -> str: ...

    async def path(self, message: str) -> str: ...

    async def confirm(self, message: str, default: bool) -> bool: ...

    def say(self, text: str) -> None: ...


def skipped_after_error(signal: ErrorSignal | None, surface: Surface | None) -> set[str]:
    """Questions the pasted error (and the surface) make pointless."""
    skip: set[str] = set()
    if surface is not Surface.API_SDK:
        skip.add("payload_path")  # only API users have a request body to check
    if surface in (Surface.CLAUDE_AI, Surface.DESKTOP):
        skip.add("account")  # the app's own login is the only route
    if signal is None:
        return skip
    if signal.branch is Branch.LOGIN:
        # An expired or missing login says where to go: no more questions.
        skip |= {"when", "activity", "account", "payload_path"}
    elif signal.branch in (Branch.NETWORK, Branch.RATE_LIMIT, Branch.OVERLOADED):
        skip.add("payload_path")
    return skip


@dataclass
class Interview:
    """Asks the questions in order and fills ``answers``."""

    prompter: Prompter
    answers: Answers
    #: Called with each answer key once it is answered or skipped.
    on_answer: Callable[[str], Awaitable[None] | None]
    classify: Callable[[str, Surface | None], ErrorSignal | None]
    signal: ErrorSignal | None = None

    async def _done(self, key: str) -> None:
        result = self.on_answer(key)
        if result is not None:
            await result

    async def run(self) -> ErrorSignal | None:
        """Ask every question that still makes sense; returns the classified error."""
        a = self.answers
        p = self.prompter
        choice = await p.select(
            "Where did you see the error?", SURFACES, default=Surface.CLAUDE_CODE.value
        )
        a.surface = Surface(choice) if choice else None
        await self._done("surface")

        p.say(
            "  (Several lines are fine: Enter on an empty line ends the paste; Enter alone skips.)"
        )
        text = (await p.paste("Paste the error:")).strip()
        a.error_text = text or None
        if text:
            self.signal = self.classify(text, a.surface)
            if self.signal is not None:
                p.say(_describe(self.signal))
        await self._done("error_text")

        skip = skipped_after_error(self.signal, a.surface)
        if "when" not in skip:
            a.when = await p.select("When did it happen?", WHEN, default="now")
        await self._done("when")
        if "activity" not in skip:
            a.activity = await p.select("What were you doing?", ACTIVITIES, default=None)
        await self._done("activity")
        if "account" not in skip:
            a.account = await p.select(
                "Which account do you think you use?", ACCOUNTS, default="unsure"
            )
        await self._done("account")
        if "payload_path" not in skip:
            path = (
                await p.path("Path to the request body you sent (JSON), or Enter to skip:")
            ).strip()
            a.payload_path = path or None
        await self._done("payload_path")
        return self.signal


def _describe(signal: ErrorSignal) -> str:
    status = f" (HTTP {signal.http_status})" if signal.http_status else ""
    what = signal.category.value.replace("_", " ")
    return f"  → reads as {what}{status}: the {signal.branch.value} branch."


class QuestionaryPrompter:
    """The real prompts: questionary on the terminal, drawn on stderr.

    ``input``/``output`` are prompt_toolkit objects; tests pass a pipe input and a
    ``DummyOutput``.
    """

    def __init__(self, *, input: Any = None, output: Any = None, err: Any = None) -> None:
        import sys

        from prompt_toolkit.output import create_output

        self._err = err or sys.stderr
        self._io: dict[str, Any] = {
            "input": input,
            "output": output if output is not None else create_output(stdout=self._err),
        }

    async def select(
        self, message: str, choices: Sequence[tuple[str, str]], default: str | None
    ) -> str | None:
        import questionary

        items = [questionary.Choice(title, value=value) for title, value in choices]
        items.append(questionary.Choice(SKIP, value=""))
        chosen = default if default in {v for _t, v in choices} else None
        answer = await questionary.select(
            message, choices=items, default=chosen, **self._io
        ).unsafe_ask_async()
        return str(answer) or None

    async def paste(self, message: str) -> str:
        import questionary
        from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent

        bindings = KeyBindings()

        @bindings.add("enter")
        def _enter(event: KeyPressEvent) -> None:
            buffer = event.current_buffer
            # Enter on an empty line (or in an empty box) ends the paste; a pasted block
            # arrives as one bracketed paste, so its own newlines never end it.
            if not buffer.text.strip() or not buffer.document.current_line.strip():
                buffer.validate_and_handle()
            else:
                buffer.insert_text("\n")

        answer = await questionary.text(
            message, multiline=True, instruction=" ", key_bindings=bindings, **self._io
        ).unsafe_ask_async()
        return str(answer or "")

    async def path(self, message: str) -> str:
        import questionary

        answer = await questionary.path(message, **self._io).unsafe_ask_async()
        return str(answer or "")

    async def confirm(self, message: str, default: bool) -> bool:
        import questionary

        answer = await questionary.confirm(message, default=default, **self._io).unsafe_ask_async()
        return bool(answer)

    def say(self, text: str) -> None:
        self._err.write(text + "\n")
        self._err.flush()
