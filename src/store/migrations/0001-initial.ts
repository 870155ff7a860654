import type { Migration } from './types.js';

export const migration0001: Migration = {
  version: 1,
  name: 'initial schema: sources, node facts, nodes with FTS, edges, marks, findings',
  up(db) {
    db.exec(`
      CREATE TABLE sources (
        id          INTEGER PRIMARY KEY,
        label       TEXT NOT NULL,           -- what identifies the source for re-import (absolute path by default)
        file_name   TEXT NOT NULL,
        format      TEXT NOT NULL,
        sha256      TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        options     TEXT NOT NULL DEFAULT '{}',
        counts      TEXT NOT NULL DEFAULT '{}',
        warnings    TEXT NOT NULL DEFAULT '[]'
      );
      CREATE INDEX sources_label ON sources(label);
      CREATE INDEX sources_sha ON sources(sha256, format);

      -- What each source states about a node, for nodes stated by more than one source (or aliased);
      -- source_id 0 holds nodes made by derivation rules. A node stated by one source only lives in
      -- nodes alone (solo_source), which halves the writes of a large import.
      CREATE TABLE node_facts (
        node_id   TEXT NOT NULL,
        source_id INTEGER NOT NULL,
        kind      TEXT NOT NULL,
        name      TEXT NOT NULL,
        stub      INTEGER NOT NULL DEFAULT 0,
        boundary  TEXT,
        handles   TEXT NOT NULL DEFAULT '',  -- newline-separated
        props     TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (node_id, source_id)
      ) WITHOUT ROWID;
      CREATE INDEX node_facts_source ON node_facts(source_id);

      CREATE TABLE node_aliases (
        alias     TEXT NOT NULL,
        canonical TEXT NOT NULL,
        source_id INTEGER NOT NULL,
        PRIMARY KEY (alias, source_id)
      ) WITHOUT ROWID;

      -- The merged view of node_facts, one row per canonical node; rebuilt for the ids an import touches.
      CREATE TABLE nodes (
        rowid    INTEGER PRIMARY KEY,
        id       TEXT NOT NULL UNIQUE,
        kind     TEXT NOT NULL,
        name     TEXT NOT NULL,
        stub     INTEGER NOT NULL DEFAULT 0,
        boundary TEXT,
        handles  TEXT NOT NULL DEFAULT '',
        props    TEXT NOT NULL DEFAULT '{}',
        sources  TEXT NOT NULL DEFAULT '[]',  -- source ids that state this node
        solo_source INTEGER                   -- the one source stating it, when it has no node_facts
      );
      CREATE INDEX nodes_kind ON nodes(kind);
      CREATE INDEX nodes_solo ON nodes(solo_source) WHERE solo_source IS NOT NULL;
      CREATE INDEX nodes_boundary ON nodes(boundary);

      -- Search. Names: trigram, so any 3-character substring matches. Handles (ARNs, key ids, emails, ns/name):
      -- one token per handle (ARN punctuation kept inside tokens), matched whole or by prefix — a trigram index
      -- over long ARNs costs several times more to build. Both are contentless (the text is in nodes) and kept
      -- by the store in bulk at commit: per-row triggers cost four times more.
      CREATE VIRTUAL TABLE node_name_fts USING fts5(name, content='', contentless_delete=1, tokenize='trigram');
      CREATE VIRTUAL TABLE node_handle_fts USING fts5(handles, content='', contentless_delete=1, tokenize="unicode61 remove_diacritics 0 tokenchars ':/@.-_+=,#'");

      -- Imported edges carry their source; derived edges (derived = 1, source_id NULL) are rebuilt after every import.
      -- No index on source_id: only a re-import deletes by source, and a scan is cheaper than maintaining it.
      CREATE TABLE edges (
        id          INTEGER PRIMARY KEY,
        src         TEXT NOT NULL,
        dst         TEXT NOT NULL,
        kind        TEXT NOT NULL,
        source_id   INTEGER,
        derived     INTEGER NOT NULL DEFAULT 0,
        conditional INTEGER NOT NULL DEFAULT 0,
        first_seen  TEXT,
        last_seen   TEXT,
        props       TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX edges_src ON edges(src);
      CREATE INDEX edges_dst ON edges(dst);
      CREATE INDEX edges_derived ON edges(derived) WHERE derived = 1;

      -- Marks outlive imports: they name nodes by id, not rows. Undone marks are kept for the record.
      CREATE TABLE marks (
        id        INTEGER PRIMARY KEY,
        node_id   TEXT NOT NULL,
        mark      TEXT NOT NULL CHECK (mark IN ('compromised', 'high-value')),
        note      TEXT NOT NULL DEFAULT '',
        by        TEXT NOT NULL DEFAULT '',
        at        TEXT NOT NULL,
        source_id INTEGER,                  -- set when an import asked for the mark
        undone_at TEXT,
        undone_by TEXT
      );
      CREATE INDEX marks_node ON marks(node_id);

      CREATE TABLE findings (
        id          TEXT PRIMARY KEY,
        rule        TEXT NOT NULL,
        severity    TEXT NOT NULL,
        node_id     TEXT NOT NULL,
        title       TEXT NOT NULL,
        summary     TEXT NOT NULL,
        evidence    TEXT NOT NULL DEFAULT '[]',
        remediation TEXT NOT NULL DEFAULT ''
      );
      CREATE INDEX findings_node ON findings(node_id);

      -- Small key/value store for caches such as the graph-index snapshot stamp.
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
  },
};
