"""Near-duplicates: copies, forwards and copy-paste with small edits, clustered so counts can tell one message
forwarded 50 times from 50 independent voices.

**Method.** A message's text (title + text, without "RT @user:", links and mentions, folded like every other
matcher) is cut into character 5-grams. A 64-value MinHash signature estimates the Jaccard similarity of two
messages' 5-gram sets; locality-sensitive hashing splits it into 16 bands of 4 values, so two messages with
similarity 0.7 share at least one band with probability 0.99 (0.6: 0.89; 0.3: 0.12). A message joins the cluster
whose representative (the message that opened it) shares a band and is estimated at least
:data:`THRESHOLD` similar; otherwise it opens a new cluster and its bands are indexed. Clusters are stars
around their representative, never chains, so a slowly drifting series of edits cannot glue unrelated texts
together. Retweets, boosts and forwards that name their original join the original's cluster directly; an
original not seen yet is remembered (``pending``) and joins its retweets' cluster when it arrives. Texts
shorter than :data:`MIN_CHARS` folded characters only join through retweets: two people writing "we are
trapped" are not copying each other.

**State in the store** (migration ``0150_neardup``): ``neardup_bands`` (band hash -> cluster),
``neardup_clusters`` (representative signature, first message and author, size) and ``neardup_members`` (every
message's cluster). The index is read and written in one transaction per batch, so a later ingest, in another
process, joins the same clusters (each batch first takes the lock row of ``neardup_state``, which also numbers
new clusters, so concurrent ingests cluster one after the other). Every message gets ``{"cluster",
"first_id", "first_author", "is_first"}`` under ``neardup.v1``; when an earlier member arrives later (files
ingested out of order), the members already stored are updated to name the new first poster.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ..message import Message, format_ts
from ..store import MessageQuery, Store
from .terms import folded, message_text

__all__ = ["BANDS", "MIN_CHARS", "NUM_PERM", "STAGE", "THRESHOLD", "Cluster", "ClusterRef", "MinHasher",
           "assign_clusters", "catch_up", "cluster_of", "dup_text", "similarity", "top_clusters"]

STAGE = "neardup.v1"
NUM_PERM = 64
BANDS = 16
SHINGLE = 5
THRESHOLD = 0.6
MIN_CHARS = 30
MAX_CHARS = 2000  # a long article is identified well enough by its start; keeps the cost per message flat

_RT = re.compile(r"^\s*RT @(\w+):?\s*")
_NOISE = re.compile(r"https?://\S+|www\.\S+|@[\w.]+(?:@[\w.-]+)?")
_NONWORD = re.compile(r"[\W_]+")
_IN_CHUNK = 500
_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)

U32 = npt.NDArray[np.uint32]


def dup_text(msg: Message) -> str:
    """The text compared for near-duplicates: folded words and digits, single spaces, no links or mentions.

    >>> from datetime import UTC, datetime
    >>> m = Message("x:1", "x", "twitter-v2", "1", datetime(2025, 2, 9, tzinfo=UTC),
    ...             "RT @lina_writes: Goodbye forever from Qasr al-Nahr! https://t.co/x #GoodbyeQasr")
    >>> dup_text(m)
    'goodbye forever from qasr al nahr goodbyeqasr'
    """
    text = _NOISE.sub(" ", message_text(msg)[:MAX_CHARS])
    return _NONWORD.sub(" ", folded(text)).strip()


def _mix(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """splitmix64 finaliser: spreads structured 64-bit values (polynomial hashes) over all bits."""
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


class MinHasher:
    """MinHash signatures of many texts at once (numpy, no per-shingle Python work).

    The permutations are fixed by ``seed`` so that every process computes the same signatures: the stored
    index depends on it. Each hash is ``(a * x + b) >> 32`` over 64-bit shingle hashes (multiply-shift).

    >>> h = MinHasher()
    >>> sig = h.signatures(["goodbye forever from qasr al nahr", "goodbye forever from qasr al nahr remember us"])
    >>> 0.5 < similarity(sig[0], sig[1]) < 1.0
    True
    """

    def __init__(self, num_perm: int = NUM_PERM, bands: int = BANDS, seed: int = 20250207) -> None:
        if num_perm % bands:
            raise ValueError(f"{num_perm} permutations do not split into {bands} bands")
        self.num_perm = num_perm
        self.bands = bands
        self.rows = num_perm // bands
        rng = np.random.default_rng(seed)
        self._a = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
        self._b = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)
        self._band_mult = rng.integers(1, 2**63, size=(self.rows,), dtype=np.uint64) * np.uint64(2) + np.uint64(1)
        self._band_salt = rng.integers(0, 2**63, size=(bands,), dtype=np.uint64)

    def signatures(self, texts: Sequence[str]) -> U32:
        """``(len(texts), num_perm)`` uint32 signatures; texts shorter than one shingle get all-max rows."""
        n = len(texts)
        out = np.full((n, self.num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
        if n == 0:
            return out
        encoded = [t.encode("utf-32-le") for t in texts]
        lengths = np.fromiter((len(e) // 4 for e in encoded), dtype=np.int64, count=n)
        cp = np.frombuffer(b"".join(encoded), dtype="<u4").astype(np.uint64)
        windows = np.maximum(lengths - SHINGLE + 1, 0)
        if cp.size < SHINGLE or not windows.any():
            return out
        # polynomial hash of every window of SHINGLE code points, over the concatenated texts
        span = cp.size - SHINGLE + 1
        h = np.zeros(span, dtype=np.uint64)
        for k in range(SHINGLE):
            h = h * np.uint64(1_000_003) + cp[k:k + span]
        # keep the windows that lie inside one text
        offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        has = windows > 0
        counts = windows[has]
        first = np.concatenate(([0], np.cumsum(counts)[:-1]))
        idx = np.repeat(offsets[has], counts) + (np.arange(int(counts.sum())) - np.repeat(first, counts))
        shingles = _mix(h[idx])
        rows = np.flatnonzero(has)
        for j in range(self.num_perm):
            values = (self._a[j] * shingles + self._b[j]) >> np.uint64(32)
            out[rows, j] = np.minimum.reduceat(values, first).astype(np.uint32)
        return out

    def band_keys(self, sigs: U32) -> npt.NDArray[np.int64]:
        """``(n, bands)`` signed 64-bit keys, one per band (band number mixed in), for an INTEGER column."""
        grouped = sigs.astype(np.uint64).reshape(len(sigs), self.bands, self.rows)
        keys = (grouped * self._band_mult).sum(axis=2, dtype=np.uint64) + self._band_salt
        return _mix(keys).view(np.int64)


def similarity(a: U32, b: U32) -> float:
    """Estimated Jaccard similarity of two signatures (share of equal MinHash values)."""
    return float(np.count_nonzero(a == b)) / a.size


@dataclass(frozen=True)
class ClusterRef:
    """A message's cluster, as stored under ``neardup.v1``."""

    cluster: int
    first_id: str
    first_author: str
    is_first: bool

    def to_dict(self) -> dict[str, Any]:
        return {"cluster": self.cluster, "first_id": self.first_id, "first_author": self.first_author,
                "is_first": self.is_first}


@dataclass
class _ClusterState:
    cluster_id: int
    first_id: str
    first_author: str
    first_seen: str
    size: int
    copies: int
    rep_id: str
    signature: U32 | None
    new: bool = False
    dirty: bool = False
    first_changed: bool = False
    rep_is_copy: bool = False


_HASHER: MinHasher | None = None


def _hasher() -> MinHasher:
    global _HASHER
    if _HASHER is None:
        _HASHER = MinHasher()
    return _HASHER


def _copy_target(msg: Message) -> tuple[str | None, str]:
    """The id this message copies (retweet/boost, or a forward naming a message id) and how."""
    if msg.retweet_of:
        return msg.retweet_of, "retweet"
    fwd = msg.forward_of
    if fwd and ":" in fwd and " " not in fwd:  # Telegram forwards often name a channel, not a message
        return fwd, "forward"
    return None, ""


def _chunks(values: Sequence[Any], size: int = _IN_CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(values), size):
        yield values[i:i + size]


def _select_in(conn: Any, sql: str, values: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Run ``sql`` (with one ``IN ({})``) over ``values`` in chunks small enough for every backend."""
    rows: list[tuple[Any, ...]] = []
    for part in _chunks(values):
        rows.extend(tuple(r) for r in conn.execute(sql.format(", ".join("?" for _ in part)), list(part)).fetchall())
    return rows


def _sig(blob: Any) -> U32 | None:
    return None if blob is None else np.frombuffer(bytes(blob), dtype="<u4").copy()


def assign_clusters(store: Store, messages: Sequence[Message]) -> dict[str, ClusterRef]:
    """Put each message in a near-duplicate cluster, persisting the index; return each message's cluster.

    Idempotent: a message already clustered keeps its cluster. Messages are taken in time order, so within a
    batch an original comes before its copies. The whole batch is one transaction that first takes the
    index's lock row, so concurrent ingests (threads or processes) cluster one after the other.
    """
    if not messages:
        return {}
    batch = _Batch(messages)
    with store.transaction() as conn:
        batch.run(conn)
    refs = {}
    for msg in messages:
        c = batch.cluster_of(msg.id)
        refs[msg.id] = ClusterRef(c.cluster_id, c.first_id, c.first_author, c.first_id == msg.id)
    stale = batch.stale()
    if stale:
        _refresh_members(store, stale, batch, skip=set(refs))
    return refs


class _Batch:
    """One batch being clustered: signatures, the part of the index it touches, and what to write back."""

    def __init__(self, messages: Sequence[Message]) -> None:
        hasher = _hasher()
        self.messages = messages
        texts = [dup_text(m) for m in messages]
        self.eligible = [len(t) >= MIN_CHARS for t in texts]
        self.sigs = hasher.signatures([t if ok else "" for t, ok in zip(texts, self.eligible, strict=True)])
        self.keys: list[list[int]] = hasher.band_keys(self.sigs).tolist()
        self.targets = [_copy_target(m) for m in messages]
        self.known: dict[str, tuple[int, str]] = {}  # message id -> (cluster, how), stored or placed here
        self.bands: dict[int, list[int]] = {}
        self.clusters: dict[int, _ClusterState] = {}
        self.members: list[tuple[str, int, str, str | None, str]] = []
        self.new_bands: list[tuple[int, int]] = []
        self.alias: dict[int, int] = {}  # merged cluster -> the cluster it went into
        self.refresh: set[int] = set()
        self.final: dict[str, int] = {}
        self.next_id = 0
        self.conn: Any = None
        self.reps: U32 = np.empty((max(64, 2 * len(messages)), hasher.num_perm), dtype=np.uint32)
        self.rep_row: dict[int, int] = {}

    # -- the transaction ------------------------------------------------------------------------------------
    def run(self, conn: Any) -> None:
        self.conn = conn
        # the lock row: on PostgreSQL this UPDATE holds a row lock until commit, serialising concurrent batches
        conn.execute("UPDATE neardup_state SET next_cluster = next_cluster WHERE id = 1")
        self.next_id = int(conn.execute("SELECT next_cluster FROM neardup_state WHERE id = 1").fetchone()[0])
        first_id = self.next_id
        lookup = list(dict.fromkeys([m.id for m in self.messages] + [t for t, _ in self.targets if t]))
        for mid, cid, how in _select_in(conn, "SELECT message_id, cluster_id, how FROM neardup_members "
                                              "WHERE message_id IN ({})", lookup):
            self.known[mid] = (int(cid), how)
        wanted = sorted({k for ks, ok in zip(self.keys, self.eligible, strict=True) if ok for k in ks})
        for key, cid in _select_in(conn, "SELECT band_key, cluster_id FROM neardup_bands WHERE band_key IN ({})",
                                   wanted):
            self.bands.setdefault(int(key), []).append(int(cid))
        need = {c for c, _ in self.known.values()} | {c for cs in self.bands.values() for c in cs}
        _load_clusters(conn, self.clusters, need)
        for c in self.clusters.values():
            if c.signature is not None:
                self.set_rep(c.cluster_id, c.signature)
        for i in sorted(range(len(self.messages)), key=lambda i: self.messages[i].created_at):
            self.place(i)
        self.write(first_id)

    def place(self, i: int) -> None:
        msg = self.messages[i]
        seen = format_ts(msg.created_at)
        prior = self.known.get(msg.id)
        if prior is not None and prior[1] != "pending":
            self.final[msg.id] = self.resolve(prior[0])
            return
        target, via = self.targets[i]
        sig = self.sigs[i] if self.eligible[i] else None
        if prior is not None:  # an original its retweets announced: it is its cluster's first message
            cid, how = self.resolve(prior[0]), "original"
            c = self.clusters[cid]
            if c.first_id == msg.id or seen < c.first_seen:
                _set_first(c, msg, seen)
            if sig is not None:
                # copies that arrived before it may have opened clusters of their own: fold them in
                for s, cand in self.candidates(i, sig):
                    if s >= THRESHOLD and cand != cid:
                        self.merge(cand, cid)
                if c.signature is None or c.rep_is_copy:
                    c.signature, c.rep_id, c.rep_is_copy = sig, msg.id, False
                    self.set_rep(cid, sig)
                    self.index(cid, i)
        elif target is not None:
            how = via
            if target in self.known:
                cid = self.resolve(self.known[target][0])
            else:  # the original is not stored yet: open its cluster and remember it as pending
                rt = _RT.match(msg.text)
                author = rt.group(1) if rt else ""
                cid = self.open(target, author, seen, msg.id, sig, copy=True)
                self.known[target] = (cid, "pending")
                self.members.append((target, cid, author, None, "pending"))
                if sig is not None:
                    self.index(cid, i)
            c = self.clusters[cid]
            c.copies += 1
            if self.known.get(c.first_id, (0, ""))[1] == "pending" and seen < c.first_seen:
                c.first_seen = seen  # still only an upper bound of when the original was posted
        else:
            cid, how = -1, "new"
            if sig is not None:
                sim, near = self.best(i, sig)
                if sim >= THRESHOLD:
                    cid, how = near, "content"
            if cid < 0:
                cid = self.open(msg.id, msg.author, seen, msg.id, sig, copy=False)
                if sig is not None:
                    self.index(cid, i)
            c = self.clusters[cid]
            if seen < c.first_seen:
                _set_first(c, msg, seen)
        c.size += 1
        c.dirty = True
        self.final[msg.id] = cid
        self.known[msg.id] = (cid, how)
        self.members.append((msg.id, cid, msg.author, seen, how))

    def write(self, first_id: int) -> None:
        conn = self.conn
        if self.alias:
            self.members = [(m[0], self.resolve(m[1]), *m[2:]) for m in self.members]
            self.new_bands = list(dict.fromkeys((key, self.resolve(cid)) for key, cid in self.new_bands))
        live = [c for c in self.clusters.values() if c.cluster_id not in self.alias]
        conn.executemany("INSERT INTO neardup_clusters (cluster_id, rep_id, signature, first_id, first_author, "
                         "first_seen, size, copies) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         [_cluster_row(c) for c in live if c.new])
        conn.executemany("UPDATE neardup_clusters SET rep_id = ?, signature = ?, first_id = ?, first_author = ?, "
                         "first_seen = ?, size = ?, copies = ? WHERE cluster_id = ?",
                         [(*_cluster_row(c)[1:], c.cluster_id) for c in live if c.dirty and not c.new])
        conn.executemany("INSERT INTO neardup_members (message_id, cluster_id, author, created_at, how) "
                         "VALUES (?, ?, ?, ?, ?) ON CONFLICT (message_id) DO UPDATE SET cluster_id = "
                         "excluded.cluster_id, author = excluded.author, created_at = excluded.created_at, "
                         "how = excluded.how", self.members)
        conn.executemany("INSERT INTO neardup_bands (band_key, cluster_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                         self.new_bands)
        if self.next_id != first_id:
            conn.execute("UPDATE neardup_state SET next_cluster = ? WHERE id = 1", (self.next_id,))

    # -- helpers ----------------------------------------------------------------------------------------------
    def resolve(self, cid: int) -> int:
        while cid in self.alias:
            cid = self.alias[cid]
        return cid

    def cluster_of(self, message_id: str) -> _ClusterState:
        return self.clusters[self.resolve(self.final[message_id])]

    def stale(self) -> set[int]:
        """Clusters whose members stored before this batch now name another first poster or cluster."""
        return {self.resolve(c.cluster_id) for c in self.clusters.values() if c.first_changed and not c.new} | {
            self.resolve(c) for c in self.refresh}

    def open(self, first_id: str, author: str, seen: str, rep_id: str, sig: U32 | None, *, copy: bool) -> int:
        cid = self.next_id
        self.next_id += 1
        self.clusters[cid] = _ClusterState(cid, first_id, author, seen, 0, 0, rep_id, sig, new=True,
                                           rep_is_copy=copy)
        if sig is not None:
            self.set_rep(cid, sig)
        return cid

    def index(self, cid: int, i: int) -> None:
        for key in self.keys[i]:
            self.bands.setdefault(key, []).append(cid)
            self.new_bands.append((key, cid))

    def set_rep(self, cid: int, sig: U32) -> None:
        """Keep cluster cid's representative signature in one matrix, so candidates compare in one numpy call."""
        row = self.rep_row.get(cid)
        if row is None:
            row = len(self.rep_row)
            if row == len(self.reps):
                self.reps = np.concatenate([self.reps, np.empty_like(self.reps)])
            self.rep_row[cid] = row
        self.reps[row] = sig

    def _similar(self, i: int, sig: U32) -> tuple[list[int], npt.NDArray[np.float64]]:
        seen: dict[int, None] = {}
        for key in self.keys[i]:
            for c in self.bands.get(key, ()):
                seen[self.resolve(c) if self.alias else c] = None
        cands = [c for c in seen if c in self.rep_row]
        if not cands:
            return [], np.empty(0)
        return cands, np.count_nonzero(self.reps[[self.rep_row[c] for c in cands]] == sig, axis=1) / sig.size

    def best(self, i: int, sig: U32) -> tuple[float, int]:
        """The most similar cluster sharing a band with message i: (similarity, cluster), or (0, -1)."""
        cands, sims = self._similar(i, sig)
        if not cands:
            return 0.0, -1
        k = int(np.argmax(sims))  # first of equals: band order is deterministic
        return float(sims[k]), cands[k]

    def candidates(self, i: int, sig: U32) -> list[tuple[float, int]]:
        """Every cluster sharing a band with message i and its representative's similarity, best first."""
        cands, sims = self._similar(i, sig)
        return sorted(zip(sims.tolist(), cands, strict=True), key=lambda x: (-x[0], x[1]))

    def merge(self, src: int, dst: int) -> None:
        """Fold cluster src into dst (copies clustered before their original arrived)."""
        conn = self.conn
        conn.execute("UPDATE neardup_members SET cluster_id = ? WHERE cluster_id = ?", (dst, src))
        conn.execute("INSERT INTO neardup_bands (band_key, cluster_id) SELECT band_key, ? FROM neardup_bands "
                     "WHERE cluster_id = ? ON CONFLICT DO NOTHING", (dst, src))
        conn.execute("DELETE FROM neardup_bands WHERE cluster_id = ?", (src,))
        conn.execute("DELETE FROM neardup_clusters WHERE cluster_id = ?", (src,))
        a, b = self.clusters[src], self.clusters[dst]
        b.size += a.size
        b.copies += a.copies
        if a.first_seen < b.first_seen:
            b.first_id, b.first_author, b.first_seen = a.first_id, a.first_author, a.first_seen
        b.dirty = True
        self.alias[src] = dst
        self.refresh.add(dst)


def _cluster_row(c: _ClusterState) -> tuple[Any, ...]:
    return (c.cluster_id, c.rep_id, None if c.signature is None else c.signature.tobytes(), c.first_id,
            c.first_author, c.first_seen, c.size, c.copies)


def _set_first(c: _ClusterState, msg: Message, seen: str) -> None:
    if (c.first_id, c.first_author) != (msg.id, msg.author):
        c.first_changed = True  # members stored earlier name another first poster: refreshed after the commit
    c.first_id, c.first_author, c.first_seen = msg.id, msg.author, seen


def _load_clusters(conn: Any, clusters: dict[int, _ClusterState], ids: Iterable[int]) -> None:
    wanted = sorted(set(ids) - set(clusters))
    for row in _select_in(conn, "SELECT cluster_id, first_id, first_author, first_seen, size, copies, rep_id, "
                                "signature FROM neardup_clusters WHERE cluster_id IN ({})", wanted):
        cid = int(row[0])
        clusters[cid] = _ClusterState(cid, row[1], row[2], row[3], int(row[4]), int(row[5]), row[6], _sig(row[7]))


def _refresh_members(store: Store, stale: set[int], batch: _Batch, skip: set[str]) -> None:
    """Members stored before their cluster's first message arrived: name the new first poster."""
    updates = []
    for part in _chunks(sorted(stale)):
        rows = store.query("SELECT message_id, cluster_id FROM neardup_members WHERE how <> 'pending' AND "
                           f"cluster_id IN ({', '.join('?' for _ in part)})", list(part))
        for message_id, cid in rows:
            if message_id in skip:
                continue
            c = batch.clusters[batch.resolve(int(cid))]
            updates.append((message_id, STAGE, ClusterRef(c.cluster_id, c.first_id, c.first_author,
                                                          c.first_id == message_id).to_dict()))
    if updates:
        store.set_enrichments(updates)


def catch_up(store: Store, *, batch_size: int = 2000) -> int:
    """Cluster the stored messages that have no cluster yet (ingested without the stage); return how many.

    Safe to call often: it reads only messages missing from ``neardup_members`` (or still ``pending``).
    """
    done = 0
    while True:
        rows = store.query("SELECT m.id FROM messages m LEFT JOIN neardup_members n ON n.message_id = m.id "
                           "WHERE n.message_id IS NULL OR n.how = 'pending' ORDER BY m.created_at, m.rowid LIMIT ?",
                           (batch_size,))
        if not rows:
            return done
        batch = list(store.messages(MessageQuery(ids=tuple(r[0] for r in rows))))
        refs = assign_clusters(store, batch)
        store.set_enrichments((mid, STAGE, ref.to_dict()) for mid, ref in refs.items())
        if not refs:  # nothing could be assigned: do not spin
            return done
        done += len(refs)


@dataclass(frozen=True)
class Cluster:
    """A near-duplicate cluster, for ``vigil clusters``.

    Attributes:
        cluster: its id.
        size: messages in it, the first included.
        copies: retweets, boosts and forwards among them.
        near_copies: members that joined by similar text (copy-paste, small edits).
        accounts: distinct authors other than the first poster.
        first_id / first_author / first_seen: the earliest message (or the original named by retweets).
        last_seen: the latest member.
        text: the start of the first message's text (or of the representative's when the first is not stored).
    """

    cluster: int
    size: int
    copies: int
    near_copies: int
    accounts: int
    first_id: str
    first_author: str
    first_seen: str
    last_seen: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"cluster": self.cluster, "size": self.size, "forwarded": self.size - 1, "copies": self.copies,
                "near_copies": self.near_copies, "accounts": self.accounts, "first_id": self.first_id,
                "first_author": self.first_author, "first_seen": self.first_seen, "last_seen": self.last_seen,
                "text": self.text}


def top_clusters(store: Store, top: int = 20, *, refresh: bool = True) -> list[Cluster]:
    """The biggest clusters ("forwarded N times by M accounts"), largest first.

    Args:
        store: the store.
        top: how many.
        refresh: first cluster stored messages that have none yet (see :func:`catch_up`).
    """
    if refresh:
        catch_up(store)
    rows = store.query("SELECT cluster_id, size, copies, first_id, first_author, first_seen, rep_id "
                       "FROM neardup_clusters WHERE size > 1 ORDER BY size DESC, cluster_id LIMIT ?", (int(top),))
    if not rows:
        return []
    ids = [int(r[0]) for r in rows]
    marks = ", ".join("?" for _ in ids)
    stats = {int(r[0]): (int(r[1]), r[2]) for r in store.query(
        "SELECT n.cluster_id, COUNT(DISTINCT n.author), MAX(n.created_at) FROM neardup_members n "
        f"JOIN neardup_clusters c ON c.cluster_id = n.cluster_id WHERE n.cluster_id IN ({marks}) "
        "AND n.how <> 'pending' AND n.message_id <> c.first_id GROUP BY n.cluster_id", ids)}
    wanted = sorted({r[3] for r in rows} | {r[6] for r in rows})
    texts = {r[0]: r[1] for r in store.query(
        f"SELECT id, text FROM messages WHERE id IN ({', '.join('?' for _ in wanted)})", wanted)}
    out = []
    for cid, size, copies, first_id, first_author, first_seen, rep_id in rows:
        accounts, last = stats.get(int(cid), (0, first_seen))
        text = texts.get(first_id) or texts.get(rep_id) or ""
        out.append(Cluster(int(cid), int(size), int(copies), int(size) - 1 - int(copies), accounts, first_id,
                           first_author, first_seen, last or first_seen, _RT.sub("", text)[:200]))
    return out


def cluster_of(store: Store, message_id: str) -> ClusterRef | None:
    """The cluster of one stored message, or ``None`` when it has none yet."""
    rows = store.query("SELECT c.cluster_id, c.first_id, c.first_author FROM neardup_members n JOIN neardup_clusters c "
                       "ON c.cluster_id = n.cluster_id WHERE n.message_id = ? AND n.how <> 'pending'", (message_id,))
    if not rows:
        return None
    cid, first_id, first_author = rows[0]
    return ClusterRef(int(cid), first_id, first_author, first_id == message_id)
