-- ikzreg schema, migration 005: correcting and undoing staff work (issue 12).

-- A reply withdrawn before it was sent: the outbox row is deleted (its
-- body with personal data goes with it); this row says that it existed,
-- for whom and who withdrew it.
CREATE TABLE outbox_withdrawn (
	id		INTEGER PRIMARY KEY,
	outbox_id	INTEGER NOT NULL,	-- the deleted outbox row
	message_id	TEXT NOT NULL,
	kind		TEXT NOT NULL,
	rcpt		TEXT NOT NULL,
	source_message	INTEGER,
	registration_id	INTEGER,
	created		INTEGER NOT NULL,	-- when it was queued
	withdrawn_at	INTEGER NOT NULL,
	actor		TEXT NOT NULL
);
CREATE INDEX outbox_withdrawn_reg ON outbox_withdrawn (registration_id);

-- A person's fields before a staff edit, so that the edit can be undone.
-- Keyed by the "edited" audit row; erased with the registration
-- (privacy.c).
CREATE TABLE reg_prev (
	audit_id	INTEGER PRIMARY KEY,
	registration_id	INTEGER NOT NULL,
	salutation	TEXT NOT NULL DEFAULT '',
	title		TEXT NOT NULL DEFAULT '',
	given_name	TEXT NOT NULL DEFAULT '',
	family_name	TEXT NOT NULL DEFAULT '',
	function	TEXT NOT NULL DEFAULT '',
	organisation	TEXT NOT NULL DEFAULT '',
	email		TEXT NOT NULL DEFAULT '',
	reply_to	TEXT NOT NULL DEFAULT ''
);
CREATE INDEX reg_prev_reg ON reg_prev (registration_id);

-- Audit rows that have been undone (each at most once).
CREATE TABLE audit_undone (
	audit_id	INTEGER PRIMARY KEY,
	undo_audit_id	INTEGER NOT NULL,	-- the "undone" audit row
	at		INTEGER NOT NULL,
	actor		TEXT NOT NULL
);
