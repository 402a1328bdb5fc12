"""The guided run's questions: what they are, which to skip, and how answers become facts.

No checks run here. Each answer makes a new, frozen :class:`~claude_doctor.model.Answers`,
handed to ``on_answer`` with the question it settles, so the caller can start the checks
that were waiting for it. Every question can be skipped, and Enter never states a fact:
it skips, or (for the account) picks "Not sure".
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol, TypeVar

from claude_doctor.board import plain_reading
from claude_doctor.model import (
    Account,
    Activity,
    Answers,
    Branch,
    ErrorSignal,
    Question,
    Surface,
    When,
)

SKIP = "Skip this question"

SURFACES: tuple[tuple[str, Surface], ...] = (
    ("Claude Code (terminal or IDE)", Surface.CLAUDE_CODE),
    ("My own code with the API or an SDK", Surface.API_SDK),
    ("claude.ai in a browser", Surface.CLAUDE_AI),
    ("Claude Desktop", Surface.DESKTOP),
    ("Another tool that uses Claude", Surface.OTHER_TOOL),
)
WHEN: tuple[tuple[str, When], ...] = (
    ("Just now", When.NOW),
    ("Within the last hour", When.HOUR),
    ("Earlier today", When.TODAY),
)
ACTIVITIES: tuple[tuple[str, Activity], ...] = (
    ("Logging in", Activity.LOGIN),
    ("In a session I resumed or kept open a long time", Activity.RESUMED),
    ("In a fresh session", Activity.FRESH),
    ("In a script or CI job", Activity.SCRIPT),
)
#: What someone outside Claude Code may have been doing: no resumed sessions or CI jobs for
#: the apps, no logging in or resumed sessions for one's own API code.
ACTIVITIES_BY_SURFACE: dict[Surface, tuple[tuple[str, Activity], ...]] = {
    Surface.CLAUDE_AI: (("Logging in", Activity.LOGIN), ("In a new chat", Activity.FRESH)),
    Surface.DESKTOP: (("Logging in", Activity.LOGIN), ("In a new chat", Activity.FRESH)),
    Surface.API_SDK: (
        ("Running a script or CI job", Activity.SCRIPT),
        ("Trying a request by hand", Activity.FRESH),
    ),
}
ACCOUNTS: tuple[tuple[str, Account], ...] = (
    ("A Pro, Max or Team subscription (claude.ai login)", Account.SUBSCRIPTION),
    ("A Console API key", Account.API_KEY),
    ("Bedrock, Vertex or a gateway", Account.CLOUD),
    ("Not sure", Account.UNSURE),
)

#: Who pays for one's own API code: no subscription login there.
ACCOUNTS_BY_SURFACE: dict[Surface, tuple[tuple[str, Account], ...]] = {
    Surface.API_SDK: tuple(a for a in ACCOUNTS if a[1] is not Account.SUBSCRIPTION),
}

Choice = TypeVar("Choice", bound=enum.StrEnum)

#: What the run looks at next, by the branch the error points to.
NEXT_LOOK: dict[Branch, str] = {
    Branch.INCIDENT: "checking the status page",
    Branch.OVERLOADED: "checking the status page",
    Branch.LOGIN: "checking your login",
    Branch.ROUTE: "checking which credential is used and where it was set",
    Branch.RATE_LIMIT: "checking which account and key are used",
    Branch.SESSION: "checking your recent sessions",
    Branch.NETWORK: "checking the network",
    Branch.PAYLOAD: "checking the request",
}


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


def skipped_after_error(signal: ErrorSignal | None, surface: Surface | None) -> set[Question]:
    """Questions the pasted error (and the surface: the one given, else the error's) make
    pointless."""
    if surface is None and signal is not None and signal.surface is not Surface.UNKNOWN:
        surface = signal.surface
    skip: set[Question] = set()
    if surface is not Surface.API_SDK:
        skip.add(Question.PAYLOAD_PATH)  # only API users have a request body to check
    if surface in (Surface.CLAUDE_AI, Surface.DESKTOP):
        skip.add(Question.ACCOUNT)  # the app's own login is the only route
    if signal is None:
        return skip
    if signal.branch is Branch.LOGIN:
        # An expired or missing login says where to go: no more questions.
        skip |= {Question.WHEN, Question.ACTIVITY, Question.ACCOUNT, Question.PAYLOAD_PATH}
    elif signal.branch in (Branch.NETWORK, Branch.RATE_LIMIT, Branch.OVERLOADED):
        skip.add(Question.PAYLOAD_PATH)
    return skip


@dataclass
class Interview:
    """Asks the questions in order; ``answers`` is the latest snapshot."""

    prompter: Prompter
    #: Called with each question once it is answered or skipped, and the answers so far.
    on_answer: Callable[[Question, Answers], Awaitable[None] | None]
    classify: Callable[[str, Surface | None], ErrorSignal | None]
    answers: Answers = field(default_factory=Answers)
    signal: ErrorSignal | None = None
    #: The surface given beforehand (``--surface``): the surface question is not asked.
    surface: Surface | None = None
    #: The error given beforehand (``--error``): the paste question is not asked.
    error_text: str | None = None
    #: A failure the StopFailure hook recorded lately (its one line and its signal),
    #: offered as the error instead of a paste.
    recorded: tuple[str, ErrorSignal] | None = None

    async def _done(self, question: Question, **answer: Any) -> None:
        self.answers = replace(self.answers, **answer)
        result = self.on_answer(question, self.answers)
        if result is not None:
            await result

    async def _choose(
        self, message: str, choices: Sequence[tuple[str, Choice]], default: Choice | None
    ) -> Choice | None:
        chosen = await self.prompter.select(message, choices, default)
        return next((value for _title, value in choices if value == chosen), None)

    async def run(self) -> ErrorSignal | None:
        """Ask every question that still makes sense; returns the classified error."""
        p = self.prompter
        surface = self.surface
        if surface is None:
            surface = await self._choose("Where did you see the error?", SURFACES, default=None)
        await self._done(Question.SURFACE, surface=surface)

        text = await self._error_text(surface)
        await self._done(Question.ERROR_TEXT, error_text=text or None)

        skip = skipped_after_error(self.signal, surface)
        when = None
        if Question.WHEN not in skip:
            when = await self._choose("When did it happen?", WHEN, default=None)
        await self._done(Question.WHEN, when=when)
        seen_on = surface
        if seen_on is None and self.signal is not None:
            seen_on = self.signal.surface
        activity = None
        if Question.ACTIVITY not in skip:
            activity = await self._choose(
                "What were you doing?", activities_for(seen_on), default=None
            )
        await self._done(Question.ACTIVITY, activity=activity)
        account = None
        if Question.ACCOUNT not in skip:
            accounts = ACCOUNTS_BY_SURFACE.get(seen_on, ACCOUNTS) if seen_on else ACCOUNTS
            account = await self._choose(
                "Which account do you think you use?", accounts, default=Account.UNSURE
            )
        await self._done(Question.ACCOUNT, account=account)
        path = ""
        if Question.PAYLOAD_PATH not in skip:
            path = (
                await p.path("Path to the request body you sent (JSON), or Enter to skip:")
            ).strip()
        await self._done(Question.PAYLOAD_PATH, payload_path=path or None)
        return self.signal

    async def _error_text(self, surface: Surface | None) -> str:
        """The error: the one given beforehand, else the recorded failure when the user
        takes it, else a paste."""
        p = self.prompter
        text = self.error_text
        if text is None and self.recorded is not None and surface in (Surface.CLAUDE_CODE, None):
            line, signal = self.recorded
            p.say(f"  Claude Code's StopFailure hook recorded a failure: {line}")
            if await p.confirm("Use that failure as the error?", default=True):
                self.signal = signal
                p.say(describe(signal))
                return signal.message
        if text is None:
            p.say(
                "  (Several lines are fine: Enter on an empty line ends the paste; "
                "Enter alone skips.)"
            )
            text = (await p.paste("Paste the error:")).strip()
        if text:
            self.signal = self.classify(text, surface)
            if self.signal is not None:
                p.say(describe(self.signal))
        return text


def activities_for(surface: Surface | None) -> tuple[tuple[str, Activity], ...]:
    """The answers to "What were you doing?" that fit where the error was seen."""
    return ACTIVITIES_BY_SURFACE.get(surface, ACTIVITIES) if surface else ACTIVITIES


def describe(signal: ErrorSignal) -> str:
    """One plain sentence on what the pasted error looks like and what is checked next."""
    reading = plain_reading(signal)
    if reading is None:
        return "  → Not an error claude-doctor recognises; the checks go on without it."
    look = NEXT_LOOK.get(signal.branch, "checking everything")
    return f"  → Looks like {reading}; {look}."


async def _ask(question: Any) -> Any:
    """Ask one questionary question. The Ctrl-C key still stops it (KeyboardInterrupt);
    a SIGINT signal is left to the run, which stops the checks like SIGTERM does."""
    from questionary import utils

    if not utils.ACTIVATED_ASYNC_MODE:
        await utils.activate_prompt_toolkit_async_mode()
    return await question.application.run_async(handle_sigint=False)


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
        skip = questionary.Choice(SKIP, value="")
        chosen: Any = default if default in {v for _t, v in choices} else None
        if chosen is None:
            items.insert(0, skip)  # no default: Enter skips, it never picks an answer
            chosen = skip
        else:
            items.append(skip)
        answer = await _ask(
            questionary.select(
                message, choices=items, default=chosen, erase_when_done=True, **self._io
            )
        )
        title = next((c.title for c in items if c.value == answer), SKIP)
        self.say(f"? {message} {title if answer else '(skipped)'}")
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

        # The box wraps what is typed at any character; once the paste ends it is drawn
        # again as the tool's own lines are, broken at spaces only.
        answer = await _ask(
            questionary.text(
                message,
                multiline=True,
                instruction=" ",
                key_bindings=bindings,
                erase_when_done=True,
                **self._io,
            )
        )
        text = str(answer or "")
        from claude_doctor.redact import masked_by_pattern

        shown = masked_by_pattern(text.strip()) or "(skipped)"
        self.say(f"? {message} " + shown.replace("\n", "\n    "))
        return text

    async def path(self, message: str) -> str:
        import questionary

        answer = await _ask(questionary.path(message, **self._io))
        return str(answer or "")

    async def confirm(self, message: str, default: bool) -> bool:
        import questionary

        answer = await _ask(
            questionary.confirm(message, default=default, erase_when_done=True, **self._io)
        )
        self.say(f"? {message} {'Yes' if answer else 'No'}")
        return bool(answer)

    def say(self, text: str) -> None:
        """``text`` on stderr, fitted to the terminal's width (words never split)."""
        import os

        from claude_doctor.render.layout import fit_plain
        from claude_doctor.terminal import console_width

        indent = len(text) - len(text.lstrip(" ")) + 2
        self._err.write(fit_plain(text, console_width(self._err, os.environ), indent))
        self._err.flush()
