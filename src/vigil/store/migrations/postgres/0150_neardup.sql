-- PostgreSQL counterpart of sqlite/0150_neardup.sql (BIGINT, BYTEA; no WITHOUT ROWID). The UPDATE of the
-- neardup_state row is the lock concurrent workers queue on, as on SQLite.
-- Near-duplicate clusters (vigil.watch.neardup, stage neardup.v1). The LSH index lives here so that every
-- ingest, in any process, joins the same clusters.
-- A cluster: the representative whose MinHash signature (uint32 little-endian) new messages are compared with,
-- and the earliest message (the first poster). `copies` counts retweets/boosts/forwards among the members.
CREATE TABLE neardup_clusters (
    cluster_id   BIGINT PRIMARY KEY,  -- allocated from neardup_state
    rep_id       TEXT NOT NULL,
    signature    BYTEA,
    first_id     TEXT NOT NULL,
    first_author TEXT NOT NULL DEFAULT '',
    first_seen   TEXT NOT NULL,
    size         BIGINT NOT NULL DEFAULT 0,
    copies       BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX neardup_clusters_size ON neardup_clusters (size);

-- LSH bands of each representative: hash of (band number, its MinHash values) -> cluster.
CREATE TABLE neardup_bands (
    band_key   BIGINT NOT NULL,
    cluster_id BIGINT NOT NULL,
    PRIMARY KEY (band_key, cluster_id)
);

-- Every clustered message. `how`: new (opened the cluster), content (similar text), retweet, forward, original
-- (arrived after its retweets), pending (an original known only from its retweets; created_at NULL).
CREATE TABLE neardup_members (
    message_id TEXT PRIMARY KEY,
    cluster_id BIGINT NOT NULL,
    author     TEXT NOT NULL DEFAULT '',
    created_at TEXT,
    how        TEXT NOT NULL
);
CREATE INDEX neardup_members_cluster ON neardup_members (cluster_id);

-- One row: the next cluster id, and the lock every clustering batch takes first (UPDATE) so that concurrent
-- ingests cluster one after the other instead of opening the same cluster twice.
CREATE TABLE neardup_state (
    id           BIGINT PRIMARY KEY CHECK (id = 1),
    next_cluster BIGINT NOT NULL
);
INSERT INTO neardup_state (id, next_cluster) VALUES (1, 1);
