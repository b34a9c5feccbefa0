"""The package version, in a module of its own so that engine modules can use it at
import time (``engine/__init__.py`` imports them before it could define it)."""

__version__ = "0.1.0"
