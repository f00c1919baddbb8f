"""Questions asked on a terminal or a pipe, or answered from defaults with --no-input.

Prompts go to the given output stream (the CLI passes stderr, so stdout holds
only the result); answers are read a line at a time from the given input, TTY
or not, so answers can be piped. The end of the input is a usage error, never
a traceback.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable, Sequence
from typing import TextIO

from ..catalog.validate import UsageError

Check = Callable[[str], str | None]  # an answer -> why it is refused, or None


class Prompter:
    """Asks questions, or with `interactive` False answers each with its default."""

    def __init__(self, stdin: TextIO, out: TextIO, interactive: bool = True) -> None:
        self.stdin, self.out, self.interactive = stdin, out, interactive

    def _read(self, label: str, prompt: str, hidden: bool = False) -> str:
        if hidden and self.stdin.isatty():
            try:
                return getpass.getpass(prompt, stream=self.out).strip()
            except EOFError:
                raise UsageError(f"no answer to {label!r}: the input ended; answer every prompt, or use --no-input and flags") from None
        self.out.write(prompt)
        self.out.flush()
        line = self.stdin.readline()
        if not line or not self.stdin.isatty():
            self.out.write("\n")  # a piped answer is not echoed: end the prompt's line
        if not line:
            raise UsageError(f"no answer to {label!r}: the input ended; answer every prompt, or use --no-input and flags")
        return line.strip()

    def warn(self, message: str) -> None:
        self.out.write(f"  {message}\n")

    def text(self, label: str, default: str = "", check: Check | None = None, hint: str = "", required: bool = False) -> str:
        """One line of text; Enter takes the default (shown in brackets), or leaves it empty unless required."""
        if not self.interactive:
            return default
        shown = f" [{default}]" if default else ""
        note = f" ({hint})" if hint else ""
        while True:
            answer = self._read(label, f"{label}{note}{shown}: ") or default
            if not answer and required:
                self.warn("an answer is needed")
                continue
            problem = check(answer) if check is not None and answer else None
            if problem is None:
                return answer
            self.warn(problem)

    def choose(self, label: str, choices: Sequence[str], default: str = "", required: bool = False) -> str:
        """One of `choices`; Enter takes the default, or leaves it empty unless required."""

        def check(answer: str) -> str | None:
            return None if answer in choices else f"{answer!r} is not one of: {', '.join(choices)}"

        return self.text(label, default, check, hint=", ".join(choices), required=required)

    def many(self, label: str, choices: Sequence[str] | None = None, default: Sequence[str] = (), check: Check | None = None) -> list[str]:
        """A comma-separated list; each item among `choices` (if given) and passing `check`."""

        def check_all(answer: str) -> str | None:
            items = split_list(answer)
            for item in items:
                if choices is not None and item not in choices:
                    return f"{item!r} is not one of: {', '.join(choices)}"
                problem = check(item) if check is not None else None
                if problem is not None:
                    return problem
            return f"{answer!r} repeats an item" if len(set(items)) != len(items) else None

        hint = "comma-separated" + (f"; from: {', '.join(choices)}" if choices is not None else "")
        return split_list(self.text(label, ", ".join(default), check_all, hint=hint))

    def confirm(self, label: str, default: bool = False) -> bool:
        """Yes or no; anything but y/yes is no when the default is no."""
        if not self.interactive:
            return default
        while True:
            answer = self._read(label, f"{label} [{'Y/n' if default else 'y/N'}]: ").lower()
            if not answer:
                return default
            if answer in ("y", "yes", "n", "no"):
                return answer.startswith("y")
            self.warn("answer y or n")

    def secret(self, label: str) -> str:
        """A line that is not echoed on a terminal (and never repeated back)."""
        if not self.interactive:
            return ""
        return self._read(label, f"{label}: ", hidden=True)


def split_list(answer: str) -> list[str]:
    return [item.strip() for item in answer.split(",") if item.strip()]
