-- Serving layer (vigil run / the API and dashboard): accounts, sessions, tokens, audit log, alert
-- acknowledgements, follower positions and the facet index behind the API's filters and charts.

-- Users of the dashboard and API. role: viewer | analyst | admin. password_hash: argon2id (PHC string).
CREATE TABLE serve_users (
    user_id       INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0
);

-- Dashboard sessions: the cookie holds a random id; only its SHA-256 is stored, with the session's CSRF token.
CREATE TABLE serve_sessions (
    session_hash TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES serve_users (user_id) ON DELETE CASCADE,
    csrf         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
CREATE INDEX serve_sessions_user ON serve_sessions (user_id);

-- API bearer tokens: stored as SHA-256 of the secret (the secret is shown once, at creation).
CREATE TABLE serve_tokens (
    token_id     INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES serve_users (user_id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    prefix       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    revoked      INTEGER NOT NULL DEFAULT 0
);

-- Who read or changed sensitive data (watch-list, silence board, outages), when, and what.
CREATE TABLE serve_audit (
    audit_id INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    username TEXT NOT NULL,
    role     TEXT NOT NULL,
    action   TEXT NOT NULL,
    subject  TEXT NOT NULL DEFAULT '',
    detail   TEXT NOT NULL DEFAULT '',
    client   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX serve_audit_at ON serve_audit (at);

-- Acknowledged alerts (the alert records belong to the watchers; acknowledgement is a dashboard act).
CREATE TABLE serve_alert_acks (
    alert_id TEXT PRIMARY KEY,
    username TEXT NOT NULL,
    at       TEXT NOT NULL,
    note     TEXT NOT NULL DEFAULT ''
);

-- Where `vigil run` is in each followed file, folder entry or feed, so a restart resumes.
CREATE TABLE serve_follow (
    key           TEXT PRIMARY KEY,
    kind          TEXT NOT NULL,
    position      INTEGER NOT NULL DEFAULT 0,
    size          INTEGER NOT NULL DEFAULT 0,
    mtime_ns      INTEGER NOT NULL DEFAULT 0,
    inode         INTEGER NOT NULL DEFAULT 0,
    format        TEXT NOT NULL DEFAULT '',
    etag          TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    failures      INTEGER NOT NULL DEFAULT 0,
    next_at       TEXT NOT NULL DEFAULT '',
    updated_at    TEXT NOT NULL
);

-- Facet index: what the API filters and charts on, derived from each message's enrichments. One row per
-- message (same rowid as `messages`); signals and areas in their own tables so that each filter is an index.
CREATE TABLE serve_facets (
    rowid        INTEGER PRIMARY KEY,
    created_at   TEXT NOT NULL,
    type         TEXT NOT NULL DEFAULT '',
    urgency      TEXT NOT NULL DEFAULT '',
    urgency_rank INTEGER NOT NULL DEFAULT 0,
    lang         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX serve_facets_created ON serve_facets (created_at);
CREATE INDEX serve_facets_type ON serve_facets (type, created_at);
CREATE INDEX serve_facets_urgency ON serve_facets (urgency_rank, created_at);
CREATE INDEX serve_facets_lang ON serve_facets (lang, created_at);

CREATE TABLE serve_facet_signals (
    signal     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    rowid_     INTEGER NOT NULL,
    PRIMARY KEY (signal, created_at, rowid_)
);

CREATE TABLE serve_facet_areas (
    area       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    rowid_     INTEGER NOT NULL,
    PRIMARY KEY (area, created_at, rowid_)
);

-- Messages per hour and type (and how many were high or critical), kept up to date as messages are indexed.
CREATE TABLE serve_hourly (
    hour   TEXT NOT NULL,
    type   TEXT NOT NULL,
    n      INTEGER NOT NULL,
    urgent INTEGER NOT NULL,
    PRIMARY KEY (hour, type)
);

-- Small key/value state (the facet index's high-water mark).
CREATE TABLE serve_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
