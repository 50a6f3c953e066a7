-- ikzreg schema, migration 001: the first schema.
-- Times are Unix seconds (UTC). Kept in sync with registry/db.c.
CREATE TABLE events (
	key			TEXT PRIMARY KEY,
	title			TEXT NOT NULL,
	starts			INTEGER NOT NULL,
	ends			INTEGER NOT NULL,
	location		TEXT NOT NULL DEFAULT '',
	seats			INTEGER NOT NULL,
	waitlist		INTEGER NOT NULL DEFAULT 0,
	per_organisation	INTEGER NOT NULL DEFAULT 0,
	registration_closes	INTEGER NOT NULL DEFAULT 0,
	review_all		INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE mailbox_state (
	mailbox		TEXT NOT NULL,
	uidvalidity	INTEGER NOT NULL,
	last_uid	INTEGER NOT NULL,
	PRIMARY KEY (mailbox, uidvalidity)
);
CREATE TABLE messages (
	id		INTEGER PRIMARY KEY,
	mailbox		TEXT NOT NULL,
	uidvalidity	INTEGER NOT NULL,
	uid		INTEGER NOT NULL,
	internaldate	INTEGER NOT NULL,
	message_id	TEXT,
	sha256		TEXT NOT NULL,
	size		INTEGER NOT NULL,
	raw		BLOB,
	state		TEXT NOT NULL DEFAULT 'received' CHECK (state IN
			    ('received', 'decided', 'review', 'quarantined', 'ignored')),
	attempts	INTEGER NOT NULL DEFAULT 0,
	intent		TEXT,
	event_key	TEXT,
	reason		TEXT,
	verdict		TEXT,
	from_addr	TEXT,
	subject		TEXT,
	moved		INTEGER NOT NULL DEFAULT 0,
	received_at	INTEGER NOT NULL,
	UNIQUE (mailbox, uidvalidity, uid)
);
CREATE INDEX messages_ident ON messages (message_id, sha256);
CREATE INDEX messages_state ON messages (state);
CREATE TABLE registrations (
	id		INTEGER PRIMARY KEY,
	event_key	TEXT NOT NULL REFERENCES events (key),
	status		TEXT NOT NULL CHECK (status IN
			    ('confirmed', 'waitlisted', 'cancelled')),
	arrival		INTEGER NOT NULL,	-- INTERNALDATE of the source mail
	arrival_uid	INTEGER NOT NULL,	-- tie-break: UID
	arrival_seq	INTEGER NOT NULL DEFAULT 0, -- order within one mail
	salutation	TEXT NOT NULL DEFAULT '',
	title		TEXT NOT NULL DEFAULT '',
	given_name	TEXT NOT NULL DEFAULT '',
	family_name	TEXT NOT NULL DEFAULT '',
	function	TEXT NOT NULL DEFAULT '',
	organisation	TEXT NOT NULL DEFAULT '',
	email		TEXT NOT NULL DEFAULT '',
	reply_to	TEXT NOT NULL DEFAULT '',
	source_message	INTEGER REFERENCES messages (id),
	created		INTEGER NOT NULL,
	updated		INTEGER NOT NULL
);
CREATE INDEX registrations_order ON registrations
	(event_key, status, arrival, arrival_uid, arrival_seq);
CREATE TABLE outbox (
	id		INTEGER PRIMARY KEY,
	message_id	TEXT NOT NULL,		-- Message-ID header, kept on resend
	kind		TEXT NOT NULL,		-- template name
	rcpt		TEXT NOT NULL,		-- one envelope recipient
	body		BLOB NOT NULL,		-- complete RFC 5322 message, CRLF
	source_message	INTEGER REFERENCES messages (id),
	registration_id	INTEGER REFERENCES registrations (id),
	state		TEXT NOT NULL DEFAULT 'pending' CHECK (state IN
			    ('pending', 'sent', 'failed')),
	attempts	INTEGER NOT NULL DEFAULT 0,
	next_try	INTEGER NOT NULL DEFAULT 0,
	last_error	TEXT,
	created		INTEGER NOT NULL,
	sent_at		INTEGER,
	UNIQUE (message_id, rcpt)
);
CREATE INDEX outbox_pending ON outbox (state, next_try);
CREATE TABLE audit (
	id		INTEGER PRIMARY KEY,
	at		INTEGER NOT NULL,
	actor		TEXT NOT NULL,		-- "daemon" or the staff user
	action		TEXT NOT NULL,
	event_key	TEXT,
	registration_id	INTEGER,
	source_message	INTEGER,
	detail		TEXT
);
