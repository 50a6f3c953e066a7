-- ikzreg schema, migration 006: side questions (issue 11).
--
-- A registration that also asks something (parking, meals, the way
-- there) is decided at once; the question becomes an item of its own
-- for staff, quoted from the mail, until staff mark it answered.
CREATE TABLE side_questions (
	id		INTEGER PRIMARY KEY,
	message_id	INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
	event_key	TEXT,
	question	TEXT NOT NULL,		-- "line 5: \"Gibt es ...?\""
	created		INTEGER NOT NULL,
	answered	INTEGER,		-- NULL: open
	answered_by	TEXT
);
CREATE INDEX side_questions_open ON side_questions(answered);
