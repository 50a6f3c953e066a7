-- Placeholder on branch eventday only: migration 005 belongs to another
-- branch (the lead numbered event-day as 007). Drop this file at merge.
SELECT 1;
