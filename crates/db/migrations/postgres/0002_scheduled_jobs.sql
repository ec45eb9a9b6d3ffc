-- Daily jobs of the running servers (next-event refresh, imports, media cleanup): each
-- replica tries to move a job's day forward, and only the one that succeeds runs it.
CREATE TABLE scheduled_job_runs (
    name TEXT PRIMARY KEY NOT NULL,
    last_day DATE NOT NULL
);
