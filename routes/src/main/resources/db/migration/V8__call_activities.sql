-- Call activities: an instance started by another instance's step remembers that step, so its end
-- resumes its caller (the command goes to the caller's step queue) and the caller's detail lists it.
ALTER TABLE baton_instance ADD COLUMN parent_id VARCHAR(36);
ALTER TABLE baton_instance ADD COLUMN parent_definition_id VARCHAR(100);
ALTER TABLE baton_instance ADD COLUMN parent_version INT;
ALTER TABLE baton_instance ADD COLUMN parent_step VARCHAR(100);
ALTER TABLE baton_instance ADD COLUMN parent_token VARCHAR(32);
ALTER TABLE baton_instance ADD COLUMN parent_attempt INT;
CREATE INDEX baton_instance_parent ON baton_instance (parent_id);

-- A human task assigned to one user (an assignee expression), beside its candidate roles.
ALTER TABLE baton_task ADD COLUMN assignee VARCHAR(250);
