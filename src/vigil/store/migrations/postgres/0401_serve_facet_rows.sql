-- PostgreSQL counterpart of sqlite/0401_serve_facet_rows.sql.
-- Signals and areas of a page of messages are looked up by message row: index that direction too.
CREATE INDEX serve_facet_signals_row ON serve_facet_signals (rowid_);
CREATE INDEX serve_facet_areas_row ON serve_facet_areas (rowid_);
