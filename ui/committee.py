"""What the Committee page (``ui/pages/committee.py``) needs outside its own script: the
store, opened once per server process, and the token a personal link carries.

A personal link is the Committee page's address with ``?token=…``. The entry point
(app.py) calls :func:`take_token` before it reads or writes the query parameters, so the
token moves from the address bar into the session at once: it is never written back
into a link, a page title, a download or the URL the app keeps in step with its state.
Streamlit's server does not log query strings at its default log level (tornado's
access log of successful requests is at INFO, which Streamlit does not show); the
browser test ``tests/e2e/test_committee.py`` checks the server's whole output for the
token.
"""

from __future__ import annotations

import os
from urllib.parse import urlencode

import streamlit as st

from engine.committee.actions import database_url
from engine.committee.store import Store

TOKEN_PARAM = "token"
"""The query parameter of a personal link."""
TOKEN_KEY = "cm_token"
"""Session key of the token this browser tab uses (never in the URL)."""
PAGE = "committee"
"""The Committee page's URL path."""


def take_token() -> None:
    """Move a link's ``?token=`` into the session and out of the address bar (call before
    anything reads the query parameters). A token given twice uses the last one."""
    if TOKEN_PARAM in st.query_params:
        given = st.query_params.get_all(TOKEN_PARAM)
        del st.query_params[TOKEN_PARAM]
        token = (given[-1] if given else "").strip()
        if token:
            st.session_state[TOKEN_KEY] = token
            st.session_state.pop("cm_problem", None)


def store_url() -> str:
    """The database URL: ``SHORTLIST_DATABASE_URL``, else the CLI's default (the SQLite
    file ``shortlist-committee.db`` in the server's working directory). Read on every
    call, as the data directories are."""
    return database_url(None, os.environ)


@st.cache_resource(show_spinner=False)
def _open(url: str, _create: bool) -> Store:
    # the key is the URL alone: one store (one connection pool) per database per server
    # process, whichever call opened it; a failed opening is not cached
    return Store(url, create=_create)


def store(*, create: bool = False) -> Store:
    """The committee store of :func:`store_url`, opened once per server process.

    Parameters
    ----------
    create : bool
        Whether a missing SQLite file may be made (only opening a decision makes one:
        visiting the page or trying a token does not).

    Raises
    ------
    InputError
        ``committee.database`` (see :class:`~engine.committee.store.Store`).
    """
    return _open(store_url(), create)


def personal_link(token: str) -> str:
    """The Committee page's address in this browser with ``?token=``: what a member opens
    (without a browser address, as under AppTest, the page's path)."""
    base = st.context.url or PAGE
    return f"{base}?{urlencode({TOKEN_PARAM: token})}"
