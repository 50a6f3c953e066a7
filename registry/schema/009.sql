-- ikzreg schema, migration 009: the place on a waiting list, and the
-- places held by mails in review, without counting them (issue 15).
--
-- "Platz N der Warteliste" counted every person waiting before, for each
-- mail: a drain of n mails cost O(n^2). This table counts the people
-- waiting per event by their arrival second at eight levels of 16-ary
-- buckets (bucket = arrival >> 4 * level), so that "how many wait who
-- arrived before second t" is a sum over at most 15 buckets per level
-- (seats.c reg_waiting_rank). The triggers keep it in the same
-- transaction as every change of registrations, whoever makes it (the
-- daemon, staff, undo, erasure) and however it ends (a rollback takes the
-- counts back with the rows). Buckets that fall to 0 stay, with n = 0.
CREATE TABLE waitlist_tree (
	event_key	TEXT NOT NULL,
	level		INTEGER NOT NULL,	-- 0 .. 7
	bucket		INTEGER NOT NULL,	-- arrival >> (4 * level)
	n		INTEGER NOT NULL,	-- people waiting in it
	PRIMARY KEY (event_key, level, bucket)
) WITHOUT ROWID;

INSERT INTO waitlist_tree (event_key, level, bucket, n)
	SELECT event_key, l.column1, arrival >> (4 * l.column1), count(*)
	FROM registrations, (VALUES (0), (1), (2), (3), (4), (5), (6), (7)) l
	WHERE status = 'waitlisted' GROUP BY 1, 2, 3;

CREATE TRIGGER waitlist_tree_insert AFTER INSERT ON registrations
	WHEN NEW.status = 'waitlisted'
BEGIN
	INSERT INTO waitlist_tree (event_key, level, bucket, n)
	SELECT NEW.event_key, column1, NEW.arrival >> (4 * column1), 1
	FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7)) WHERE 1
	ON CONFLICT (event_key, level, bucket) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER waitlist_tree_delete AFTER DELETE ON registrations
	WHEN OLD.status = 'waitlisted'
BEGIN
	UPDATE waitlist_tree SET n = n - 1 WHERE event_key = OLD.event_key
	AND (level, bucket) IN (SELECT column1, OLD.arrival >> (4 * column1)
	FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7)));
END;

-- An update that leaves a row waiting runs both: -1 at the old place,
-- +1 at the new one.
CREATE TRIGGER waitlist_tree_leave AFTER UPDATE OF status, event_key,
	arrival ON registrations WHEN OLD.status = 'waitlisted'
BEGIN
	UPDATE waitlist_tree SET n = n - 1 WHERE event_key = OLD.event_key
	AND (level, bucket) IN (SELECT column1, OLD.arrival >> (4 * column1)
	FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7)));
END;

CREATE TRIGGER waitlist_tree_enter AFTER UPDATE OF status, event_key,
	arrival ON registrations WHEN NEW.status = 'waitlisted'
BEGIN
	INSERT INTO waitlist_tree (event_key, level, bucket, n)
	SELECT NEW.event_key, column1, NEW.arrival >> (4 * column1), 1
	FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7)) WHERE 1
	ON CONFLICT (event_key, level, bucket) DO UPDATE SET n = n + 1;
END;

-- The same for the places held by mails in review (messages.held of a
-- mail in state 'review' with an event, by INTERNALDATE): reg_choose
-- summed them over every such mail that arrived earlier, for each mail.
CREATE TABLE held_tree (
	event_key	TEXT NOT NULL,
	level		INTEGER NOT NULL,
	bucket		INTEGER NOT NULL,	-- internaldate >> (4 * level)
	n		INTEGER NOT NULL,	-- places held in it
	PRIMARY KEY (event_key, level, bucket)
) WITHOUT ROWID;

INSERT INTO held_tree (event_key, level, bucket, n)
	SELECT event_key, l.column1, internaldate >> (4 * l.column1),
	sum(held)
	FROM messages, (VALUES (0), (1), (2), (3), (4), (5), (6), (7)) l
	WHERE state = 'review' AND held > 0 AND event_key IS NOT NULL
	GROUP BY 1, 2, 3;

CREATE TRIGGER held_tree_insert AFTER INSERT ON messages
	WHEN NEW.state = 'review' AND NEW.held > 0 AND
	NEW.event_key IS NOT NULL
BEGIN
	INSERT INTO held_tree (event_key, level, bucket, n)
	SELECT NEW.event_key, column1, NEW.internaldate >> (4 * column1),
	NEW.held FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7)) WHERE 1
	ON CONFLICT (event_key, level, bucket) DO UPDATE SET n = n + NEW.held;
END;

CREATE TRIGGER held_tree_delete AFTER DELETE ON messages
	WHEN OLD.state = 'review' AND OLD.held > 0 AND
	OLD.event_key IS NOT NULL
BEGIN
	UPDATE held_tree SET n = n - OLD.held WHERE event_key = OLD.event_key
	AND (level, bucket) IN (SELECT column1,
	OLD.internaldate >> (4 * column1)
	FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7)));
END;

CREATE TRIGGER held_tree_leave AFTER UPDATE OF state, held, event_key,
	internaldate ON messages WHEN OLD.state = 'review' AND OLD.held > 0
	AND OLD.event_key IS NOT NULL
BEGIN
	UPDATE held_tree SET n = n - OLD.held WHERE event_key = OLD.event_key
	AND (level, bucket) IN (SELECT column1,
	OLD.internaldate >> (4 * column1)
	FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7)));
END;

CREATE TRIGGER held_tree_enter AFTER UPDATE OF state, held, event_key,
	internaldate ON messages WHEN NEW.state = 'review' AND NEW.held > 0
	AND NEW.event_key IS NOT NULL
BEGIN
	INSERT INTO held_tree (event_key, level, bucket, n)
	SELECT NEW.event_key, column1, NEW.internaldate >> (4 * column1),
	NEW.held FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7)) WHERE 1
	ON CONFLICT (event_key, level, bucket) DO UPDATE SET n = n + NEW.held;
END;
