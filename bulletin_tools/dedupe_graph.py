"""Clusters from accepted pairs: union-find, canonical choice, deterministic ids, reasons."""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Callable

import numpy as np

from bulletin_tools.models import ClusterRow, Item

__all__ = ["canonical_key", "cluster_id", "cluster_rows", "connected_labels"]

Edges = tuple[np.ndarray, np.ndarray, np.ndarray]  # (a, b, reason code) of accepted pairs
Verifier = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, ...]]


def connected_labels(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Connected components: each item's label is the smallest input index in its component.

    Vectorised min-label propagation with pointer jumping: every round each edge pulls both
    ends to the smaller label and each label jumps to its label's label, so a label is always
    an index in the same component and no larger than the item; rounds grow with the log of
    the longest path, a handful for duplicate clusters."""
    labels = np.arange(n, dtype=np.int64)
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    while True:
        low = np.minimum(labels[a], labels[b])
        before = labels.copy()
        np.minimum.at(labels, a, low)
        np.minimum.at(labels, b, low)
        labels = labels[labels]
        if np.array_equal(labels, before):
            return labels


def canonical_key(item: Item, index: int) -> tuple[bool, str, int, int]:
    """Sort key of the canonical choice: earliest dated, then longest body, then first seen."""
    return (item.date is None, item.date or "", -len(item.body), index)


def cluster_id(member_ids: list[str]) -> str:
    """Stable id from the sorted member ids (independent of input order and hash seeds)."""
    digest = hashlib.blake2b("\n".join(sorted(member_ids)).encode(), digest_size=8)
    return "c" + digest.hexdigest()


def _groups(labels: np.ndarray) -> list[np.ndarray]:
    """Members (input order) of every cluster with more than one item."""
    order = np.argsort(labels, kind="stable")
    sorted_labels = labels[order]
    starts = np.flatnonzero(np.concatenate(([True], sorted_labels[1:] != sorted_labels[:-1])))
    bounds = np.concatenate((starts, [len(labels)]))
    return [order[s:e] for s, e in zip(bounds[:-1], bounds[1:], strict=False) if e - s > 1]


def _tree(members: list[int], canonical: int, adjacency: dict[int, list[tuple[int, int]]]):
    """BFS from the canonical item over accepted pairs: member -> (parent, reason code)."""
    parent: dict[int, tuple[int, int]] = {canonical: (canonical, -1)}
    queue = deque([canonical])
    while queue:
        x = queue.popleft()
        for y, code in sorted(adjacency.get(x, ())):
            if y not in parent:
                parent[y] = (x, code)
                queue.append(y)
    return parent


def cluster_rows(
    items: list[Item], labels: np.ndarray, edges: Edges, reasons: tuple[str, ...], verify: Verifier
) -> list[ClusterRow]:
    """One row per item (input order) with its cluster, canonical and scores against it.

    `reason` is the rule of the pair that joined the item to the canonical one, or, when the
    item matches the canonical only through another member, the direct rule if it passes,
    else "RULE via ITEM_ID" naming that member. `verify` returns (jaccard, containment, title
    similarity, reason code or -1 when the pair is not the same story).
    """
    rows: list[ClusterRow | None] = [None] * len(items)
    groups = _groups(labels)
    adjacency: dict[int, list[tuple[int, int]]] = {}
    for x, y, code in zip(*(e.tolist() for e in edges), strict=False):
        adjacency.setdefault(x, []).append((y, code))
        adjacency.setdefault(y, []).append((x, code))
    members_all, canon_all, infos = [], [], []
    for group in groups:
        members = group.tolist()
        canonical = min(members, key=lambda i: canonical_key(items[i], i))
        cid = cluster_id([items[i].item_id for i in members])
        infos.append((cid, canonical, len(members), _tree(members, canonical, adjacency)))
        for m in members:
            if m != canonical:
                members_all.append(m)
                canon_all.append(canonical)
    scores = verify(np.array(members_all, np.int64), np.array(canon_all, np.int64))
    score_of = {m: k for k, m in enumerate(members_all)}
    for cid, canonical, size, tree in infos:
        cid_id = items[canonical].item_id
        rows[canonical] = ClusterRow(cid_id, cid, cid_id, True, size, "canonical")
        for m, (p, code) in tree.items():
            if m == canonical:
                continue
            k = score_of[m]
            jac, con, tit, direct = (float(s[k]) for s in scores)
            if p == canonical:
                reason = reasons[code]
            elif direct >= 0:
                reason = reasons[int(direct)]
            else:
                reason = f"{reasons[code]} via {items[p].item_id}"
            rows[m] = ClusterRow(
                items[m].item_id,
                cid,
                cid_id,
                False,
                size,
                reason,
                round(jac, 4),
                round(con, 4),
                round(tit, 4),
            )
    for i, row in enumerate(rows):
        if row is None:
            iid = items[i].item_id
            rows[i] = ClusterRow(iid, cluster_id([iid]), iid, True, 1, "unique")
    return rows  # type: ignore[return-value]
