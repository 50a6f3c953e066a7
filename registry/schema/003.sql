-- ikzreg schema, migration 003: replies (issue 6).
-- A sent reply is APPENDed once per Message-ID to the IMAP Sent folder;
-- sent_copied records that, so a restart never copies it twice.
ALTER TABLE outbox ADD COLUMN sent_copied INTEGER NOT NULL DEFAULT 0;
CREATE INDEX outbox_copy ON outbox (state, sent_copied);
-- The rate limits count recent replies per recipient and overall.
CREATE INDEX outbox_recent ON outbox (created, rcpt);
