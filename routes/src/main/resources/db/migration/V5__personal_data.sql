-- Personal data (issue 4). The same script runs on H2 and PostgreSQL.

-- When the retention sweep (baton.privacy.retain-variables) purged an ended instance's variables,
-- task variables and stored payloads; null while they are kept.
ALTER TABLE baton_instance ADD COLUMN purged_at TIMESTAMP WITH TIME ZONE;
-- The sweep's question: ended before a cutoff, not purged yet (purged_at IS NULL leads, so purged
-- instances are not scanned again).
CREATE INDEX baton_instance_unpurged ON baton_instance (purged_at, ended_at);
