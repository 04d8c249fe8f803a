-- The agency's name in English, as HR gives it (the seventh column of the people file; empty when HR has
-- none): English pages show it, and the Chinese name when it is empty.
ALTER TABLE agencies ADD COLUMN name_en TEXT NOT NULL DEFAULT '';
