"""The template sandbox's bound on size: a template's markup cannot make a string or a list so long that
the build eats the machine's memory (`{{ 'a'*10**9 }}`, `{{ [1]*10**9 }}`, a doubling loop), as Jinja's own
sandbox bounds range() and nothing else.

Each operation that can multiply a size is checked before it runs (`*`, `**`, `%` and the width of a
format, the width arguments of center/ljust/…, join and replace by their result's length); anything a
call, a filter or a namespace assignment returns is checked after. Constant folding at compile time is
off for the intercepted operators (Jinja folds nothing it intercepts), so the check runs at render."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any
from weakref import WeakKeyDictionary

from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import Namespace, pass_context

MAX_BUILT = 1_000_000  # characters or items one operation of a template may build (a letter is ~10,000)
MAX_POWER_BITS = 4096  # an integer power no larger than this many bits (10**9 is 30)
# characters one rendered part (the body's XML, a header) may come to: a loop of bounded pieces adds up
# (100,000 × 10,000); the seed's 分工函合订打印本 body is some 3 MB
MAX_OUTPUT = 50_000_000

_WIDTH = re.compile(r"\d+")
_WIDTH_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})
_WIDTH_FILTERS = frozenset({"center", "indent", "batch", "slice", "wordwrap", "truncate"})


class TooLarge(Exception):
    """A template's markup would build more than MAX_BUILT; `needle` is the text of the markup to quote
    (the operator, method or filter)."""

    def __init__(self, needle: str, limit: int = MAX_BUILT) -> None:
        super().__init__(needle)
        self.needle, self.limit = needle, limit


def _size(value: Any) -> int:
    return len(value) if isinstance(value, (str, bytes, list, tuple)) else 0


def _checked(value: Any, needle: str) -> Any:
    if isinstance(value, (str, bytes, list, tuple)) and len(value) > MAX_BUILT:
        raise TooLarge(needle)
    return value


def _format_widths(fmt: str, needle: str) -> None:
    """A %-format or {}-format whose width or precision alone is over the bound."""
    if any(len(digits) > 6 and int(digits) > MAX_BUILT for digits in _WIDTH.findall(fmt)):
        raise TooLarge(needle)


def _ints(values: Any) -> list[int]:
    items = values if isinstance(values, (tuple, list)) else (values,)
    return [v for v in items if isinstance(v, int) and not isinstance(v, bool)]


class BoundedNamespace(Namespace):
    """namespace(): `{% set ns.s = ns.s ~ ns.s %}` in a loop doubles a string that no operator builds."""

    def __setitem__(self, name: str, value: Any) -> None:
        Namespace.__setitem__(self, name, _checked(value, "namespace"))


def _bounded_concat(chunks: Iterable[str]) -> str:
    """ "".join of what a template (or a block of it) writes, stopped once it passes MAX_OUTPUT."""
    kept: list[str] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > MAX_OUTPUT:
            raise TooLarge("for ", MAX_OUTPUT)
        kept.append(chunk)
    return "".join(kept)


_WRITTEN: WeakKeyDictionary[Context, list[int]] = WeakKeyDictionary()  # characters each render wrote


@pass_context
def _counted(context: Context, value: Any) -> Any:
    """Every {{ … }} a render writes counted against MAX_OUTPUT: a loop inside a macro or a {% set %} block
    gathers its pieces in a list before they are joined, so the join alone would see them too late."""
    written = _WRITTEN.setdefault(context, [0])
    written[0] += _size(value)
    if written[0] > MAX_OUTPUT:
        raise TooLarge("for ", MAX_OUTPUT)
    return value


class BoundedSandbox(SandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "%", "+"})
    concat = staticmethod(_bounded_concat)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, finalize=_counted, **kwargs)
        self.globals["namespace"] = BoundedNamespace
        for name, function in list(self.filters.items()):
            self.filters[name] = _bounded_filter(name, function)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        needle = operator
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if _size(seq) and isinstance(times, int) and _size(seq) * times > MAX_BUILT:
                    raise TooLarge(needle)
        elif operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 0:
            if abs(left) > 1 and right * abs(left).bit_length() > MAX_POWER_BITS:
                raise TooLarge(needle)
        elif operator == "%" and isinstance(left, str):
            _format_widths(left, needle)
            if "*" in left and any(v > MAX_BUILT for v in _ints(right)):
                raise TooLarge(needle)
        elif operator == "+" and _size(left) + _size(right) > MAX_BUILT:
            raise TooLarge(needle)
        return _checked(super().call_binop(context, operator, left, right), needle)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        name = str(getattr(__obj, "__name__", "") or getattr(__obj, "name", ""))  # a function, a macro
        needle = f"{name}("  # as the markup calls it
        for argument in (*args, *kwargs.values()):  # a macro calling itself with a doubled argument
            _checked(argument, needle)
        owner = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)
        if isinstance(owner, str):
            if name in _WIDTH_METHODS and any(v > MAX_BUILT for v in _ints(args)):
                raise TooLarge(needle)
            if name in ("format", "format_map"):
                _format_widths(owner, needle)
            if name == "join" and isinstance(args[0] if args else None, (list, tuple)):
                items = args[0]
                if sum(map(_size, items)) + len(owner) * max(len(items) - 1, 0) > MAX_BUILT:
                    raise TooLarge(needle)
            replaced = name == "replace" and len(args) >= 2 and all(isinstance(a, str) for a in args[:2])
            if replaced and owner.count(args[0]) * len(args[1]) + len(owner) > MAX_BUILT:
                raise TooLarge(needle)
        return _checked(super().call(__context, __obj, *args, **kwargs), needle)


def _bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter whose width arguments and result are bounded (`'a'|center(10**9)`, `x|join(y)`)."""

    def bounded(*args: Any, **kwargs: Any) -> Any:
        values = [a for a in args if not isinstance(a, (Context, EvalContext, SandboxedEnvironment))]
        if name in _WIDTH_FILTERS and any(v > MAX_BUILT for v in _ints(values[1:] + list(kwargs.values()))):
            raise TooLarge(name)
        if name == "format" and values and isinstance(values[0], str):
            _format_widths(values[0], name)
            if "*" in values[0] and any(v > MAX_BUILT for v in _ints(values[1:])):
                raise TooLarge(name)
        if name == "join" and values and isinstance(values[0], (list, tuple)):
            sep = values[1] if len(values) > 1 and isinstance(values[1], str) else ""
            if sum(map(_size, values[0])) + len(sep) * max(len(values[0]) - 1, 0) > MAX_BUILT:
                raise TooLarge(name)
        replaced = name == "replace" and len(values) >= 3 and all(isinstance(v, str) for v in values[:3])
        if replaced and values[0].count(values[1]) * len(values[2]) + len(values[0]) > MAX_BUILT:
            raise TooLarge(name)
        return _checked(function(*args, **kwargs), name)

    for attribute in ("jinja_pass_arg", "__name__", "__doc__"):  # pass_context/pass_environment marks
        if hasattr(function, attribute):
            setattr(bounded, attribute, getattr(function, attribute))
    return bounded
