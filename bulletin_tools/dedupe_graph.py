"""Clusters from accepted pairs: components, canonical choice, deterministic ids, reasons."""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Callable, Sequence

import numpy as np

from bulletin_tools.dedupe_result import ClusterTable

__all__ = ["canonical_order", "cluster_id", "cluster_table", "connected_labels"]

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


def canonical_order(
    cluster: np.ndarray, date_ranks: np.ndarray, body_lengths: np.ndarray, n_clusters: int
) -> np.ndarray:
    """Each cluster's canonical item: earliest dated (dates ranked in str order, -1 undated),
    then longest body, then first seen."""
    n = len(cluster)
    undated = date_ranks < 0
    order = np.lexsort(
        (np.arange(n), -body_lengths, np.where(undated, 0, date_ranks), undated, cluster)
    )
    first = np.ones(n, dtype=bool)
    ranked = cluster[order]
    np.not_equal(ranked[1:], ranked[:-1], out=first[1:])
    canonical = np.empty(n_clusters, dtype=np.int64)
    canonical[ranked[first]] = order[first]
    return canonical


def cluster_id(member_ids: list[str]) -> str:
    """Stable id from the sorted member ids (independent of input order and hash seeds)."""
    return f"c{_digest(member_ids):016x}"


def _digest(member_ids: list[str]) -> int:
    data = "\n".join(sorted(member_ids)).encode()
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


class _Adjacency:
    """Accepted pairs in both directions as CSR arrays, each item's neighbours sorted by
    (neighbour, reason code): the order a breadth-first search visits them in."""

    def __init__(self, n: int, edges: Edges) -> None:
        a, b, code = (np.asarray(e) for e in edges)
        src, dst = np.concatenate((a, b)).astype(np.int64), np.concatenate((b, a))
        codes = np.concatenate((code, code))
        order = np.lexsort((codes, dst, src))
        self.dst, self.code = dst[order], codes[order]
        self.starts = np.searchsorted(src[order], np.arange(n + 1))

    def tree(self, canonical: int) -> dict[int, tuple[int, int]]:
        """BFS from the canonical item over accepted pairs: member -> (parent, reason code)."""
        parent: dict[int, tuple[int, int]] = {canonical: (canonical, -1)}
        queue = deque([canonical])
        while queue:
            x = queue.popleft()
            lo, hi = int(self.starts[x]), int(self.starts[x + 1])
            for y, code in zip(self.dst[lo:hi].tolist(), self.code[lo:hi].tolist(), strict=True):
                if y not in parent:
                    parent[y] = (x, code)
                    queue.append(y)
        return parent


def cluster_table(
    ids: Sequence[str],
    canon_keys: tuple[np.ndarray, np.ndarray],
    labels: np.ndarray,
    edges: Edges,
    reasons: tuple[str, ...],
    verify: Verifier,
) -> ClusterTable:
    """Every item's cluster, canonical and scores against it, as arrays (rows on demand).

    `reason` is the rule of the pair that joined the item to the canonical one, or, when the
    item matches the canonical only through another member, the direct rule if it passes,
    else "RULE via ITEM_ID" naming that member. `verify` returns (jaccard, containment, title
    similarity, reason code or -1 when the pair is not the same story). `canon_keys` are the
    date ranks and body lengths of `canonical_order`.
    """
    n = len(labels)
    _, cluster = np.unique(labels, return_inverse=True)
    cluster = cluster.reshape(-1)
    size = np.bincount(cluster)
    canonical = canonical_order(cluster, *canon_keys, len(size))
    row_reasons = (*reasons, "canonical", "unique")
    reason = np.full(n, len(reasons) + 1, dtype=np.int8)
    via = np.full(n, -1, dtype=np.int64)
    scores = tuple(np.full(n, np.nan) for _ in range(3))
    digest = np.empty(len(size), dtype=np.uint64)
    single = np.flatnonzero(size == 1)
    digest[single] = np.array(
        [_digest([ids[i]]) for i in canonical[single].tolist()], dtype=np.uint64
    )
    multi = np.flatnonzero(size > 1)
    order = np.argsort(cluster, kind="stable")
    ends = np.cumsum(size)
    parent = np.full(n, -1, dtype=np.int64)  # in its BFS tree from the canonical item
    parent_code = np.zeros(n, dtype=np.int8)
    adjacency = _Adjacency(n, edges)
    for c in multi.tolist():
        members = order[ends[c] - size[c] : ends[c]].tolist()
        digest[c] = _digest([ids[i] for i in members])
        tree = adjacency.tree(int(canonical[c]))
        joined = list(tree)
        parent[joined] = [p for p, _ in tree.values()]
        parent_code[joined] = [code for _, code in tree.values()]
    del adjacency, order
    head_of = canonical[cluster]
    reason[canonical[multi]] = len(reasons)
    members = np.flatnonzero((size[cluster] > 1) & (head_of != np.arange(n)))
    heads = head_of[members]
    del head_of
    jac, con, tit, direct = verify(members, heads)
    for score, values in zip(scores, (jac, con, tit), strict=True):
        score[members] = values
    up, code = parent[members], parent_code[members]
    through = (up != heads) & (direct < 0)  # joined only through another member
    reason[members] = np.where((up == heads) | through, code, direct)
    via[members] = np.where(through, up, -1)
    return ClusterTable(ids, cluster, reason, via, scores, digest, canonical, size, row_reasons)
