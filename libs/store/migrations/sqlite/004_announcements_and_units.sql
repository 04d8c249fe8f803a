-- 最新公告: announcements, one model for the public list on the login page and (issue 14) the agencies' and
-- roles' own. Times in microseconds since 1970 (UTC); publish_until NULL = until withdrawn.
CREATE TABLE announcements (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  audience TEXT NOT NULL CHECK (audience IN ('public', 'all')),
  publish_from INTEGER NOT NULL,
  publish_until INTEGER,
  author TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX announcements_window ON announcements (audience, publish_from);

-- 機關組織: a unit belongs to its agency (HR's agencies file, `admin import-agencies`).
ALTER TABLE agencies ADD COLUMN parent_code TEXT REFERENCES agencies (code);
