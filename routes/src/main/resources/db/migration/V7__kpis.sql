-- GET /api/kpis reads the instances of one definition started in a window, then their step history
-- (by baton_handoff_instance) and tasks (by baton_task_token): this index finds that cohort without
-- reading every instance of the definition.
CREATE INDEX baton_instance_definition_started ON baton_instance (definition_id, started_at);
