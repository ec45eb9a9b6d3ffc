-- The data version and the change feed.
--
-- data_version: every committed write to data that shapes a public answer adds one to one
-- of its rows, so that the sum of the rows changes with every such commit and a process can
-- tell in one cheap query whether an answer it keeps may have changed. The rows are shards
-- (chosen per transaction) so that concurrent writers do not queue on one hot row.
--
-- changes: one row per object of the feed (kind, id) with its latest change; a deleted
-- object's row is its tombstone. change_no orders the feed. It is given in commit order:
-- SQLite has one writer at a time, so the trigger that records a change numbers it at once.

CREATE TABLE data_version (
    shard INTEGER PRIMARY KEY NOT NULL,
    version INTEGER NOT NULL
);
INSERT INTO data_version (shard, version) VALUES (0, 0);

CREATE TABLE changes (
    kind TEXT NOT NULL,
    object_id INTEGER NOT NULL,
    change_no INTEGER,
    deleted INTEGER NOT NULL DEFAULT 0,
    changed_at TEXT NOT NULL,
    PRIMARY KEY (kind, object_id)
);
CREATE UNIQUE INDEX changes_change_no ON changes (change_no);
CREATE INDEX changes_unnumbered ON changes (kind, object_id) WHERE change_no IS NULL;
CREATE INDEX changes_tombstones ON changes (changed_at) WHERE deleted = 1;

CREATE TRIGGER hobbies_insert_changes AFTER INSERT ON hobbies BEGIN
    UPDATE data_version SET version = version + 1 WHERE shard = 0;
    INSERT INTO changes (kind, object_id, change_no, deleted, changed_at)
        VALUES ('hobby', NEW.id, (SELECT COALESCE(MAX(change_no), 0) + 1 FROM changes), 0, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
        ON CONFLICT (kind, object_id) DO UPDATE
        SET change_no = excluded.change_no, deleted = excluded.deleted, changed_at = excluded.changed_at;
END;

CREATE TRIGGER hobbies_update_changes AFTER UPDATE ON hobbies BEGIN
    UPDATE data_version SET version = version + 1 WHERE shard = 0;
    INSERT INTO changes (kind, object_id, change_no, deleted, changed_at)
        VALUES ('hobby', NEW.id, (SELECT COALESCE(MAX(change_no), 0) + 1 FROM changes), 0, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
        ON CONFLICT (kind, object_id) DO UPDATE
        SET change_no = excluded.change_no, deleted = excluded.deleted, changed_at = excluded.changed_at;
END;

CREATE TRIGGER hobbies_delete_changes AFTER DELETE ON hobbies BEGIN
    UPDATE data_version SET version = version + 1 WHERE shard = 0;
    INSERT INTO changes (kind, object_id, change_no, deleted, changed_at)
        VALUES ('hobby', OLD.id, (SELECT COALESCE(MAX(change_no), 0) + 1 FROM changes), 1, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
        ON CONFLICT (kind, object_id) DO UPDATE
        SET change_no = excluded.change_no, deleted = excluded.deleted, changed_at = excluded.changed_at;
END;

CREATE TRIGGER hobby_events_insert_changes AFTER INSERT ON hobby_events BEGIN
    UPDATE data_version SET version = version + 1 WHERE shard = 0;
    INSERT INTO changes (kind, object_id, change_no, deleted, changed_at)
        VALUES ('event', NEW.id, (SELECT COALESCE(MAX(change_no), 0) + 1 FROM changes), 0, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
        ON CONFLICT (kind, object_id) DO UPDATE
        SET change_no = excluded.change_no, deleted = excluded.deleted, changed_at = excluded.changed_at;
END;

CREATE TRIGGER hobby_events_update_changes AFTER UPDATE ON hobby_events BEGIN
    UPDATE data_version SET version = version + 1 WHERE shard = 0;
    INSERT INTO changes (kind, object_id, change_no, deleted, changed_at)
        VALUES ('event', NEW.id, (SELECT COALESCE(MAX(change_no), 0) + 1 FROM changes), 0, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
        ON CONFLICT (kind, object_id) DO UPDATE
        SET change_no = excluded.change_no, deleted = excluded.deleted, changed_at = excluded.changed_at;
END;

CREATE TRIGGER hobby_events_delete_changes AFTER DELETE ON hobby_events BEGIN
    UPDATE data_version SET version = version + 1 WHERE shard = 0;
    INSERT INTO changes (kind, object_id, change_no, deleted, changed_at)
        VALUES ('event', OLD.id, (SELECT COALESCE(MAX(change_no), 0) + 1 FROM changes), 1, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
        ON CONFLICT (kind, object_id) DO UPDATE
        SET change_no = excluded.change_no, deleted = excluded.deleted, changed_at = excluded.changed_at;
END;

CREATE TRIGGER promotions_insert_changes AFTER INSERT ON promotions BEGIN
    UPDATE data_version SET version = version + 1 WHERE shard = 0;
    INSERT INTO changes (kind, object_id, change_no, deleted, changed_at)
        VALUES ('promotion', NEW.id, (SELECT COALESCE(MAX(change_no), 0) + 1 FROM changes), 0, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
        ON CONFLICT (kind, object_id) DO UPDATE
        SET change_no = excluded.change_no, deleted = excluded.deleted, changed_at = excluded.changed_at;
END;

CREATE TRIGGER promotions_update_changes AFTER UPDATE ON promotions BEGIN
    UPDATE data_version SET version = version + 1 WHERE shard = 0;
    INSERT INTO changes (kind, object_id, change_no, deleted, changed_at)
        VALUES ('promotion', NEW.id, (SELECT COALESCE(MAX(change_no), 0) + 1 FROM changes), 0, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
        ON CONFLICT (kind, object_id) DO UPDATE
        SET change_no = excluded.change_no, deleted = excluded.deleted, changed_at = excluded.changed_at;
END;

CREATE TRIGGER promotions_delete_changes AFTER DELETE ON promotions BEGIN
    UPDATE data_version SET version = version + 1 WHERE shard = 0;
    INSERT INTO changes (kind, object_id, change_no, deleted, changed_at)
        VALUES ('promotion', OLD.id, (SELECT COALESCE(MAX(change_no), 0) + 1 FROM changes), 1, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
        ON CONFLICT (kind, object_id) DO UPDATE
        SET change_no = excluded.change_no, deleted = excluded.deleted, changed_at = excluded.changed_at;
END;

CREATE TRIGGER organizers_insert_changes AFTER INSERT ON organizers BEGIN
    UPDATE data_version SET version = version + 1 WHERE shard = 0;
    INSERT INTO changes (kind, object_id, change_no, deleted, changed_at)
        VALUES ('organizer', NEW.id, (SELECT COALESCE(MAX(change_no), 0) + 1 FROM changes), 0, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
        ON CONFLICT (kind, object_id) DO UPDATE
        SET change_no = excluded.change_no, deleted = excluded.deleted, changed_at = excluded.changed_at;
END;

CREATE TRIGGER organizers_update_changes AFTER UPDATE ON organizers BEGIN
    UPDATE data_version SET version = version + 1 WHERE shard = 0;
    INSERT INTO changes (kind, object_id, change_no, deleted, changed_at)
        VALUES ('organizer', NEW.id, (SELECT COALESCE(MAX(change_no), 0) + 1 FROM changes), 0, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
        ON CONFLICT (kind, object_id) DO UPDATE
        SET change_no = excluded.change_no, deleted = excluded.deleted, changed_at = excluded.changed_at;
END;

CREATE TRIGGER organizers_delete_changes AFTER DELETE ON organizers BEGIN
    UPDATE data_version SET version = version + 1 WHERE shard = 0;
    INSERT INTO changes (kind, object_id, change_no, deleted, changed_at)
        VALUES ('organizer', OLD.id, (SELECT COALESCE(MAX(change_no), 0) + 1 FROM changes), 1, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
        ON CONFLICT (kind, object_id) DO UPDATE
        SET change_no = excluded.change_no, deleted = excluded.deleted, changed_at = excluded.changed_at;
END;

CREATE TRIGGER locations_insert_changes AFTER INSERT ON locations BEGIN
    UPDATE data_version SET version = version + 1 WHERE shard = 0;
    INSERT INTO changes (kind, object_id, change_no, deleted, changed_at)
        VALUES ('location', NEW.id, (SELECT COALESCE(MAX(change_no), 0) + 1 FROM changes), 0, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
        ON CONFLICT (kind, object_id) DO UPDATE
        SET change_no = excluded.change_no, deleted = excluded.deleted, changed_at = excluded.changed_at;
END;

CREATE TRIGGER locations_update_changes AFTER UPDATE ON locations BEGIN
    UPDATE data_version SET version = version + 1 WHERE shard = 0;
    INSERT INTO changes (kind, object_id, change_no, deleted, changed_at)
        VALUES ('location', NEW.id, (SELECT COALESCE(MAX(change_no), 0) + 1 FROM changes), 0, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
        ON CONFLICT (kind, object_id) DO UPDATE
        SET change_no = excluded.change_no, deleted = excluded.deleted, changed_at = excluded.changed_at;
END;

CREATE TRIGGER locations_delete_changes AFTER DELETE ON locations BEGIN
    UPDATE data_version SET version = version + 1 WHERE shard = 0;
    INSERT INTO changes (kind, object_id, change_no, deleted, changed_at)
        VALUES ('location', OLD.id, (SELECT COALESCE(MAX(change_no), 0) + 1 FROM changes), 1, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
        ON CONFLICT (kind, object_id) DO UPDATE
        SET change_no = excluded.change_no, deleted = excluded.deleted, changed_at = excluded.changed_at;
END;

CREATE TRIGGER hobby_categories_insert_changes AFTER INSERT ON hobby_categories BEGIN
    UPDATE data_version SET version = version + 1 WHERE shard = 0;
    INSERT INTO changes (kind, object_id, change_no, deleted, changed_at)
        VALUES ('category', NEW.id, (SELECT COALESCE(MAX(change_no), 0) + 1 FROM changes), 0, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
        ON CONFLICT (kind, object_id) DO UPDATE
        SET change_no = excluded.change_no, deleted = excluded.deleted, changed_at = excluded.changed_at;
END;

CREATE TRIGGER hobby_categories_update_changes AFTER UPDATE ON hobby_categories BEGIN
    UPDATE data_version SET version = version + 1 WHERE shard = 0;
    INSERT INTO changes (kind, object_id, change_no, deleted, changed_at)
        VALUES ('category', NEW.id, (SELECT COALESCE(MAX(change_no), 0) + 1 FROM changes), 0, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
        ON CONFLICT (kind, object_id) DO UPDATE
        SET change_no = excluded.change_no, deleted = excluded.deleted, changed_at = excluded.changed_at;
END;

CREATE TRIGGER hobby_categories_delete_changes AFTER DELETE ON hobby_categories BEGIN
    UPDATE data_version SET version = version + 1 WHERE shard = 0;
    INSERT INTO changes (kind, object_id, change_no, deleted, changed_at)
        VALUES ('category', OLD.id, (SELECT COALESCE(MAX(change_no), 0) + 1 FROM changes), 1, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
        ON CONFLICT (kind, object_id) DO UPDATE
        SET change_no = excluded.change_no, deleted = excluded.deleted, changed_at = excluded.changed_at;
END;

CREATE TRIGGER hobby_category_links_insert_changes AFTER INSERT ON hobby_category_links BEGIN
    UPDATE data_version SET version = version + 1 WHERE shard = 0;
    INSERT INTO changes (kind, object_id, change_no, deleted, changed_at)
        VALUES ('hobby', NEW.hobby_id, (SELECT COALESCE(MAX(change_no), 0) + 1 FROM changes), 0, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
        ON CONFLICT (kind, object_id) DO UPDATE
        SET change_no = excluded.change_no, deleted = excluded.deleted, changed_at = excluded.changed_at WHERE changes.deleted = 0;
END;

CREATE TRIGGER hobby_category_links_update_changes AFTER UPDATE ON hobby_category_links BEGIN
    UPDATE data_version SET version = version + 1 WHERE shard = 0;
    INSERT INTO changes (kind, object_id, change_no, deleted, changed_at)
        VALUES ('hobby', NEW.hobby_id, (SELECT COALESCE(MAX(change_no), 0) + 1 FROM changes), 0, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
        ON CONFLICT (kind, object_id) DO UPDATE
        SET change_no = excluded.change_no, deleted = excluded.deleted, changed_at = excluded.changed_at WHERE changes.deleted = 0;
    INSERT INTO changes (kind, object_id, change_no, deleted, changed_at)
        VALUES ('hobby', OLD.hobby_id, (SELECT COALESCE(MAX(change_no), 0) + 1 FROM changes), 0, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
        ON CONFLICT (kind, object_id) DO UPDATE
        SET change_no = excluded.change_no, deleted = excluded.deleted, changed_at = excluded.changed_at WHERE changes.deleted = 0;
END;

CREATE TRIGGER hobby_category_links_delete_changes AFTER DELETE ON hobby_category_links BEGIN
    UPDATE data_version SET version = version + 1 WHERE shard = 0;
    INSERT INTO changes (kind, object_id, change_no, deleted, changed_at)
        VALUES ('hobby', OLD.hobby_id, (SELECT COALESCE(MAX(change_no), 0) + 1 FROM changes), 0, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
        ON CONFLICT (kind, object_id) DO UPDATE
        SET change_no = excluded.change_no, deleted = excluded.deleted, changed_at = excluded.changed_at WHERE changes.deleted = 0;
END;

CREATE TRIGGER benefits_insert_changes AFTER INSERT ON benefits BEGIN
    UPDATE data_version SET version = version + 1 WHERE shard = 0;
    INSERT INTO changes (kind, object_id, change_no, deleted, changed_at)
        VALUES ('promotion', NEW.promotion_id, (SELECT COALESCE(MAX(change_no), 0) + 1 FROM changes), 0, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
        ON CONFLICT (kind, object_id) DO UPDATE
        SET change_no = excluded.change_no, deleted = excluded.deleted, changed_at = excluded.changed_at WHERE changes.deleted = 0;
END;

CREATE TRIGGER benefits_update_changes AFTER UPDATE ON benefits BEGIN
    UPDATE data_version SET version = version + 1 WHERE shard = 0;
    INSERT INTO changes (kind, object_id, change_no, deleted, changed_at)
        VALUES ('promotion', NEW.promotion_id, (SELECT COALESCE(MAX(change_no), 0) + 1 FROM changes), 0, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
        ON CONFLICT (kind, object_id) DO UPDATE
        SET change_no = excluded.change_no, deleted = excluded.deleted, changed_at = excluded.changed_at WHERE changes.deleted = 0;
    INSERT INTO changes (kind, object_id, change_no, deleted, changed_at)
        VALUES ('promotion', OLD.promotion_id, (SELECT COALESCE(MAX(change_no), 0) + 1 FROM changes), 0, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
        ON CONFLICT (kind, object_id) DO UPDATE
        SET change_no = excluded.change_no, deleted = excluded.deleted, changed_at = excluded.changed_at WHERE changes.deleted = 0;
END;

CREATE TRIGGER benefits_delete_changes AFTER DELETE ON benefits BEGIN
    UPDATE data_version SET version = version + 1 WHERE shard = 0;
    INSERT INTO changes (kind, object_id, change_no, deleted, changed_at)
        VALUES ('promotion', OLD.promotion_id, (SELECT COALESCE(MAX(change_no), 0) + 1 FROM changes), 0, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
        ON CONFLICT (kind, object_id) DO UPDATE
        SET change_no = excluded.change_no, deleted = excluded.deleted, changed_at = excluded.changed_at WHERE changes.deleted = 0;
END;

CREATE TRIGGER municipalities_insert_changes AFTER INSERT ON municipalities BEGIN
    UPDATE data_version SET version = version + 1 WHERE shard = 0;
END;

CREATE TRIGGER municipalities_update_changes AFTER UPDATE ON municipalities BEGIN
    UPDATE data_version SET version = version + 1 WHERE shard = 0;
END;

CREATE TRIGGER municipalities_delete_changes AFTER DELETE ON municipalities BEGIN
    UPDATE data_version SET version = version + 1 WHERE shard = 0;
END;

CREATE TRIGGER municipality_moderators_insert_changes AFTER INSERT ON municipality_moderators BEGIN
    UPDATE data_version SET version = version + 1 WHERE shard = 0;
END;

CREATE TRIGGER municipality_moderators_update_changes AFTER UPDATE ON municipality_moderators BEGIN
    UPDATE data_version SET version = version + 1 WHERE shard = 0;
END;

CREATE TRIGGER municipality_moderators_delete_changes AFTER DELETE ON municipality_moderators BEGIN
    UPDATE data_version SET version = version + 1 WHERE shard = 0;
END;

CREATE TRIGGER hobby_audiences_insert_changes AFTER INSERT ON hobby_audiences BEGIN
    UPDATE data_version SET version = version + 1 WHERE shard = 0;
END;

CREATE TRIGGER hobby_audiences_update_changes AFTER UPDATE ON hobby_audiences BEGIN
    UPDATE data_version SET version = version + 1 WHERE shard = 0;
END;

CREATE TRIGGER hobby_audiences_delete_changes AFTER DELETE ON hobby_audiences BEGIN
    UPDATE data_version SET version = version + 1 WHERE shard = 0;
END;

CREATE TRIGGER hobby_next_events_insert_changes AFTER INSERT ON hobby_next_events BEGIN
    UPDATE data_version SET version = version + 1 WHERE shard = 0;
END;

CREATE TRIGGER hobby_next_events_update_changes AFTER UPDATE ON hobby_next_events BEGIN
    UPDATE data_version SET version = version + 1 WHERE shard = 0;
END;

CREATE TRIGGER hobby_next_events_delete_changes AFTER DELETE ON hobby_next_events BEGIN
    UPDATE data_version SET version = version + 1 WHERE shard = 0;
END;
