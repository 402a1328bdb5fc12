"""The request's top-level parameters: required fields, types, names from other chat APIs,
value ranges (sampling, ``max_tokens`` against the model's output limit, the thinking
budget) and the ``system`` prompt."""

from __future__ import annotations

from typing import Any

from claude_doctor.checks.payload.findings import ROOT_PATH, did_you_mean, join_path
from claude_doctor.checks.payload.validate.state import State
from claude_doctor.model import Severity

#: Top-level parameters of ``POST /v1/messages`` (including the beta ones).
KNOWN_PARAMETERS = frozenset(
    {
        "model",
        "messages",
        "max_tokens",
        "system",
        "metadata",
        "stop_sequences",
        "stream",
        "temperature",
        "top_p",
        "top_k",
        "tools",
        "tool_choice",
        "thinking",
        "service_tier",
        "container",
        "context_management",
        "mcp_servers",
        "output_config",
        "output_format",
        "inference_geo",
        "cache_control",
    }
)
#: Parameters of other chat APIs that people carry over, and what the Messages API calls them.
FOREIGN_PARAMETERS = {
    "max_completion_tokens": "max_tokens",
    "max_output_tokens": "max_tokens",
    "stop": "stop_sequences",
    "response_format": "output_config.format",
    "user": "metadata.user_id",
    "functions": "tools",
    "function_call": "tool_choice",
    "n": "(nothing: one response per request)",
    "frequency_penalty": "(nothing: not supported)",
    "presence_penalty": "(nothing: not supported)",
    "logit_bias": "(nothing: not supported)",
    "seed": "(nothing: not supported)",
    "anthropic_version": "the anthropic-version header",
    "betas": "the anthropic-beta header",
}
#: The type each parameter must have, and how a finding says it.
EXPECTED_TYPES: dict[str, tuple[Any, str]] = {
    "model": (str, "a string"),
    "max_tokens": (int, "an integer"),
    "messages": (list, "an array"),
    "stream": (bool, "a boolean"),
    "stop_sequences": (list, "an array of strings"),
    "metadata": (dict, "an object"),
    "tools": (list, "an array"),
    "tool_choice": (dict, "an object"),
    "thinking": (dict, "an object"),
    "temperature": (int | float, "a number"),
    "top_p": (int | float, "a number"),
    "top_k": (int, "an integer"),
    "system": (str | list, "a string or an array of text blocks"),
}


def check_top_level(s: State) -> None:
    d = s.data
    for key in ("model", "max_tokens", "messages"):
        if key not in d:
            s.missing(ROOT_PATH, key, "Every Messages request")
    for key, (kind, words) in EXPECTED_TYPES.items():
        if key not in d:
            continue
        value = d[key]
        bad_bool = isinstance(value, bool) and kind is not bool
        if bad_bool or not isinstance(value, kind):
            s.wrong_type(key, value, words)
    for key in d:
        if key not in KNOWN_PARAMETERS:
            _unknown_parameter(s, key)
    _sampling(s)
    _max_tokens(s)
    _thinking(s)
    stops = d.get("stop_sequences")
    if isinstance(stops, list):
        for i, stop in enumerate(stops):
            if not isinstance(stop, str):
                s.wrong_type(join_path("stop_sequences", i), stop, "a string")


def _unknown_parameter(s: State, key: str) -> None:
    if key in FOREIGN_PARAMETERS:
        s.add(
            "unknown_parameter",
            Severity.FAIL,
            key,
            f"{key!r} is not a Messages API parameter (use {FOREIGN_PARAMETERS[key]})",
            detail=(
                "This name comes from another chat API. The Messages API rejects "
                "extra inputs with 400 invalid_request_error."
            ),
            parameter=key,
        )
        return
    guess = did_you_mean(key, KNOWN_PARAMETERS)
    if guess:
        s.add(
            "unknown_parameter",
            Severity.FAIL,
            key,
            f"unknown parameter {key!r} (did you mean {guess!r}?)",
            detail="The API rejects extra inputs with 400 invalid_request_error.",
            steps=(f"Rename {key!r} to {guess!r}",),
            parameter=key,
            suggestion=guess,
        )
    else:
        s.add(
            "unknown_parameter",
            Severity.WARN,
            key,
            f"unknown parameter {key!r}",
            detail=(
                "claude-doctor does not know this parameter. The API rejects extra "
                "inputs, unless this is a parameter newer than this version of "
                "claude-doctor."
            ),
            parameter=key,
        )


def _sampling(s: State) -> None:
    d = s.data
    for key in ("temperature", "top_p"):
        v = d.get(key)
        if isinstance(v, int | float) and not isinstance(v, bool) and not 0 <= v <= 1:
            s.add(
                "out_of_range",
                Severity.FAIL,
                key,
                f"{key} is {v}; it must be between 0 and 1",
                detail="Other APIs allow temperature up to 2; the Messages API allows 0-1.",
                value=v,
            )
    top_k = d.get("top_k")
    if isinstance(top_k, int) and not isinstance(top_k, bool) and top_k < 0:
        s.add("out_of_range", Severity.FAIL, "top_k", f"top_k is {top_k}; must be >= 0")


def _max_tokens(s: State) -> None:
    max_tokens = s.data.get("max_tokens")
    if not isinstance(max_tokens, int) or isinstance(max_tokens, bool):
        return
    family = s.family
    if max_tokens < 1:
        s.add(
            "out_of_range",
            Severity.FAIL,
            "max_tokens",
            f"max_tokens is {max_tokens}; it must be at least 1",
            value=max_tokens,
        )
    elif family and max_tokens > family.max_output:
        note = f" ({family.output_note})" if family.output_note else ""
        s.add(
            "out_of_range",
            Severity.FAIL,
            "max_tokens",
            f"max_tokens {max_tokens:,} is over {family.label}'s output limit of "
            f"{family.max_output:,} tokens{note}",
            detail=f"Model {s.model} writes at most {family.max_output:,} tokens in one answer; "
            "max_tokens caps the answer, not the prompt.",
            steps=(f"Set max_tokens to {family.max_output} or less",),
            value=max_tokens,
            limit=family.max_output,
        )


def _thinking(s: State) -> None:
    thinking = s.data.get("thinking")
    if not isinstance(thinking, dict) or thinking.get("type") != "enabled":
        return
    max_tokens = s.data.get("max_tokens")
    budget = thinking.get("budget_tokens")
    if not isinstance(budget, int) or isinstance(budget, bool):
        s.missing("thinking", "budget_tokens", "Enabled extended thinking")
    elif budget < 1024:
        s.add(
            "out_of_range",
            Severity.FAIL,
            "thinking.budget_tokens",
            f"budget_tokens is {budget}; the minimum is 1024",
            value=budget,
        )
    elif isinstance(max_tokens, int) and budget >= max_tokens:
        s.add(
            "out_of_range",
            Severity.FAIL,
            "thinking.budget_tokens",
            f"budget_tokens {budget} must be less than max_tokens {max_tokens}",
            value=budget,
        )


def check_system(s: State, system: Any) -> None:
    if isinstance(system, str):
        s.count_text(system)
        return
    for i, block in enumerate(system):
        path = join_path("system", i)
        if not isinstance(block, dict):
            s.wrong_type(path, block, "a text block object")
            continue
        if block.get("type") != "text":
            s.add(
                "invalid_block",
                Severity.FAIL,
                join_path(path, "type"),
                f"system blocks must be text blocks, not {block.get('type')!r}",
            )
        text = block.get("text")
        if not isinstance(text, str):
            s.missing(path, "text", "A system text block")
        else:
            s.count_text(text)
