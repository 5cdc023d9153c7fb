-- Messages: one row per Message, keyed by its stable id; created_at is fixed-width ISO-8601 UTC so it sorts.
CREATE TABLE messages (
    rowid       INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    source      TEXT NOT NULL,
    format      TEXT NOT NULL,
    native_id   TEXT NOT NULL,
    author      TEXT NOT NULL DEFAULT '',
    author_name TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    text        TEXT NOT NULL,
    title       TEXT,
    lang        TEXT,
    reply_to    TEXT,
    forward_of  TEXT,
    retweet_of  TEXT,
    quote_of    TEXT,
    url         TEXT,
    labels      TEXT NOT NULL DEFAULT '{}',
    raw         TEXT NOT NULL DEFAULT '',
    enrichments TEXT NOT NULL DEFAULT '{}',
    ingested_at TEXT NOT NULL
);
CREATE INDEX messages_author_created ON messages (author COLLATE NOCASE, created_at);
CREATE INDEX messages_created ON messages (created_at);

-- Full-text index over folded title + text (Arabic harakat/letter variants folded in Python, Latin accents by
-- unicode61). Contentless: the text already lives in `messages`; rowids join the two.
CREATE VIRTUAL TABLE messages_fts USING fts5 (body, content = '', tokenize = 'unicode61 remove_diacritics 2');

-- Quarantine: every record that could not be read, with where it was and why. `key` makes re-ingest idempotent.
CREATE TABLE rejects (
    rowid  INTEGER PRIMARY KEY,
    key    TEXT NOT NULL UNIQUE,
    file   TEXT NOT NULL,
    line   INTEGER,
    offset INTEGER,
    format TEXT,
    reason TEXT NOT NULL,
    raw    BLOB NOT NULL,
    at     TEXT NOT NULL
);
CREATE INDEX rejects_file ON rejects (file, line);
