-- The catalogue and its accounts (SQLite). Keep in step with ../postgres/0001_catalogue.sql:
-- the test `schemas_of_both_backends_match` compares tables, columns, nullability and indexes.
-- Dates are 'YYYY-MM-DD', times 'HH:MM:SS[.ffffff]', timestamps RFC 3339 text in UTC.
-- Indexes of nullable keys that are mostly NULL (creator, recurrence start) are partial: with
-- planner statistics a full index on them looks useless, and foreign-key actions then scanned
-- the table (measured: deleting 5,000 hobbies with their events took 4 minutes on SQLite).

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE CHECK (length(username) BETWEEN 1 AND 150),
    password_hash TEXT NOT NULL DEFAULT '',
    first_name TEXT NOT NULL DEFAULT '' CHECK (length(first_name) <= 150),
    last_name TEXT NOT NULL DEFAULT '' CHECK (length(last_name) <= 150),
    email TEXT NOT NULL DEFAULT '' CHECK (length(email) <= 254),
    is_active INTEGER NOT NULL DEFAULT 1,
    is_staff INTEGER NOT NULL DEFAULT 0,
    is_superuser INTEGER NOT NULL DEFAULT 0,
    last_login TEXT,
    date_joined TEXT NOT NULL
);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    key_digest TEXT NOT NULL UNIQUE,
    key_prefix TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT
);

CREATE TABLE sessions (
    key_digest TEXT PRIMARY KEY NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

CREATE TABLE municipalities (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 256),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE municipality_moderators (
    municipality_id INTEGER NOT NULL REFERENCES municipalities (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (municipality_id, user_id)
);
CREATE INDEX municipality_moderators_user_id ON municipality_moderators (user_id);

CREATE TABLE locations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL DEFAULT '' CHECK (length(name) <= 256),
    address TEXT NOT NULL DEFAULT '' CHECK (length(address) <= 256),
    zip_code TEXT NOT NULL DEFAULT '' CHECK (length(zip_code) <= 5),
    city TEXT NOT NULL DEFAULT '' CHECK (length(city) <= 64),
    lat REAL CHECK (lat BETWEEN -90 AND 90),
    lon REAL CHECK (lon BETWEEN -180 AND 180),
    unit_x REAL,
    unit_y REAL,
    unit_z REAL,
    municipality_id INTEGER REFERENCES municipalities (id) ON DELETE CASCADE,
    created_by_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    data_source TEXT NOT NULL DEFAULT '' CHECK (length(data_source) <= 256),
    origin_id TEXT NOT NULL DEFAULT '' CHECK (length(origin_id) <= 128),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((lat IS NULL) = (lon IS NULL))
);
CREATE INDEX locations_name ON locations (name);
CREATE INDEX locations_lat ON locations (lat);
CREATE INDEX locations_municipality_id ON locations (municipality_id);
CREATE INDEX locations_created_by_id ON locations (created_by_id) WHERE created_by_id IS NOT NULL;
CREATE INDEX locations_origin ON locations (data_source, origin_id);

CREATE TABLE organizers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 256),
    municipality_id INTEGER REFERENCES municipalities (id) ON DELETE CASCADE,
    created_by_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    data_source TEXT NOT NULL DEFAULT '' CHECK (length(data_source) <= 256),
    origin_id TEXT NOT NULL DEFAULT '' CHECK (length(origin_id) <= 128),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX organizers_name ON organizers (name);
CREATE INDEX organizers_municipality_id ON organizers (municipality_id);
CREATE INDEX organizers_created_by_id ON organizers (created_by_id) WHERE created_by_id IS NOT NULL;
CREATE INDEX organizers_origin ON organizers (data_source, origin_id);

CREATE TABLE hobby_categories (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL DEFAULT '' CHECK (length(name) <= 256),
    name_fi TEXT CHECK (length(name_fi) <= 256),
    name_en TEXT CHECK (length(name_en) <= 256),
    name_sv TEXT CHECK (length(name_sv) <= 256),
    parent_id INTEGER REFERENCES hobby_categories (id) ON DELETE CASCADE,
    tree_id INTEGER NOT NULL DEFAULT 0,
    level INTEGER NOT NULL DEFAULT 0,
    tree_position INTEGER NOT NULL DEFAULT 0,
    subtree_end INTEGER NOT NULL DEFAULT 0,
    cover_image TEXT,
    effective_cover_image TEXT,
    effective_cover_position INTEGER,
    search_text TEXT NOT NULL DEFAULT '',
    data_source TEXT NOT NULL DEFAULT '' CHECK (length(data_source) <= 256),
    origin_id TEXT NOT NULL DEFAULT '' CHECK (length(origin_id) <= 128),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX hobby_categories_parent_id ON hobby_categories (parent_id);
CREATE INDEX hobby_categories_tree_position ON hobby_categories (tree_position);
CREATE INDEX hobby_categories_origin ON hobby_categories (data_source, origin_id);

CREATE TABLE hobby_audiences (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL DEFAULT '' CHECK (length(name) <= 256),
    name_fi TEXT CHECK (length(name_fi) <= 256),
    name_en TEXT CHECK (length(name_en) <= 256),
    name_sv TEXT CHECK (length(name_sv) <= 256),
    parent_id INTEGER REFERENCES hobby_audiences (id) ON DELETE CASCADE,
    tree_id INTEGER NOT NULL DEFAULT 0,
    level INTEGER NOT NULL DEFAULT 0,
    tree_position INTEGER NOT NULL DEFAULT 0,
    subtree_end INTEGER NOT NULL DEFAULT 0,
    data_source TEXT NOT NULL DEFAULT '' CHECK (length(data_source) <= 256),
    origin_id TEXT NOT NULL DEFAULT '' CHECK (length(origin_id) <= 128)
);
CREATE INDEX hobby_audiences_parent_id ON hobby_audiences (parent_id);
CREATE INDEX hobby_audiences_origin ON hobby_audiences (data_source, origin_id);

CREATE TABLE hobbies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 1024),
    description TEXT NOT NULL DEFAULT '',
    location_id INTEGER REFERENCES locations (id) ON DELETE CASCADE,
    organizer_id INTEGER REFERENCES organizers (id) ON DELETE CASCADE,
    municipality_id INTEGER REFERENCES municipalities (id) ON DELETE CASCADE,
    cover_image TEXT,
    cover_image_modified_at TEXT NOT NULL,
    created_by_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    price_type TEXT NOT NULL DEFAULT 'free'
        CHECK (price_type IN ('free', 'annual', 'seasonal', 'one_time', 'paid')),
    price_cents INTEGER NOT NULL DEFAULT 0 CHECK (price_cents BETWEEN -99999 AND 99999),
    search_text TEXT NOT NULL DEFAULT '',
    data_source TEXT NOT NULL DEFAULT '' CHECK (length(data_source) <= 256),
    origin_id TEXT NOT NULL DEFAULT '' CHECK (length(origin_id) <= 128),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX hobbies_location_id ON hobbies (location_id);
CREATE INDEX hobbies_organizer_id ON hobbies (organizer_id);
CREATE INDEX hobbies_municipality_id ON hobbies (municipality_id);
CREATE INDEX hobbies_created_by_id ON hobbies (created_by_id) WHERE created_by_id IS NOT NULL;
CREATE INDEX hobbies_price_type ON hobbies (price_type);
CREATE INDEX hobbies_origin ON hobbies (data_source, origin_id);

CREATE TABLE hobby_category_links (
    hobby_id INTEGER NOT NULL REFERENCES hobbies (id) ON DELETE CASCADE,
    category_id INTEGER NOT NULL REFERENCES hobby_categories (id) ON DELETE CASCADE,
    PRIMARY KEY (hobby_id, category_id)
);
CREATE INDEX hobby_category_links_category_id ON hobby_category_links (category_id);

CREATE TABLE hobby_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    hobby_id INTEGER NOT NULL REFERENCES hobbies (id) ON DELETE CASCADE,
    start_date TEXT NOT NULL,
    start_time TEXT NOT NULL,
    end_date TEXT NOT NULL,
    end_time TEXT NOT NULL,
    start_weekday INTEGER NOT NULL CHECK (start_weekday BETWEEN 1 AND 7),
    recurrence_start_event_id INTEGER REFERENCES hobby_events (id) ON DELETE SET NULL,
    data_source TEXT NOT NULL DEFAULT '' CHECK (length(data_source) <= 256),
    origin_id TEXT NOT NULL DEFAULT '' CHECK (length(origin_id) <= 128),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX hobby_events_hobby_start ON hobby_events (hobby_id, start_date, start_time, id);
CREATE INDEX hobby_events_recurrence_start_event_id ON hobby_events (recurrence_start_event_id)
    WHERE recurrence_start_event_id IS NOT NULL;
CREATE INDEX hobby_events_origin ON hobby_events (data_source, origin_id);

-- Each hobby's next event (rule A, recomputed on every change of the hobby's events, of the
-- hobby and of its location, and daily), with copies of the columns the event list filters
-- and orders by, so that the list scans one narrow table instead of joining three.
CREATE TABLE hobby_next_events (
    hobby_id INTEGER PRIMARY KEY NOT NULL REFERENCES hobbies (id) ON DELETE CASCADE,
    event_id INTEGER NOT NULL UNIQUE REFERENCES hobby_events (id) ON DELETE CASCADE,
    start_date TEXT NOT NULL,
    start_time TEXT NOT NULL,
    end_date TEXT NOT NULL,
    end_time TEXT NOT NULL,
    start_weekday INTEGER NOT NULL,
    data_source TEXT NOT NULL,
    price_type TEXT NOT NULL,
    lat REAL,
    lon REAL,
    unit_x REAL,
    unit_y REAL,
    unit_z REAL
);
CREATE INDEX hobby_next_events_start ON hobby_next_events (start_date, start_time, event_id);
CREATE INDEX hobby_next_events_lat ON hobby_next_events (lat);

CREATE TABLE promotions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 1024),
    description TEXT NOT NULL,
    start_date TEXT NOT NULL,
    start_time TEXT NOT NULL,
    end_date TEXT NOT NULL,
    end_time TEXT NOT NULL,
    cover_image TEXT,
    municipality_id INTEGER REFERENCES municipalities (id) ON DELETE CASCADE,
    organizer_id INTEGER NOT NULL REFERENCES organizers (id) ON DELETE CASCADE,
    location_id INTEGER NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    available_count INTEGER NOT NULL CHECK (available_count BETWEEN 0 AND 2147483647),
    used_count INTEGER NOT NULL DEFAULT 0 CHECK (used_count BETWEEN 0 AND 2147483647),
    created_by_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    search_text TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX promotions_location_id ON promotions (location_id);
CREATE INDEX promotions_organizer_id ON promotions (organizer_id);
CREATE INDEX promotions_municipality_id ON promotions (municipality_id);
CREATE INDEX promotions_created_by_id ON promotions (created_by_id) WHERE created_by_id IS NOT NULL;
CREATE INDEX promotions_end_date ON promotions (end_date);

CREATE TABLE benefits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    promotion_id INTEGER NOT NULL REFERENCES promotions (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX benefits_promotion_id ON benefits (promotion_id);

-- Versions of data that processes cache: a cache entry is valid while its version is the
-- stored one; every change of the data bumps it in the same transaction.
CREATE TABLE cache_versions (
    name TEXT PRIMARY KEY NOT NULL,
    version INTEGER NOT NULL
);
INSERT INTO cache_versions (name, version) VALUES ('hobby_categories', 0);
