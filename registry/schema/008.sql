-- ikzreg schema, migration 008: indexes for draining a full mailbox
-- (issue 15). Per mail, the daemon asked three questions whose answer
-- needed a column stored after the raw mail, so SQLite walked each row's
-- overflow pages: the cost per mail grew with the number of mails stored.

-- Places held by mails in review before a given arrival (seats.c): the
-- index now carries `held`, so the sum never reads the table.
DROP INDEX messages_held;
CREATE INDEX messages_held ON messages (event_key, state, internaldate, uid,
	held);

-- Decided mails not yet moved on the server (intake, after every batch).
CREATE INDEX messages_unmoved ON messages (mailbox, uidvalidity, uid)
	WHERE moved = 0;

-- Replies to one address in the last 24 hours (the rate limit, per mail).
CREATE INDEX outbox_rcpt_recent ON outbox (lower(rcpt), created);

-- The next pending reply in id order (smtp_drain, per reply): without it
-- every call sorted all pending rows.
CREATE INDEX outbox_due ON outbox (state, id);

-- The same person twice (seats.c reg_find_person, per mail): by address,
-- or by given name, family name and organisation, case-insensitive.
CREATE INDEX registrations_email_ci ON registrations (event_key,
	lower(email));
CREATE INDEX registrations_name_ci ON registrations (event_key,
	lower(family_name), lower(given_name), lower(organisation));
