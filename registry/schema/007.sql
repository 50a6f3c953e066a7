-- ikzreg schema, migration 007: the event day (issue 13).

-- Attendance per registration: NULL not recorded, 1 came, 0 did not
-- come. walk_in marks a person added at the door (confirmed, attended,
-- never told by mail); such a row may take the confirmed count above
-- seats, which is what happened in the room.
ALTER TABLE registrations ADD COLUMN attended INTEGER
	CHECK (attended IS NULL OR attended IN (0, 1));
ALTER TABLE registrations ADD COLUMN attended_at INTEGER;
ALTER TABLE registrations ADD COLUMN walk_in INTEGER NOT NULL DEFAULT 0;

-- One row per local day (YYYY-MM-DD, Europe/Berlin) on which the daily
-- summary to staff was queued, written in the transaction that queues
-- it, so that no restart ever sends a day's summary twice. covered_until
-- is the end of the period it reported: the next one starts there.
CREATE TABLE staff_summary (
	day		TEXT PRIMARY KEY,
	at		INTEGER NOT NULL,
	covered_until	INTEGER NOT NULL,
	queued		INTEGER NOT NULL DEFAULT 0,	-- mails; 0: nothing new
	changes		INTEGER NOT NULL DEFAULT 0
);
