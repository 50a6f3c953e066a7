-- ikzreg schema, migration 004: what the staff tool needs.

-- One row, written by ikzregd after every intake pass, so that
-- `ikzreg status` can tell whether the daemon runs and when it last
-- fetched mail successfully.
CREATE TABLE daemon_heartbeat (
	id		INTEGER PRIMARY KEY CHECK (id = 1),
	pid		INTEGER NOT NULL,
	started		INTEGER NOT NULL,	-- this pid's first pass
	last_pass	INTEGER NOT NULL,	-- last pass, ok or not
	last_fetch	INTEGER,		-- last successful intake pass
	last_error	INTEGER			-- last failed intake pass
);

-- Mail sent to many people at once (`ikzreg remind`, `ikzreg send`):
-- one row per kind, event and registration, so that a second run never
-- sends the same mail to the same person again.
CREATE TABLE bulk_sent (
	kind		TEXT NOT NULL,		-- template name
	event_key	TEXT NOT NULL,
	registration_id	INTEGER NOT NULL,	-- no FK: erased with the person
	at		INTEGER NOT NULL,
	actor		TEXT NOT NULL,
	PRIMARY KEY (kind, event_key, registration_id)
);
