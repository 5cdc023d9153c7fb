-- Alerts raised by watchers. `key` says what the alert is about (`silence:rami_bustan`, `outage:Al-Jisr`); at
-- most one alert per key is open at a time, so a condition that persists raises one alert, and its end
-- closes it and raises a "back" event.
CREATE TABLE alerts (
    alert_id   INTEGER PRIMARY KEY,
    key        TEXT NOT NULL,
    kind       TEXT NOT NULL,
    severity   TEXT NOT NULL,
    subject    TEXT NOT NULL,
    evidence   TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    watcher    TEXT NOT NULL,
    state      TEXT NOT NULL DEFAULT 'open',
    closed_at  TEXT
);
CREATE INDEX alerts_key_state ON alerts (key, state);
CREATE INDEX alerts_created ON alerts (created_at);

-- Failures of a watcher during a run: recorded and skipped, never fatal to the loop.
CREATE TABLE watcher_failures (
    rowid   INTEGER PRIMARY KEY,
    watcher TEXT NOT NULL,
    at      TEXT NOT NULL,
    error   TEXT NOT NULL
);
