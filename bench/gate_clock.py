"""Determinism for the CI gate's workload (bench/gate_workload.py): a frozen clock and aiosqlite
without its worker threads, so that two runs under callgrind execute the same instructions.

- `freeze_clock()`: every project module that reads the clock from its globals (`utcnow()`,
  `datetime.now()`, `date.today()`) sees `NOW` / `TODAY` instead: the demo data, "upcoming"
  filters and `MEETING_ENDED` checks all read it.
- `single_thread_sqlite()`: aiosqlite's calls run inline in the event loop's thread.
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime
from typing import Any

TODAY = date(2026, 11, 1)
NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
"""The frozen clock: the demo data's relative meetings are then 10, 35 and 70 days ahead."""


class _Frozen(type):
    """A stand-in for `datetime` / `date` in a module's globals: constructing, `isinstance` and
    every other attribute go to the real class; only the clock methods the class defines differ."""

    real: type

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        return cls.real(*args, **kwargs)

    def __instancecheck__(cls, obj: Any) -> bool:
        return isinstance(obj, cls.real)

    def __subclasscheck__(cls, sub: type) -> bool:
        return issubclass(sub, cls.real)

    def __getattr__(cls, name: str) -> Any:
        return getattr(cls.real, name)


class FrozenDatetime(metaclass=_Frozen):
    real = datetime

    @staticmethod
    def now(tz: Any = None) -> datetime:
        return NOW.astimezone(tz) if tz is not None else NOW.replace(tzinfo=None)

    @staticmethod
    def utcnow() -> datetime:
        return NOW.replace(tzinfo=None)

    @staticmethod
    def today() -> datetime:
        return NOW.replace(tzinfo=None)


class FrozenDate(metaclass=_Frozen):
    real = date

    @staticmethod
    def today() -> date:
        return TODAY


def frozen_utcnow() -> datetime:
    return NOW


def freeze_clock() -> list[str]:
    """Stop the clock in every loaded module of the project (core.*, plugins.*) that reads it as
    `utcnow()`, `datetime.now()` or `date.today()` from its globals; returns their names.

    Call it after the schema is built: Strawberry resolves annotations from module globals."""
    import core.db

    frozen = []
    replacements = {
        id(core.db.utcnow): frozen_utcnow,
        id(datetime): FrozenDatetime,
        id(date): FrozenDate,
    }
    for name, module in sorted(sys.modules.items()):
        if module is None or not name.startswith(("core", "plugins")) or name == __name__:
            continue
        for attr, value in list(vars(module).items()):
            if attr in ("utcnow", "datetime", "date") and id(value) in replacements:
                setattr(module, attr, replacements[id(value)])
                frozen.append(f"{name}.{attr}")
    return frozen


class _InlineQueue:
    """Stands in for the queue of an aiosqlite connection's worker thread: runs each call at once,
    in the event loop's thread, and resolves its future on the loop's next turn."""

    def put_nowait(self, item: tuple[Any, Any]) -> None:
        from aiosqlite.core import set_exception, set_result

        future, function = item
        try:
            result = function()
        except BaseException as exc:  # handed to the awaiting coroutine, as aiosqlite does
            if future is not None:
                future.get_loop().call_soon(set_exception, future, exc)
            return
        if future is not None:
            future.get_loop().call_soon(set_result, future, result)


class _NoThread:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def start(self) -> None:
        pass


def single_thread_sqlite() -> None:
    """aiosqlite runs each connection's calls in a worker thread; the handoffs between threads
    (GIL waits of `sys.getswitchinterval()` seconds of WALL time, wake-ups) make the instruction
    count vary from run to run. Run them inline instead: same SQL, same SQLite work."""
    import aiosqlite.core

    aiosqlite.core.SimpleQueue = _InlineQueue  # type: ignore[attr-defined,misc]
    aiosqlite.core.Thread = _NoThread  # type: ignore[attr-defined,misc]
