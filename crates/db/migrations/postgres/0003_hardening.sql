-- Failed sign-ins per (folded) username and client address, counted in a window that starts
-- with the first failure; every replica sees them. Rows of ended windows are deleted.
CREATE TABLE login_failures (
    username TEXT NOT NULL,
    client TEXT NOT NULL,
    window_start TIMESTAMPTZ NOT NULL,
    failures BIGINT NOT NULL,
    PRIMARY KEY (username, client)
);
CREATE INDEX login_failures_client ON login_failures (client);
CREATE INDEX login_failures_window_start ON login_failures (window_start);

-- The audience tree gets a version of its own: bumping it first is the lock that keeps two
-- changes of one tree from laying it out from each other's half.
INSERT INTO cache_versions (name, version) VALUES ('hobby_audiences', 0);

-- What the demo data set made, so that `demo --replace` deletes only that.
ALTER TABLE municipalities ADD COLUMN data_source TEXT NOT NULL DEFAULT '';
ALTER TABLE promotions ADD COLUMN data_source TEXT NOT NULL DEFAULT '';
