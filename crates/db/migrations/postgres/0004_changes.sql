-- The data version and the change feed.
--
-- data_version: every committed write to data that shapes a public answer adds one to one
-- of its rows, so that the sum of the rows changes with every such commit and a process can
-- tell in one cheap query whether an answer it keeps may have changed. The rows are shards
-- (chosen per transaction) so that concurrent writers do not queue on one hot row.
--
-- changes: one row per object of the feed (kind, id) with its latest change; a deleted
-- object's row is its tombstone. change_no orders the feed. It is given in commit order:
-- on PostgreSQL transactions commit in another order than they write, so the trigger leaves
-- change_no empty and the feed numbers committed changes under an advisory lock before it
-- reads (crates/db/src/changes.rs): a change committed later always gets a larger number.

CREATE TABLE data_version (
    shard INTEGER PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL
);
INSERT INTO data_version (shard, version) SELECT shard, 0 FROM generate_series(0, 63) AS shard;

CREATE TABLE changes (
    kind TEXT NOT NULL,
    object_id BIGINT NOT NULL,
    change_no BIGINT,
    deleted BOOLEAN NOT NULL DEFAULT FALSE,
    changed_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (kind, object_id)
);
CREATE UNIQUE INDEX changes_change_no ON changes (change_no);
CREATE INDEX changes_unnumbered ON changes (kind, object_id) WHERE change_no IS NULL;
CREATE INDEX changes_tombstones ON changes (changed_at) WHERE deleted;
CREATE SEQUENCE change_numbers;

CREATE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_version SET version = version + 1 WHERE shard = (txid_current() % 64)::INTEGER;
    RETURN NULL;
END
$$;

-- Arguments: the feed's kind, the column holding the object's id, and 'self' when the table
-- holds the objects (a deleted row is a deleted object) or 'part' when its rows belong to one
-- (a link or a redemption: the object changed, and a deleted object stays deleted).
CREATE FUNCTION record_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_kind TEXT := TG_ARGV[0];
    v_id_column TEXT := TG_ARGV[1];
    v_is_self BOOLEAN := TG_ARGV[2] = 'self';
BEGIN
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND NOT v_is_self) THEN
        INSERT INTO changes AS c (kind, object_id, change_no, deleted, changed_at)
            VALUES (v_kind, (to_jsonb(OLD) ->> v_id_column)::BIGINT, NULL, TG_OP = 'DELETE' AND v_is_self, now())
            ON CONFLICT (kind, object_id) DO UPDATE
            SET change_no = NULL, deleted = excluded.deleted, changed_at = excluded.changed_at
            WHERE v_is_self OR NOT c.deleted;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO changes AS c (kind, object_id, change_no, deleted, changed_at)
            VALUES (v_kind, (to_jsonb(NEW) ->> v_id_column)::BIGINT, NULL, FALSE, now())
            ON CONFLICT (kind, object_id) DO UPDATE
            SET change_no = NULL, deleted = FALSE, changed_at = excluded.changed_at
            WHERE v_is_self OR NOT c.deleted;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER hobbies_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON hobbies
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER hobbies_changes AFTER INSERT OR UPDATE OR DELETE ON hobbies
    FOR EACH ROW EXECUTE FUNCTION record_change('hobby', 'id', 'self');

CREATE TRIGGER hobby_events_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON hobby_events
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER hobby_events_changes AFTER INSERT OR UPDATE OR DELETE ON hobby_events
    FOR EACH ROW EXECUTE FUNCTION record_change('event', 'id', 'self');

CREATE TRIGGER promotions_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON promotions
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER promotions_changes AFTER INSERT OR UPDATE OR DELETE ON promotions
    FOR EACH ROW EXECUTE FUNCTION record_change('promotion', 'id', 'self');

CREATE TRIGGER organizers_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organizers
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER organizers_changes AFTER INSERT OR UPDATE OR DELETE ON organizers
    FOR EACH ROW EXECUTE FUNCTION record_change('organizer', 'id', 'self');

CREATE TRIGGER locations_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON locations
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER locations_changes AFTER INSERT OR UPDATE OR DELETE ON locations
    FOR EACH ROW EXECUTE FUNCTION record_change('location', 'id', 'self');

CREATE TRIGGER hobby_categories_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON hobby_categories
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER hobby_categories_changes AFTER INSERT OR UPDATE OR DELETE ON hobby_categories
    FOR EACH ROW EXECUTE FUNCTION record_change('category', 'id', 'self');

CREATE TRIGGER hobby_category_links_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON hobby_category_links
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER hobby_category_links_changes AFTER INSERT OR UPDATE OR DELETE ON hobby_category_links
    FOR EACH ROW EXECUTE FUNCTION record_change('hobby', 'hobby_id', 'part');

CREATE TRIGGER benefits_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON benefits
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER benefits_changes AFTER INSERT OR UPDATE OR DELETE ON benefits
    FOR EACH ROW EXECUTE FUNCTION record_change('promotion', 'promotion_id', 'part');

CREATE TRIGGER municipalities_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON municipalities
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();

CREATE TRIGGER municipality_moderators_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON municipality_moderators
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();

CREATE TRIGGER hobby_audiences_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON hobby_audiences
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();

CREATE TRIGGER hobby_next_events_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON hobby_next_events
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
