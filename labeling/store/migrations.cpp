#include "labeling/store/migrations.h"

namespace lb::labeling {

// [SECTION] Forward migrations, one step per schema version. A step is never edited once it has
// shipped: projects in the field were made by it. Add a new step and bump kSchemaVersion.
// SQL stays close to what PostgreSQL accepts (INTEGER/TEXT/REAL/BLOB, CHECKs, no SQLite-only
// functions in defaults) so that the centre-mode store can share it.

namespace {

// Step 0 -> 1: the core model.
constexpr const char* kStep1 = R"SQL(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE settings (
  key        TEXT PRIMARY KEY,
  value_json TEXT NOT NULL
);
CREATE TABLE users (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  role       TEXT NOT NULL CHECK (role IN ('annotator','reviewer','lead')),
  active     INTEGER NOT NULL DEFAULT 1,
  created_ms INTEGER NOT NULL
);
CREATE TABLE batches (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  source     TEXT NOT NULL DEFAULT '',
  created_ms INTEGER NOT NULL
);
CREATE TABLE items (
  id              INTEGER PRIMARY KEY,
  batch_id        INTEGER NOT NULL REFERENCES batches(id),
  kind            TEXT NOT NULL CHECK (kind IN ('image','text','prompt')),
  media_path      TEXT NOT NULL DEFAULT '',
  source_key      TEXT NOT NULL UNIQUE,
  content_hash    TEXT NOT NULL,
  file_size       INTEGER NOT NULL DEFAULT 0,
  width_px        INTEGER NOT NULL DEFAULT 0,
  height_px       INTEGER NOT NULL DEFAULT 0,
  frame_index     INTEGER NOT NULL DEFAULT -1,
  length_cp       INTEGER NOT NULL DEFAULT 0,
  source_encoding TEXT NOT NULL DEFAULT '',
  text            TEXT NOT NULL DEFAULT '',
  state           TEXT NOT NULL DEFAULT 'new'
                  CHECK (state IN ('new','in_progress','submitted','accepted','rejected')),
  nothing_here    INTEGER NOT NULL DEFAULT 0,
  excluded        INTEGER NOT NULL DEFAULT 0,
  excluded_reason TEXT NOT NULL DEFAULT '',
  is_gold         INTEGER NOT NULL DEFAULT 0,
  created_ms      INTEGER NOT NULL
);
CREATE INDEX items_by_batch ON items(batch_id);
CREATE INDEX items_by_state ON items(state);
CREATE INDEX items_by_hash ON items(content_hash);
CREATE TABLE responses (
  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  idx     INTEGER NOT NULL,
  source  TEXT NOT NULL DEFAULT '',
  text    TEXT NOT NULL,
  PRIMARY KEY (item_id, idx)
);
CREATE TABLE thumbnails (
  item_id   INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
  width_px  INTEGER NOT NULL,
  height_px INTEGER NOT NULL,
  jpeg      BLOB NOT NULL
);
CREATE TABLE signals (
  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  key     TEXT NOT NULL,
  number  REAL NOT NULL DEFAULT 0,
  blob    BLOB,
  PRIMARY KEY (key, item_id)
);
CREATE TABLE classes (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL,
  scope         TEXT NOT NULL CHECK (scope IN ('object','image_tag','document','span','relation')),
  color         TEXT NOT NULL,
  hotkey        TEXT NOT NULL DEFAULT '',
  position      INTEGER NOT NULL,
  details_json  TEXT NOT NULL DEFAULT '{}',
  UNIQUE (name, scope)
);
CREATE TABLE annotations (
  id              INTEGER PRIMARY KEY,
  item_id         INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  author_id       INTEGER REFERENCES users(id),
  class_id        INTEGER REFERENCES classes(id),
  kind            TEXT NOT NULL,
  coords_json     TEXT NOT NULL DEFAULT '[]',
  attributes_json TEXT NOT NULL DEFAULT '{}',
  data_json       TEXT NOT NULL DEFAULT '{}',
  z_order         INTEGER NOT NULL DEFAULT 0,
  hidden          INTEGER NOT NULL DEFAULT 0,
  locked          INTEGER NOT NULL DEFAULT 0,
  occluded        INTEGER NOT NULL DEFAULT 0,
  group_id        INTEGER NOT NULL DEFAULT 0,
  source          TEXT NOT NULL DEFAULT 'manual',
  is_reference    INTEGER NOT NULL DEFAULT 0,
  deleted         INTEGER NOT NULL DEFAULT 0,
  created_ms      INTEGER NOT NULL,
  updated_ms      INTEGER NOT NULL
);
CREATE INDEX annotations_by_item ON annotations(item_id, deleted);
CREATE INDEX annotations_by_class ON annotations(class_id);
CREATE TABLE tasks (
  id         INTEGER PRIMARY KEY,
  item_id    INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  user_id    INTEGER NOT NULL REFERENCES users(id),
  kind       TEXT NOT NULL CHECK (kind IN ('annotate','review')),
  state      TEXT NOT NULL DEFAULT 'assigned'
             CHECK (state IN ('assigned','in_progress','submitted','done')),
  lease_until_ms INTEGER NOT NULL DEFAULT 0,
  created_ms INTEGER NOT NULL,
  UNIQUE (item_id, user_id, kind)
);
CREATE INDEX tasks_by_user ON tasks(user_id, kind, state);
CREATE TABLE events (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL,
  item_id     INTEGER NOT NULL DEFAULT 0,
  session_id  TEXT NOT NULL DEFAULT '',
  action      TEXT NOT NULL,
  t_ms        INTEGER NOT NULL,
  detail_json TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX events_by_user_time ON events(user_id, t_ms);
CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE TRIGGER events_are_append_only_delete BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE TABLE commands (
  id           INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL,
  item_id      INTEGER NOT NULL,
  kind         TEXT NOT NULL,
  payload_json TEXT NOT NULL,
  state        TEXT NOT NULL DEFAULT 'done' CHECK (state IN ('done','undone','dropped')),
  undo_seq     INTEGER NOT NULL DEFAULT 0,
  t_ms         INTEGER NOT NULL
);
CREATE INDEX commands_by_user ON commands(user_id, state, id);
)SQL";

// Step 1 -> 2: review history and cleaning findings (qc).
constexpr const char* kStep2 = R"SQL(
CREATE TABLE reviews (
  id           INTEGER PRIMARY KEY,
  item_id      INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  reviewer_id  INTEGER NOT NULL REFERENCES users(id),
  annotator_id INTEGER NOT NULL DEFAULT 0,
  verdict      TEXT NOT NULL CHECK (verdict IN ('accept','reject','fix_and_accept')),
  reason       TEXT NOT NULL DEFAULT '',
  comment      TEXT NOT NULL DEFAULT '',
  pin_json     TEXT NOT NULL DEFAULT '{}',
  created_ms   INTEGER NOT NULL
);
CREATE INDEX reviews_by_item ON reviews(item_id, created_ms);
CREATE TABLE findings (
  id          INTEGER PRIMARY KEY,
  item_id     INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  check_name  TEXT NOT NULL,
  score       REAL NOT NULL,
  group_key   INTEGER NOT NULL DEFAULT 0,
  detail_json TEXT NOT NULL DEFAULT '{}',
  decision    TEXT NOT NULL DEFAULT '' CHECK (decision IN ('','exclude','keep')),
  decided_by  INTEGER NOT NULL DEFAULT 0,
  decided_ms  INTEGER NOT NULL DEFAULT 0,
  UNIQUE (check_name, item_id)
);
CREATE INDEX findings_by_check ON findings(check_name, score);
)SQL";

// Step 2 -> 3: acceptance sampling lots (ISO 2859-1) and overlap-merge ties sent to review (qc).
constexpr const char* kStep3 = R"SQL(
CREATE TABLE aql_lots (
  id              INTEGER PRIMARY KEY,
  batch_id        INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
  lot_size        INTEGER NOT NULL,
  level           TEXT NOT NULL CHECK (level IN ('I','II','III')),
  aql             REAL NOT NULL,
  table_letter    TEXT NOT NULL,
  plan_letter     TEXT NOT NULL,
  sample_size     INTEGER NOT NULL,
  accept_number   INTEGER NOT NULL,
  reject_number   INTEGER NOT NULL,
  seed            INTEGER NOT NULL,
  state           TEXT NOT NULL DEFAULT 'drawn' CHECK (state IN ('drawn','accepted','rejected')),
  nonconforming   INTEGER NOT NULL DEFAULT 0,
  drawn_by        INTEGER NOT NULL DEFAULT 0,
  created_ms      INTEGER NOT NULL,
  decided_by      INTEGER NOT NULL DEFAULT 0,
  decided_ms      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX aql_lots_by_batch ON aql_lots(batch_id, id);
CREATE TABLE aql_samples (
  lot_id       INTEGER NOT NULL REFERENCES aql_lots(id) ON DELETE CASCADE,
  item_id      INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  position     INTEGER NOT NULL,
  verdict      TEXT NOT NULL DEFAULT '' CHECK (verdict IN ('','conforming','nonconforming')),
  note         TEXT NOT NULL DEFAULT '',
  inspected_by INTEGER NOT NULL DEFAULT 0,
  inspected_ms INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (lot_id, item_id)
);
CREATE TABLE merge_ties (
  item_id     INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
  detail_json TEXT NOT NULL DEFAULT '[]',
  created_ms  INTEGER NOT NULL,
  resolved    INTEGER NOT NULL DEFAULT 0
);
)SQL";

const std::vector<MigrationStep>& allSteps() {
  static const std::vector<MigrationStep> steps = {
      {1, "core model", kStep1},
      {2, "reviews and cleaning findings", kStep2},
      {3, "acceptance sampling lots and merge ties", kStep3},
  };
  return steps;
}

}  // namespace

const std::vector<MigrationStep>& migrationSteps() { return allSteps(); }

}  // namespace lb::labeling
