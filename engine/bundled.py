"""Where the bundled catalog lives: the vendor profiles, criteria, presets, policies
and CI examples that ship with Shortlist.

In a checkout (or an editable install) that is the repository root; in an installed
wheel it is the ``shortlist_data`` directory next to ``engine`` (see
``[tool.setuptools]`` in ``pyproject.toml``).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["bundled_root"]

_CHECKOUT = Path(__file__).resolve().parent.parent


def bundled_root() -> Path:
    """The directory holding the bundled ``vendors/``, ``criteria/`` and ``examples/``.

    Returns
    -------
    pathlib.Path
        The repository root when it has ``vendors/`` (a checkout), else the installed
        ``shortlist_data`` directory.
    """
    if (_CHECKOUT / "vendors").is_dir() and (_CHECKOUT / "criteria").is_dir():
        return _CHECKOUT
    installed = _CHECKOUT / "shortlist_data"
    return installed if installed.is_dir() else _CHECKOUT
