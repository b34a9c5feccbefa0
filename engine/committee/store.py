"""The committee store: decisions, members, tokens and append-only submissions in a database.

SQLite by default (a file, no set-up) and PostgreSQL for an organisation's servers,
both through SQLAlchemy 2; the schema is created and kept up to date by Alembic
migrations (``engine/committee/migrations``), run on first use (:func:`migrate`).

Rules the store keeps, whatever the caller:

- **Tokens** are ``secrets.token_urlsafe(32)`` (256 random bits) and stored only as their
  SHA-256 digest: a database dump does not give access. (A plain hash suffices for a
  random 256-bit secret; a slow password hash guards guessable secrets.) A token is
  shown once, when it is made, and never in an error message; tokens can be revoked.
- **Access**: the owner's token invites, revokes, sees progress (who submitted, how
  often, when; never what) and closes; a member's token submits and reads that
  member's own submissions only, until the decision is closed. A closed decision's
  record is open to every valid token of it.
- **Members** are one per name as compared by :func:`name_key` (case, spacing and
  Unicode compatibility forms ignored); an invitation of several names is all or none.
- **Submissions are append-only**: each revision is a new row (a trigger refuses an
  ``UPDATE`` or ``DELETE`` on SQLite and PostgreSQL); each write is one transaction
  (on SQLite ``BEGIN IMMEDIATE`` with a busy timeout in WAL mode; on PostgreSQL the
  decision and member rows are locked), so concurrent submissions are all kept, none
  overwrites another, and none lands after the close.

Errors are :class:`~engine.errors.InputError` with stable codes:
``committee.database``, ``committee.unknown_token``, ``committee.revoked_token``,
``committee.not_owner``, ``committee.not_member``, ``committee.closed``,
``committee.not_closed``, ``committee.duplicate_member``, ``committee.unknown_member``,
``committee.no_submissions``, ``committee.invalid``, ``committee.conflict``,
``committee.blind``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from importlib import resources
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from engine.errors import InputError, Issue, shown_path

__all__ = [
    "DATABASE_URL_VARIABLE",
    "DEFAULT_DATABASE_URL",
    "DecisionView",
    "MemberProgress",
    "Store",
    "SubmissionRow",
    "hash_token",
    "migrate",
    "name_key",
]

DATABASE_URL_VARIABLE = "SHORTLIST_DATABASE_URL"
"""The environment variable naming the database (read by the CLI, not here)."""
DEFAULT_DATABASE_URL = "sqlite:///shortlist-committee.db"
"""A SQLite file in the working directory."""

SQLITE_BUSY_TIMEOUT_S = 30.0
"""How long a SQLite writer waits for another's transaction before giving up."""

_metadata = sa.MetaData()
decisions = sa.Table(
    "decisions",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("state", sa.String(8), nullable=False),
    sa.Column("method", sa.String(32), nullable=False),
    sa.Column("criteria", sa.JSON, nullable=False),
    sa.Column("snapshot", sa.JSON, nullable=False),
    sa.Column("priorities_name", sa.String(200), nullable=False),
    sa.Column("priorities_yaml", sa.Text, nullable=False),
    sa.Column("vendors_dir", sa.Text, nullable=False),
    sa.Column("criteria_dir", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("aggregation", sa.String(32), nullable=True),
    sa.Column("result", sa.JSON, nullable=True),
)
members = sa.Table(
    "members",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("decision_id", sa.Integer, sa.ForeignKey("decisions.id"), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("weight", sa.Float, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)
tokens = sa.Table(
    "tokens",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("decision_id", sa.Integer, sa.ForeignKey("decisions.id"), nullable=False),
    sa.Column("member_id", sa.Integer, sa.ForeignKey("members.id"), nullable=True),
    sa.Column("role", sa.String(8), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
)
submissions = sa.Table(
    "submissions",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("decision_id", sa.Integer, sa.ForeignKey("decisions.id"), nullable=False),
    sa.Column("member_id", sa.Integer, sa.ForeignKey("members.id"), nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(8), nullable=False),
    sa.Column("payload", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

TABLES = ("decisions", "members", "tokens", "submissions")
"""The store's tables (Alembic adds ``alembic_version``)."""


def hash_token(token: str) -> str:
    """The SHA-256 hex digest under which a token is stored (the token itself never is)."""
    return hashlib.sha256(token.encode("utf-8", errors="surrogatepass")).hexdigest()


def _new_token() -> tuple[str, str]:
    # never a leading "-": `--token -abc…` would read as an option (argparse refuses it);
    # redrawing costs under 0.1 bit of the 256
    token = secrets.token_urlsafe(32)
    while token.startswith("-"):
        token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def _utc(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes: they were written in UTC."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _err(code: str, message: str) -> InputError:
    return InputError.single(code, message, field="committee")


def _check_name(name: str, what: str) -> None:
    """A name or role as entered, printable: 1–200 characters, no control or invisible
    character (one would hide in the record or fake a line), no space at either end."""
    from engine.catalog.text import char_name

    if not 1 <= len(name) <= 200 or name != name.strip():
        raise _err("committee.invalid", f"{what} needs 1 to 200 characters, without spaces at either end")
    for i, ch in enumerate(name):
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            raise _err(
                "committee.invalid",
                f"{what} has {char_name(ch)} at position {i + 1}: expected printable characters",
            )


def name_key(name: str) -> str:
    """The form under which two member names are the same member.

    Parameters
    ----------
    name : str
        A member's name or role as typed.

    Returns
    -------
    str
        ``name`` NFKC-normalised (compatibility forms such as fullwidth letters or a
        no-break space become the plain ones), case-folded (``Straße`` = ``STRASSE``) and
        with runs of white space collapsed to one space: ``Ana (IT)`` = ``ana  (it)``.
    """
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


_BAD_URL = (
    "expected a database URL such as sqlite:///shortlist-committee.db or "
    "postgresql+psycopg://user@host/dbname, found something that is not one (not shown: it may hold a password)"
)


def _secret_key(name: str) -> bool:
    """A URL query parameter that holds a secret (libpq's ``password``, ``sslpassword``…)."""
    low = name.lower()
    return any(w in low for w in ("password", "secret", "token", "passphrase"))


def _secrets(parsed: sa.URL) -> tuple[str, ...]:
    """Every secret a database URL holds: its password and its secret query values."""
    found = [str(parsed.password)] if parsed.password else []
    for k, v in parsed.query.items():
        if _secret_key(k):
            found.extend([v] if isinstance(v, str) else list(v))
    return tuple(x for x in found if x)


def _masked(text: str, secrets: tuple[str, ...]) -> str:
    """``text`` with every secret replaced by ``***`` (longest first, so none shows in part)."""
    for x in sorted(secrets, key=len, reverse=True):
        text = text.replace(x, "***")
    return text


def _sqlite_path(parsed: sa.URL) -> str | None:
    """The file a SQLite URL names, or ``None`` for an in-memory database."""
    db = parsed.database or ""
    if db in ("", ":memory:") or db.startswith("file:") or parsed.query.get("mode") == "memory":
        return None
    return db


def migrate(engine: Engine) -> None:
    """Bring the database's schema to the newest migration (``alembic upgrade head``).

    Idempotent; run by :class:`Store` on first use. The migrations are package data
    (``engine/committee/migrations``), so an installed wheel migrates as a checkout does.
    """
    from alembic import command
    from alembic.config import Config

    location = resources.files("engine.committee") / "migrations"
    config = Config()
    config.set_main_option("script_location", str(location))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # two processes migrating at once: one waits
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7317)")
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # the driver's own transaction handling off: BEGIN IMMEDIATE (below) takes the write
    # lock at the start, so a transaction never fails half-way upgrading its lock
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {int(SQLITE_BUSY_TIMEOUT_S * 1000)}")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = FULL")  # a committed submission survives a crash
    cur.execute("PRAGMA foreign_keys = ON")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


MAX_INVITED = 200
"""At most this many members in one invitation (a committee, not a mailing list)."""


def check_member_names(names: Sequence[str]) -> None:
    """Check the names of one invitation before anything is written: each a valid name
    (:func:`_check_name`), none given twice (compared as :func:`name_key` compares), at
    least one and at most :data:`MAX_INVITED`. The app checks them before it opens a
    decision, so a bad name never leaves a decision without its members.

    Raises
    ------
    InputError
        ``committee.invalid`` naming every bad name, no name or too many;
        ``committee.duplicate_member`` for a name given twice.
    """
    if not names:
        raise _err("committee.invalid", "no member to invite: give at least one name")
    if len(names) > MAX_INVITED:
        raise _err(
            "committee.invalid",
            f"at most {MAX_INVITED} members in one invitation, found {len(names):,} names",
        )
    issues: list[Issue] = []
    for k, name in enumerate(names):
        try:
            shown = repr(name[:40]) + ("…" if len(name) > 40 else "")
            _check_name(name, f"member name {k + 1} ({shown})")
        except InputError as exc:
            issues += exc.issues
    if issues:
        raise InputError(issues)
    seen: dict[str, str] = {}
    for name in names:
        key = name_key(name)
        if key in seen:
            raise _err(
                "committee.duplicate_member",
                f"{name!r} is given twice (as {seen[key]!r} too; names are compared ignoring case "
                "and spacing): give each member once",
            )
        seen[key] = name


@dataclass(frozen=True, slots=True)
class SubmissionRow:
    """One revision of one member's priorities, as stored."""

    member: str
    revision: int
    kind: str
    payload: Mapping[str, Any]
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class MemberProgress:
    """What the owner sees of a member before the close: whether and when, never what."""

    name: str
    weight: float
    revisions: int
    last_submitted: dt.datetime | None
    revoked: bool
    revoked_at: dt.datetime | None = None
    """When the member's last token was revoked (``None`` while a token is valid)."""


@dataclass(frozen=True, slots=True)
class DecisionView:
    """A decision's fixed inputs and state (no token, no submission)."""

    id: int
    name: str
    state: str
    method: str
    criteria: tuple[str, ...]
    snapshot: Mapping[str, str]
    priorities_name: str
    priorities_yaml: str
    vendors_dir: str
    criteria_dir: str
    created_at: dt.datetime
    closed_at: dt.datetime | None
    aggregation: str | None
    result: Mapping[str, Any] | None


Compute = Callable[
    [DecisionView, Sequence[SubmissionRow], Mapping[str, float]], tuple[str, Mapping[str, Any]]
]
"""What :meth:`Store.close_decision` calls: (decision, latest submissions, member weights)
→ (aggregation, result)."""


@dataclass(frozen=True, slots=True)
class _Access:
    decision_id: int
    role: str
    member_id: int | None


class Store:
    """One database of committee decisions.

    Parameters
    ----------
    url : str
        A SQLAlchemy URL: ``sqlite:///path.db`` or
        ``postgresql+psycopg://user:password@host/dbname``.
    clock : callable, optional
        Returns the current time (timezone-aware); tests fix it.
    create : bool, default True
        Whether a SQLite file that does not exist may be created. It is created with
        mode 0600 (owner only: it holds submissions that are secret until the close;
        SQLite gives the ``-wal``/``-shm`` files the same mode); :attr:`created_file`
        names it and :meth:`discard` removes it again. With ``create=False`` a missing
        file, or an in-memory SQLite URL, is refused.

    Raises
    ------
    InputError
        ``committee.database`` when the URL is not one (any unparsable URL: the message
        then shows none of it), names a database other than SQLite or PostgreSQL, the
        file is missing and ``create`` is false, or the database cannot be reached or
        migrated (a message never shows the URL's password).
    """

    def __init__(
        self, url: str, *, clock: Callable[[], dt.datetime] | None = None, create: bool = True
    ) -> None:
        self._clock = clock or _utcnow
        self.created_file: str | None = None
        try:
            parsed = sa.make_url(url)
            if parsed.drivername == "postgresql":  # the driver this package depends on
                parsed = parsed.set(drivername="postgresql+psycopg")
            backend = parsed.get_backend_name()
            secrets = _secrets(parsed)
            hidden = {k: ("***" if _secret_key(k) else v) for k, v in parsed.query.items()}
            shown = parsed.set(query=hidden).render_as_string(hide_password=True)
        except Exception:  # ArgumentError, ValueError (a bad port or IPv6 host), …
            raise _err("committee.database", _BAD_URL) from None
        if backend not in ("sqlite", "postgresql"):
            raise _err(
                "committee.database",
                f"cannot use {shown}: the committee store supports SQLite (sqlite:///FILE) and "
                "PostgreSQL (postgresql+psycopg://user@host/dbname)",
            )
        path = _sqlite_path(parsed) if backend == "sqlite" else None
        if backend == "sqlite" and path is None:  # also for `new`: a decision gone when the process ends
            raise _err(
                "committee.database",
                f"{shown} is an in-memory database: it holds no decision beyond this process; give a "
                "database file (sqlite:///FILE)"
                + (", where the decision is opened" if create else " the decision was opened in"),
            )
        if path is not None and not os.path.exists(path):
            if not create:
                raise _err(
                    "committee.database",
                    f"no committee database at {shown_path(path)}: open a decision with "
                    "`shortlist committee new`, or give the right --database",
                )
            self._create_private(path, shown)
        try:
            if backend == "sqlite":
                engine = sa.create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
                event.listen(engine, "connect", _sqlite_pragmas)
                event.listen(engine, "begin", _sqlite_begin)
            else:
                engine = sa.create_engine(parsed, pool_pre_ping=True)
        except Exception as exc:  # ArgumentError, a missing driver, a bad option
            self.discard()
            text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            why = type(exc).__name__ if not text or any(x in text for x in secrets) else text
            raise _err("committee.database", f"cannot use {shown}: {why}") from None
        self.engine = engine
        self.url = shown
        try:
            migrate(engine)
        except (OperationalError, DBAPIError) as exc:
            engine.dispose()
            self.discard()
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
            reason = _masked(reason, secrets)
            raise _err("committee.database", f"cannot open the database {self.url}: {reason}") from None
        except Exception as exc:  # alembic's CommandError: a revision this Shortlist does not know
            from alembic.util import CommandError

            engine.dispose()
            self.discard()
            if not isinstance(exc, CommandError):
                raise
            raise _err(
                "committee.database",
                f"the database {self.url} has a schema this Shortlist does not know (a newer version "
                f"migrated it?): {exc}",
            ) from None

    def _create_private(self, path: str, shown: str) -> None:
        """Create the SQLite file readable and writable by its owner only (0600): it holds
        submissions that are secret until the close. SQLite gives its ``-wal`` and ``-shm``
        files the database file's permissions."""
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return
        except OSError as exc:
            raise _err(
                "committee.database",
                f"cannot open the database {shown}: cannot create it: {exc.strerror or exc}",
            ) from None
        os.close(fd)
        self.created_file = path

    def discard(self) -> None:
        """Remove the SQLite file (and its ``-wal``/``-shm``) if this store created it: a
        command that failed leaves no new database behind. No-op otherwise."""
        if self.created_file is None:
            return
        if hasattr(self, "engine"):
            self.engine.dispose()
        for suffix in ("", "-wal", "-shm", "-journal"):
            with suppress(FileNotFoundError):
                os.remove(self.created_file + suffix)
        self.created_file = None

    def close(self) -> None:
        """Release the connections."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _tx(self) -> Iterator[Connection]:
        try:
            with self.engine.begin() as conn:
                yield conn
        except IntegrityError:
            # a constraint another writer's change won (two invitations of one name at once)
            raise _err(
                "committee.conflict", "another change to this decision conflicted with this one; try again"
            ) from None
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
            raise _err("committee.database", f"the database refused the change: {reason}") from None

    # ------------------------------------------------------------------ access

    def _access(self, conn: Connection, token: str) -> _Access:
        if not token or not isinstance(token, str):
            raise _err(
                "committee.unknown_token", "no token given: pass --token or set SHORTLIST_COMMITTEE_TOKEN"
            )
        row = conn.execute(
            sa.select(tokens.c.decision_id, tokens.c.role, tokens.c.member_id, tokens.c.revoked_at).where(
                tokens.c.token_hash == hash_token(token)
            )
        ).first()
        if row is None:
            raise _err(
                "committee.unknown_token", "this token is not known here (mistyped, or another database?)"
            )
        if row.revoked_at is not None:
            raise _err(
                "committee.revoked_token", "this token was revoked; ask the decision's owner for a new one"
            )
        return _Access(row.decision_id, row.role, row.member_id)

    def _owner(self, conn: Connection, token: str) -> _Access:
        acc = self._access(conn, token)
        if acc.role != "owner":
            raise _err(
                "committee.not_owner", "only the decision's owner may do this; a member's token was given"
            )
        return acc

    def _decision_row(self, conn: Connection, decision_id: int, *, lock: str | None = None) -> Any:
        q = sa.select(decisions).where(decisions.c.id == decision_id)
        if lock == "update":
            q = q.with_for_update()
        elif lock == "share":
            q = q.with_for_update(read=True)
        return conn.execute(q).one()

    @staticmethod
    def _view(row: Any) -> DecisionView:
        return DecisionView(
            id=row.id,
            name=row.name,
            state=row.state,
            method=row.method,
            criteria=tuple(row.criteria),
            snapshot=dict(row.snapshot),
            priorities_name=row.priorities_name,
            priorities_yaml=row.priorities_yaml,
            vendors_dir=row.vendors_dir,
            criteria_dir=row.criteria_dir,
            created_at=_utc(row.created_at),
            closed_at=_utc(row.closed_at) if row.closed_at is not None else None,
            aggregation=row.aggregation,
            result=row.result,
        )

    # ------------------------------------------------------------------ owner

    def create_decision(
        self,
        name: str,
        *,
        criteria: Sequence[str],
        snapshot: Mapping[str, str],
        priorities_name: str,
        priorities_yaml: str,
        method: str,
        vendors_dir: str,
        criteria_dir: str,
    ) -> tuple[int, str]:
        """Open a decision; return its id and the owner's token (shown once, stored hashed)."""
        _check_name(name, "a decision's name")
        if not criteria:
            raise _err("committee.invalid", "a decision needs at least one criterion to weigh")
        token, digest = _new_token()
        now = self._clock()
        with self._tx() as conn:
            did = conn.execute(
                sa.insert(decisions)
                .values(
                    name=name,
                    state="open",
                    method=method,
                    criteria=list(criteria),
                    snapshot=dict(sorted(snapshot.items())),
                    priorities_name=priorities_name,
                    priorities_yaml=priorities_yaml,
                    vendors_dir=vendors_dir,
                    criteria_dir=criteria_dir,
                    created_at=now,
                )
                .returning(decisions.c.id)
            ).scalar_one()
            conn.execute(
                sa.insert(tokens).values(
                    decision_id=did, member_id=None, role="owner", token_hash=digest, created_at=now
                )
            )
        return int(did), token

    def invite(self, owner_token: str, name: str, *, weight: float = 1.0) -> str:
        """Add a member (or give a member whose tokens were all revoked a new one); return
        the member's token (shown once). One name of :meth:`invite_many`."""
        return self.invite_many(owner_token, [name], weight=weight)[0][1]

    def invite_many(
        self, owner_token: str, names: Sequence[str], *, weight: float = 1.0
    ) -> list[tuple[str, str]]:
        """Invite several members at once, all or none: every name is checked first, then
        all are added in one transaction; return ``(name, token)`` pairs (tokens shown once).

        Names are compared as :func:`name_key` does (case, spacing and Unicode compatibility
        forms ignored): ``ana (it)`` is the member ``Ana (IT)``. A member whose tokens were
        all revoked gets a new token under the name first given.

        Raises
        ------
        InputError
            ``committee.invalid`` naming every bad name (nothing is added);
            ``committee.duplicate_member`` naming the member already invited with a valid
            token, or a name given twice; ``committee.closed``; a token problem.
        """
        if not (weight > 0 and weight < float("inf")):
            raise _err(
                "committee.invalid", f"a member's weight must be a finite number > 0, found {weight!r}"
            )
        check_member_names(names)
        made: list[tuple[str, str]] = []
        now = self._clock()
        with self._tx() as conn:
            acc = self._owner(conn, owner_token)
            row = self._decision_row(conn, acc.decision_id, lock="update")
            if row.state != "open":
                raise _err("committee.closed", "the decision is closed: no one can be invited")
            known = self._members_by_key(conn, acc.decision_id)
            for name in names:
                token, digest = _new_token()
                existing = known.get(name_key(name))
                if existing is None:
                    mid = conn.execute(
                        sa.insert(members)
                        .values(decision_id=acc.decision_id, name=name, weight=float(weight), created_at=now)
                        .returning(members.c.id)
                    ).scalar_one()
                    shown = name
                else:
                    mid, shown = existing
                    live = conn.execute(
                        sa.select(sa.func.count())
                        .select_from(tokens)
                        .where(tokens.c.member_id == mid, tokens.c.revoked_at.is_(None))
                    ).scalar_one()
                    if live:
                        same = (
                            ""
                            if shown == name
                            else f" (given as {name!r}; names are compared ignoring case and spacing)"
                        )
                        raise _err(
                            "committee.duplicate_member",
                            f"{shown!r} is already invited and has a valid token{same}; revoke it first "
                            "to issue a new one (no one was invited)",
                        )
                conn.execute(
                    sa.insert(tokens).values(
                        decision_id=acc.decision_id,
                        member_id=mid,
                        role="member",
                        token_hash=digest,
                        created_at=now,
                    )
                )
                made.append((shown, token))
        return made

    @staticmethod
    def _members_by_key(conn: Connection, decision_id: int) -> dict[str, tuple[int, str]]:
        """The decision's members by :func:`name_key`: (id, name as first given)."""
        out: dict[str, tuple[int, str]] = {}
        for r in conn.execute(
            sa.select(members.c.id, members.c.name)
            .where(members.c.decision_id == decision_id)
            .order_by(members.c.id)
        ):
            out.setdefault(name_key(r.name), (int(r.id), str(r.name)))
        return out

    def _member_id(self, conn: Connection, decision_id: int, name: str) -> int | None:
        found = self._members_by_key(conn, decision_id).get(name_key(name))
        return None if found is None else found[0]

    def revoke(self, owner_token: str, name: str) -> int:
        """Revoke every valid token of member ``name``; return how many were revoked.

        The member's submissions stay (they are part of the record).
        """
        return self.revoke_member(owner_token, name)[1]

    def revoke_member(self, owner_token: str, name: str) -> tuple[str, int]:
        """:meth:`revoke`, returning the member's name as first given (``name`` is
        compared as :func:`name_key` does) and how many tokens were revoked."""
        now = self._clock()
        with self._tx() as conn:
            acc = self._owner(conn, owner_token)
            found = self._members_by_key(conn, acc.decision_id).get(name_key(name))
            if found is None:
                raise _err("committee.unknown_member", f"no member of this decision is named {name!r}")
            mid, shown = found
            res = conn.execute(
                sa.update(tokens)
                .where(tokens.c.member_id == mid, tokens.c.revoked_at.is_(None))
                .values(revoked_at=now)
            )
            return shown, int(res.rowcount)

    def progress(self, owner_token: str) -> tuple[DecisionView, tuple[MemberProgress, ...]]:
        """The decision and, per member, whether and when they submitted (never what)."""
        with self._tx() as conn:
            acc = self._owner(conn, owner_token)
            view = self._view(self._decision_row(conn, acc.decision_id))
            return view, self._progress(conn, acc.decision_id)

    def _progress(self, conn: Connection, decision_id: int) -> tuple[MemberProgress, ...]:
        counts = {
            r.member_id: (r.n, r.last)
            for r in conn.execute(
                sa.select(
                    submissions.c.member_id,
                    sa.func.count().label("n"),
                    sa.func.max(submissions.c.created_at).label("last"),
                )
                .where(submissions.c.decision_id == decision_id)
                .group_by(submissions.c.member_id)
            )
        }
        live = set(
            conn.execute(
                sa.select(tokens.c.member_id).where(
                    tokens.c.decision_id == decision_id,
                    tokens.c.role == "member",
                    tokens.c.revoked_at.is_(None),
                )
            ).scalars()
        )
        revoked_at = {
            r.member_id: r.last
            for r in conn.execute(
                sa.select(tokens.c.member_id, sa.func.max(tokens.c.revoked_at).label("last"))
                .where(tokens.c.decision_id == decision_id, tokens.c.role == "member")
                .group_by(tokens.c.member_id)
            )
        }
        out = []
        for m in conn.execute(
            sa.select(members).where(members.c.decision_id == decision_id).order_by(members.c.id)
        ):
            n, last = counts.get(m.id, (0, None))
            gone = m.id not in live
            when = revoked_at.get(m.id) if gone else None
            out.append(
                MemberProgress(
                    m.name,
                    float(m.weight),
                    int(n),
                    _utc(last) if last else None,
                    gone,
                    _utc(when) if when else None,
                )
            )
        return tuple(out)

    def close_decision(self, owner_token: str, compute: Compute) -> DecisionView:
        """Close the decision: ``compute(decision, latest submissions, member weights)``
        returns ``(aggregation, result)``, stored with the close in one transaction.

        Raises
        ------
        InputError
            ``committee.closed`` when already closed, ``committee.no_submissions`` when no
            member submitted; and whatever ``compute`` raises (nothing is then changed).
        """
        now = self._clock()
        with self._tx() as conn:
            acc = self._owner(conn, owner_token)
            row = self._decision_row(conn, acc.decision_id, lock="update")
            if row.state != "open":
                raise _err("committee.closed", "the decision is already closed")
            view = self._view(row)
            latest = self._latest(conn, acc.decision_id)
            if not latest:
                raise _err(
                    "committee.no_submissions", "no member has submitted priorities yet: nothing to close on"
                )
            weights = {
                m.name: float(m.weight)
                for m in conn.execute(sa.select(members).where(members.c.decision_id == acc.decision_id))
            }
            aggregation, result = compute(view, latest, weights)
            conn.execute(
                sa.update(decisions)
                .where(decisions.c.id == acc.decision_id, decisions.c.state == "open")
                .values(state="closed", closed_at=now, aggregation=aggregation, result=dict(result))
            )
            return self._view(self._decision_row(conn, acc.decision_id))

    # ------------------------------------------------------------------ members

    def submit(self, member_token: str, kind: str, payload: Mapping[str, Any]) -> int:
        """Append a revision of the member's own priorities; return its revision number.

        Raises
        ------
        InputError
            ``committee.not_member`` (the owner's token), ``committee.closed``, or a token
            problem.
        """
        if kind not in ("weights", "order", "ahp"):
            raise _err("committee.invalid", f"unknown kind of submission {kind!r}")
        now = self._clock()
        with self._tx() as conn:
            acc = self._access(conn, member_token)
            if acc.role != "member" or acc.member_id is None:
                raise _err("committee.not_member", "the owner's token cannot submit: use a member's token")
            row = self._decision_row(conn, acc.decision_id, lock="share")
            if row.state != "open":
                raise _err("committee.closed", "the decision is closed: submissions are no longer accepted")
            # the member row locked: one member's concurrent revisions are numbered in turn
            conn.execute(sa.select(members.c.id).where(members.c.id == acc.member_id).with_for_update()).one()
            last = conn.execute(
                sa.select(sa.func.max(submissions.c.revision)).where(submissions.c.member_id == acc.member_id)
            ).scalar()
            revision = int(last or 0) + 1
            conn.execute(
                sa.insert(submissions).values(
                    decision_id=acc.decision_id,
                    member_id=acc.member_id,
                    revision=revision,
                    kind=kind,
                    payload=dict(payload),
                    created_at=now,
                )
            )
        return revision

    def decision(self, token: str) -> DecisionView:
        """The decision a token belongs to (any valid token: its fixed inputs, no submission)."""
        with self._tx() as conn:
            acc = self._access(conn, token)
            return self._view(self._decision_row(conn, acc.decision_id))

    def own_submissions(self, member_token: str) -> tuple[str, tuple[SubmissionRow, ...]]:
        """The member's name and every revision of their own submission, oldest first."""
        with self._tx() as conn:
            acc = self._access(conn, member_token)
            if acc.role != "member" or acc.member_id is None:
                raise _err("committee.not_member", "the owner's token has no submission of its own")
            name = conn.execute(sa.select(members.c.name).where(members.c.id == acc.member_id)).scalar_one()
            rows = self._rows(conn, acc.decision_id, member_id=acc.member_id)
            return str(name), rows

    def submissions_of(self, token: str, name: str) -> tuple[SubmissionRow, ...]:
        """Every revision of member ``name``'s submission, oldest first.

        Until the close only that member's own token may read them (blind until close);
        afterwards every valid token of the decision.

        Raises
        ------
        InputError
            ``committee.blind`` (another member's, or the owner asking, before the close),
            ``committee.unknown_member`` (after the close), or a token problem. Before the
            close the refusal is the same whether or not ``name`` is a member: it tells
            nothing.
        """
        with self._tx() as conn:
            acc = self._access(conn, token)
            row = self._decision_row(conn, acc.decision_id)
            mid = self._member_id(conn, acc.decision_id, name)
            if row.state != "closed" and (acc.role != "member" or mid is None or mid != acc.member_id):
                raise _err(
                    "committee.blind",
                    "a member's submission is readable only with that member's own token until the owner "
                    "closes the decision",
                )
            if mid is None:
                raise _err("committee.unknown_member", "no member of this decision has that name")
            return self._rows(conn, acc.decision_id, member_id=int(mid))

    def _rows(
        self, conn: Connection, decision_id: int, *, member_id: int | None = None
    ) -> tuple[SubmissionRow, ...]:
        q = (
            sa.select(members.c.name, submissions)
            .join(members, members.c.id == submissions.c.member_id)
            .where(submissions.c.decision_id == decision_id)
            .order_by(members.c.id, submissions.c.revision)
        )
        if member_id is not None:
            q = q.where(submissions.c.member_id == member_id)
        return tuple(
            SubmissionRow(r.name, int(r.revision), r.kind, dict(r.payload), _utc(r.created_at))
            for r in conn.execute(q)
        )

    def _latest(self, conn: Connection, decision_id: int) -> tuple[SubmissionRow, ...]:
        latest: dict[str, SubmissionRow] = {}
        for r in self._rows(conn, decision_id):
            latest[r.member] = r  # ordered by revision: the last wins
        return tuple(latest.values())

    def closed_record(
        self, token: str
    ) -> tuple[DecisionView, tuple[MemberProgress, ...], tuple[SubmissionRow, ...]]:
        """Everything of a closed decision: its inputs and result, the members, every revision.

        Raises
        ------
        InputError
            ``committee.not_closed`` while the decision is open (blind until close).
        """
        with self._tx() as conn:
            acc = self._access(conn, token)
            view = self._view(self._decision_row(conn, acc.decision_id))
            if view.state != "closed":
                raise _err(
                    "committee.not_closed",
                    "the decision is still open: submissions stay blind until the owner closes it",
                )
            return view, self._progress(conn, acc.decision_id), self._rows(conn, acc.decision_id)

    def table_counts(self) -> dict[str, int]:
        """Rows per table (for tests and diagnostics; no content)."""
        with self.engine.connect() as conn:
            return {
                name: int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one())
                for name, t in zip(TABLES, (decisions, members, tokens, submissions), strict=True)
            }
