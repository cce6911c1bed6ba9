"""UNSET: the default of a service's optional argument, telling "left out, keep the stored value" apart from None."""

from typing import Any


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET: Any = _Unset()
