-- ikzreg schema, migration 002: places held by mails in review, the
-- parser's verdict kept for staff, retired events.
-- A message in review for a named event with intent "register" holds
-- `held` places in that event's queue at its arrival (see reg.h).
ALTER TABLE messages ADD COLUMN held INTEGER NOT NULL DEFAULT 0;
-- verdict_encode() bytes, so that staff can resolve without re-parsing.
ALTER TABLE messages ADD COLUMN verdict_enc BLOB;
CREATE INDEX messages_held ON messages (event_key, state, internaldate, uid)
	WHERE held > 0;
-- An event gone from the config (only possible without active
-- registrations) is kept for the history of its cancelled rows.
ALTER TABLE events ADD COLUMN retired INTEGER NOT NULL DEFAULT 0;
CREATE INDEX registrations_person ON registrations (event_key, email);
