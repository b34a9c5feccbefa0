"""Where the bundled catalog lives: the vendor profiles, criteria, presets, policies
and CI examples that ship with Shortlist.

In a checkout (or an editable install) that is the repository root; in an installed
wheel it is the ``shortlist_data`` directory next to ``engine`` (see
``[tool.setuptools]`` in ``pyproject.toml``).

:func:`self_wheel` packs the running Shortlist (the ``engine`` package and this data)
into a wheel, which ``shortlist init`` writes into a new catalog so that its CI installs
exactly that Shortlist, pinned by its SHA-256.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["bundled_root", "self_wheel", "wheel_dependencies"]

_CHECKOUT = Path(__file__).resolve().parents[2]


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


# --------------------------------------------------------------------------- the running Shortlist as a wheel

# What the wheel ships besides the engine: the bundled catalog, as pyproject.toml's
# ``[tool.setuptools.package-data]`` lists it.
_DATA_GLOBS = (
    "vendors/*.yaml",
    "criteria/*.yaml",
    "criteria/presets/*.yaml",
    "criteria/policies/*.yaml",
    "criteria/sovereignty/*.yaml",
    "examples/*.yml",
)
_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold: same files, same bytes


def _requirements() -> tuple[str, list[str]]:
    """``Requires-Python`` and the install requirements (no extras) of this Shortlist:
    from its installed metadata when that is this version, else from the checkout's
    ``pyproject.toml``."""
    from importlib import metadata

    from engine._version import __version__

    try:
        if metadata.version("shortlist") == __version__:
            reqs = [r for r in metadata.requires("shortlist") or [] if "extra ==" not in r]
            return metadata.metadata("shortlist")["Requires-Python"] or ">=3.11", reqs
    except metadata.PackageNotFoundError:
        pass
    import tomllib

    project = tomllib.loads((_CHECKOUT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return str(project["requires-python"]), [str(r) for r in project["dependencies"]]


def wheel_dependencies() -> list[str]:
    """The install requirements of the running Shortlist (public packages, by version
    range), as in its wheel's ``Requires-Dist``."""
    return _requirements()[1]


def self_wheel() -> tuple[str, bytes]:
    """The running Shortlist packed as a wheel: its ``engine`` package and the bundled
    catalog (``shortlist_data``), the same files ``pip install`` of this version gives.

    ``shortlist init`` writes it into a new catalog with a hash-pinned requirements file,
    so the catalog's CI installs exactly this Shortlist and never a package found by name.
    The archive is deterministic (sorted entries, fixed timestamps): the same Shortlist
    gives the same bytes and the same SHA-256.

    Returns
    -------
    (str, bytes)
        The wheel's file name (``shortlist-<version>-py3-none-any.whl``) and its bytes.
    """
    import base64
    import hashlib
    import io
    import zipfile

    from engine._version import __version__

    engine_dir = Path(__file__).resolve().parents[1]
    files: dict[str, bytes] = {}
    for p in sorted(engine_dir.rglob("*.py")):
        if "__pycache__" not in p.parts:
            files["engine/" + p.relative_to(engine_dir).as_posix()] = p.read_bytes()
    root = bundled_root()
    for pattern in _DATA_GLOBS:
        for p in sorted(root.glob(pattern)):
            files["shortlist_data/" + p.relative_to(root).as_posix()] = p.read_bytes()
    requires_python, deps = _requirements()
    info = f"shortlist-{__version__}.dist-info"
    meta = [
        "Metadata-Version: 2.1",
        "Name: shortlist",
        f"Version: {__version__}",
        "Summary: Rank AI vendor offerings against a buyer's priorities (written by shortlist init)",
        "License: MIT",
        f"Requires-Python: {requires_python}",
        *(f"Requires-Dist: {d}" for d in deps),
    ]
    files[f"{info}/METADATA"] = ("\n".join(meta) + "\n").encode()
    files[f"{info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: shortlist init\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    files[f"{info}/entry_points.txt"] = b"[console_scripts]\nshortlist = engine.cli:main_entry\n"
    files[f"{info}/top_level.txt"] = b"engine\nshortlist_data\n"
    record = []
    for name, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(data)}")
    record.append(f"{info}/RECORD,,")
    files[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():  # dist-info last, RECORD at the very end
            entry = zipfile.ZipInfo(name, date_time=_EPOCH)
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(entry, data)
    return f"shortlist-{__version__}-py3-none-any.whl", buf.getvalue()
