-- Watch-list: people watched for silence, with consent. A person (one human) has one or more handles
-- (X, Telegram, Mastodon...); any handle posting counts as a sign of life. Consent and who added it are kept
-- per handle, because each handle is added on its own evidence.
CREATE TABLE watch_persons (
    person_id INTEGER PRIMARY KEY,
    name      TEXT NOT NULL UNIQUE,
    area      TEXT NOT NULL,
    added_at  TEXT NOT NULL
);
CREATE INDEX watch_persons_area ON watch_persons (area);

CREATE TABLE watch_handles (
    handle    TEXT PRIMARY KEY,        -- lowercased, without a leading @
    person_id INTEGER NOT NULL REFERENCES watch_persons (person_id) ON DELETE CASCADE,
    consent   TEXT NOT NULL,
    added_by  TEXT NOT NULL,
    added_at  TEXT NOT NULL,
    note      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX watch_handles_person ON watch_handles (person_id);

-- How a handle is found among message authors: `key` is compared with lower(author); `format` '' matches any
-- reader. A fediverse handle user@instance also matches the bare `user` of Mastodon posts (local accounts).
CREATE TABLE watch_keys (
    key       TEXT NOT NULL,
    format    TEXT NOT NULL DEFAULT '',
    handle    TEXT NOT NULL REFERENCES watch_handles (handle) ON DELETE CASCADE,
    person_id INTEGER NOT NULL,
    PRIMARY KEY (key, format, handle)
);
CREATE INDEX watch_keys_person ON watch_keys (person_id);

-- Local time of an area (minutes east of UTC): the rhythm of its people is learned in local time.
CREATE TABLE watch_areas (
    area           TEXT PRIMARY KEY,
    utc_offset_min INTEGER NOT NULL
);

-- Precomputed rhythm parameters, one row per person, so that scoring never re-reads history.
-- `profile` holds 168 float32 hour-of-week weights (local time, Monday 00:00 first, mean 1).
CREATE TABLE watch_rhythm (
    person_id        INTEGER PRIMARY KEY REFERENCES watch_persons (person_id) ON DELETE CASCADE,
    fitted_at        TEXT NOT NULL,
    last_seen        TEXT,
    n_posts          INTEGER NOT NULL,
    n_sessions       INTEGER NOT NULL,
    sessions_per_day REAL NOT NULL,
    scale_s          REAL NOT NULL,
    shape            REAL NOT NULL,
    mean_gap_s       REAL NOT NULL,
    utc_offset_min   INTEGER NOT NULL,
    cold_start       INTEGER NOT NULL,
    method           TEXT NOT NULL,
    profile          BLOB NOT NULL
);
