-- Burst detection (vigil.watch.bursts): messages per term per UTC hour, kept up to date incrementally so that
-- detection never re-reads texts. `hour` is hours since 1970-01-01T00:00Z of created_at; `originals` leaves
-- out retweets, boosts, forwards and "RT @" copies.
CREATE TABLE burst_counts (
    term      TEXT NOT NULL,
    hour      INTEGER NOT NULL,
    n         INTEGER NOT NULL,
    originals INTEGER NOT NULL,
    PRIMARY KEY (term, hour)
) WITHOUT ROWID;
CREATE INDEX burst_counts_hour ON burst_counts (hour);

-- All messages per hour: the denominator of every term's rate.
CREATE TABLE burst_totals (
    hour      INTEGER PRIMARY KEY,
    n         INTEGER NOT NULL,
    originals INTEGER NOT NULL
);

-- How far the counts have read the messages table (its rowid); the lock row of concurrent updates.
CREATE TABLE burst_state (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    last_rowid BIGINT NOT NULL
);
INSERT INTO burst_state (id, last_rowid) VALUES (1, 0);
