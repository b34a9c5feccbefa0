"""Opening and closing a committee decision: the steps the CLI and the app share.

``shortlist committee new`` / ``close`` (:mod:`engine.cli.committee`) and the app's
Committee page (``ui/pages/committee.py``) both call these functions, so a decision
opened or closed either way is checked, fixed and computed the same way:

- :func:`database_url`: which database (an explicit URL, else ``SHORTLIST_DATABASE_URL``,
  else the SQLite file ``shortlist-committee.db`` in the working directory);
- :func:`catalog_snapshot`: the catalog, the criteria and the SHA-256 of every input file;
- :func:`open_decision`: check the catalog and the base priorities, choose the criteria
  (default: those the priorities weight above 0; at most 15) and create the decision;
- :func:`close_decision`: check the catalog is unchanged since the opening and store the
  group result (:func:`engine.committee.analysis.committee_result`);
- :func:`submission_from_priorities`: a member's submission from a priorities file (the
  app's sidebar: its sliders, its criteria order or its AHP comparisons).

Reading files goes through :mod:`engine.catalog.loading` (the only file-system reader);
nothing here prints or keeps state.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from engine.catalog.loading import (
    Catalog,
    CriteriaCatalog,
    catalog_roots,
    file_digests,
    load_catalog,
    load_criteria,
    load_priorities_bytes,
)
from engine.catalog.schema import PrioritiesFile
from engine.committee.analysis import committee_result, member_payload, snapshot_changes
from engine.committee.store import (
    DATABASE_URL_VARIABLE,
    DEFAULT_DATABASE_URL,
    DecisionView,
    Store,
    SubmissionRow,
)
from engine.errors import InputError, Issue

__all__ = [
    "MAX_CRITERIA",
    "catalog_snapshot",
    "close_decision",
    "database_url",
    "open_decision",
    "submission_from_priorities",
]

MAX_CRITERIA = 15
"""The most criteria a decision weighs (the size of AHP's random index table)."""


def database_url(explicit: str | None, environ: Mapping[str, str]) -> str:
    """The committee database's URL: ``explicit`` (``--database``), else
    ``environ[SHORTLIST_DATABASE_URL]``, else :data:`~engine.committee.store.DEFAULT_DATABASE_URL`
    (an empty value counts as not given)."""
    return explicit or environ.get(DATABASE_URL_VARIABLE) or DEFAULT_DATABASE_URL


def catalog_snapshot(
    vendors_dir: str | Path, criteria_dir: str | Path
) -> tuple[Catalog, CriteriaCatalog, dict[str, str]]:
    """The catalog and criteria in these directories and the SHA-256 of each of their
    files, named as the decision record names inputs (:func:`catalog_roots`: no
    machine's path in the names).

    Raises
    ------
    InputError
        The criteria catalog's problems (a vendor file's problems are in ``catalog.issues``).
    """
    criteria = load_criteria(criteria_dir)
    roots = catalog_roots(vendors_dir, criteria_dir)
    catalog = load_catalog([vendors_dir], currencies=criteria.currencies(), roots=roots)
    digests = dict(catalog.digests)
    digests.update(file_digests(criteria.files, roots))
    return catalog, criteria, digests


def open_decision(
    store: Store,
    name: str,
    *,
    priorities_yaml: bytes,
    priorities_shown: str,
    priorities_name: str,
    vendors_dir: str | Path,
    criteria_dir: str | Path,
    criteria: Sequence[str] | None = None,
    method: str | None = None,
) -> tuple[int, str, list[str]]:
    """Open a decision over the catalog as it is now.

    Parameters
    ----------
    store : Store
    name : str
        The decision's name (1–200 printable characters).
    priorities_yaml : bytes
        The base priorities (must-haves, workload) every member shares, as a priorities
        file's bytes; stored as they are (the record gives their SHA-256).
    priorities_shown : str
        How an error message names that file.
    priorities_name : str
        How the decision record names it.
    vendors_dir, criteria_dir : path
        The catalog the decision fixes (stored as absolute paths; its files' digests
        are the snapshot checked at the close).
    criteria : sequence of str, optional
        The criteria the members weigh, in any order (kept in catalog order); default:
        those the base priorities weight above 0.
    method : str, optional
        The scoring method; default the priorities file's.

    Returns
    -------
    (int, str, list of str)
        The decision's id, the owner's token (to be shown once) and the criteria weighed.

    Raises
    ------
    InputError
        The catalog's problems plus ``committee.invalid`` (a decision fixes a valid
        catalog), the priorities file's problems, ``committee.invalid`` for an unknown
        criterion (``field="--criterion"``), more than :data:`MAX_CRITERIA` or none, and
        the store's own errors.
    """
    from engine.mcda.scoring import elicited_weights

    catalog, crit, digests = catalog_snapshot(vendors_dir, criteria_dir)
    if catalog.issues:
        raise InputError(
            [
                *catalog.issues,
                Issue("committee.invalid", "a decision fixes a valid catalog: fix these vendor files first"),
            ]
        )
    priorities = load_priorities_bytes(priorities_yaml, priorities_shown)
    ids = crit.ids()
    chosen = list(dict.fromkeys(criteria or []))
    if not chosen:
        w, _ = elicited_weights(priorities, ids)
        chosen = [c for c in ids if w.get(c, 0) > 0]
    unknown = [c for c in chosen if c not in ids]
    if unknown:
        raise InputError(
            [
                Issue(
                    "committee.invalid", f"{c!r} is not a criterion ({', '.join(ids)})", field="--criterion"
                )
                for c in unknown
            ]
        )
    if len(chosen) > MAX_CRITERIA:
        raise InputError.single(
            "committee.invalid",
            f"at most {MAX_CRITERIA} criteria (AHP's random index table)",
            field="--criterion",
        )
    weighed = [c for c in ids if c in chosen]
    did, token = store.create_decision(
        name,
        criteria=weighed,
        snapshot=digests,
        priorities_name=priorities_name,
        priorities_yaml=priorities_yaml.decode("utf-8"),
        method=method or priorities.method,
        vendors_dir=os.path.abspath(vendors_dir),
        criteria_dir=os.path.abspath(criteria_dir),
    )
    return did, token, weighed


def close_decision(
    store: Store,
    owner_token: str,
    *,
    aggregation: str = "auto",
    vendors_dir: str | Path | None = None,
    criteria_dir: str | Path | None = None,
    restore_hint: str = "give --vendors/--criteria with the original files",
) -> DecisionView:
    """Close a decision: check its catalog snapshot and store the group result.

    Parameters
    ----------
    store : Store
    owner_token : str
    aggregation : {"auto", "aij", "aip-arithmetic", "aip-geometric"}
    vendors_dir, criteria_dir : path, optional
        Where the catalog is read now; default the directories the decision was opened on.
    restore_hint : str
        How the refusal of a changed catalog says to point at the original files (the
        CLI's options, the app's environment variables).

    Returns
    -------
    DecisionView
        The closed decision, its ``result`` set.

    Raises
    ------
    InputError
        ``committee.catalog_changed`` (one issue per file added, removed or changed
        since the opening; nothing is changed), the result's and the store's errors.
    """

    def compute(
        v: DecisionView, latest: Sequence[SubmissionRow], weights: Mapping[str, float]
    ) -> tuple[str, Mapping[str, Any]]:
        catalog, criteria, digests = catalog_snapshot(
            vendors_dir if vendors_dir is not None else v.vendors_dir,
            criteria_dir if criteria_dir is not None else v.criteria_dir,
        )
        changes = snapshot_changes(v.snapshot, digests)
        if changes:
            raise InputError(
                [
                    Issue(
                        "committee.catalog_changed",
                        f"{c}; the members judged the catalog as it was when the decision opened: "
                        f"restore it (or {restore_hint}) to close",
                        field="catalog",
                    )
                    for c in changes
                ]
            )
        priorities = load_priorities_bytes(v.priorities_yaml.encode("utf-8"), v.priorities_name)
        return committee_result(
            criteria_ids=v.criteria,
            method=v.method,
            submissions=[(s.member, s.kind, s.revision, s.payload) for s in latest],
            weights=weights,
            catalog=catalog,
            criteria=criteria,
            priorities=priorities,
            aggregation=aggregation,
        )

    return store.close_decision(owner_token, compute)


def submission_from_priorities(
    priorities: PrioritiesFile, criteria: Sequence[str]
) -> tuple[str, dict[str, Any]]:
    """A member's submission over the decision's ``criteria`` from a priorities file's
    weights, in the way the file gives them.

    - an AHP matrix (``ahp``): the comparisons among the decision's criteria (the
      sub-matrix: judgements between two criteria do not depend on the others); every
      criterion of the decision must be compared;
    - a criteria order (``weight_order``): that order with the criteria of other
      decisions left out (rank-order centroid weights over those kept);
    - else the direct ``weights`` of the decision's criteria (the others ignored).

    Returns
    -------
    (str, dict)
        The kind and the payload of :func:`engine.committee.analysis.member_payload`.

    Raises
    ------
    InputError
        ``committee.invalid_submission``: the AHP comparisons leave out a criterion of
        the decision, the order names none of them, every weight of them is 0.
    """
    ids = list(criteria)
    if priorities.ahp is not None:
        names = list(priorities.ahp.criteria)
        missing = [c for c in ids if c not in names]
        if missing:
            raise InputError.single(
                "committee.invalid_submission",
                "the pairwise comparisons must include every criterion of the decision; missing: "
                + ", ".join(missing),
                field="ahp.criteria",
            )
        pos = [names.index(c) for c in ids]
        matrix = [[float(priorities.ahp.matrix[i][j]) for j in pos] for i in pos]
        return "ahp", member_payload("ahp", ids, ahp_criteria=ids, matrix=matrix)
    if priorities.weight_order:
        kept = [c.strip() for c in priorities.weight_order.split(">") if c.strip() in ids]
        if not kept:
            raise InputError.single(
                "committee.invalid_submission",
                "the criteria order names none of the decision's criteria (" + ", ".join(ids) + ")",
                field="weight_order",
            )
        return "order", member_payload("order", ids, order=" > ".join(kept))
    weights = {c: float(priorities.weights.get(c, 0.0)) for c in ids}
    return "weights", member_payload("weights", ids, weights=weights)
