#!/usr/bin/env bash
# How long `import-django` takes on a Django database of a real deployment's size, into each
# backend. The source is built from the original's schema (crates/server/tests/data/django)
# with generated rows; needs PostGIS on the PostgreSQL server (postgresql-15-postgis-3).
#   bench/django_import.sh [SCALE]   SCALE 1: 2,000 users, 5,000 hobbies, 50,000 events,
#                                    300 promotions, 20,000 benefits, 10,000 object permissions
BENCH_NEEDS_WRK=0
source "$(dirname "$0")/common.sh"
SCALE="${1:-1}"
SOURCE="$PG_URL/hp_bench_django"

psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS hp_bench_django WITH (FORCE)" -c "CREATE DATABASE hp_bench_django" >/dev/null
psql "$SOURCE" -q -v ON_ERROR_STOP=1 -c "CREATE EXTENSION postgis" -f crates/server/tests/data/django/schema.sql >/dev/null
psql "$SOURCE" -q -v ON_ERROR_STOP=1 -v scale="$SCALE" >/dev/null <<'SQL'
INSERT INTO auth_user SELECT i, 'pbkdf2_sha256$150000$uZ2dOe8sYkQv$18cafb8g9ocmMamFKKdBzL32BGipsoy4trCq17VoSoA=',
  NULL, i = 1, 'user' || i, 'First', 'Last', 'user' || i || '@example.org', i = 1, true, now()
  FROM generate_series(1, 2000 * :scale) i;
INSERT INTO authtoken_token SELECT md5(i::text) || substr(md5((i + 1)::text), 1, 8), now(), i
  FROM generate_series(1, 500 * :scale) i;
INSERT INTO harrastuspassi_municipality SELECT i, now(), now(), 'Kunta ' || i FROM generate_series(1, 10) i;
INSERT INTO harrastuspassi_municipality_moderators SELECT i, 1 + i % 10, 1 + i FROM generate_series(1, 30) i;
INSERT INTO harrastuspassi_hobbycategory SELECT r * 100, now(), now(), 'Juuri ' || r, 1, 20, r, 0, NULL, 'yso', 'r' || r,
  'Root ' || r, 'Juuri ' || r, NULL, CASE WHEN r % 2 = 0 THEN 'hobbycategory_images/r' || r || '.png' END
  FROM generate_series(1, 20) r;
INSERT INTO harrastuspassi_hobbycategory SELECT r * 100 + c, now(), now(), 'Lapsi ' || c, 2 * c, 2 * c + 1, r, 1, r * 100,
  'yso', 'c' || r || '-' || c, 'Child ' || c, 'Lapsi ' || c, NULL, NULL
  FROM generate_series(1, 20) r, generate_series(1, 9) c;
INSERT INTO harrastuspassi_hobbyaudience VALUES (1, 'yso', 'a', 'Nuoret', 'Nuoret', 'Youth', 'Unga', 1, 2, 1, 0, NULL);
INSERT INTO harrastuspassi_organizer SELECT i, now(), now(), 'Seura ' || i, '', '', 1 + i % 2000, 1 + i % 10
  FROM generate_series(1, 200 * :scale) i;
INSERT INTO harrastuspassi_location SELECT i, 'Paikka ' || i, 'Katu ' || i, 'Kaupunki', 
  ST_SetSRID(ST_MakePoint(22 + (i % 700) / 100.0, 60 + (i % 500) / 100.0), 4326), now(), now(), '00100', '', '',
  1 + i % 2000, 1 + i % 10 FROM generate_series(1, 1000 * :scale) i;
INSERT INTO harrastuspassi_hobby SELECT i, 'Harrastus ' || i, NULL, 1 + i % (1000 * :scale), now(),
  repeat('Kuvaus harrastuksesta. ', 10), now(), 1 + i % (200 * :scale), 1 + i % 2000, '', '', 1 + i % 10,
  CASE WHEN i % 3 = 0 THEN 0 ELSE 25.50 END, CASE WHEN i % 3 = 0 THEN 'free' ELSE 'paid' END, now(), NULL
  FROM generate_series(1, 5000 * :scale) i;
INSERT INTO harrastuspassi_hobby_categories SELECT row_number() OVER (), h, (1 + h % 20) * 100 + k
  FROM generate_series(1, 5000 * :scale) h, generate_series(1, 2) k;
INSERT INTO harrastuspassi_hobbyevent SELECT i, now(), now(), d, '17:00', d, '18:00', 1 + i % (5000 * :scale),
  extract(isodow FROM d), '', '', NULL
  FROM generate_series(1, 50000 * :scale) i, LATERAL (SELECT current_date + (i % 120 - 20) AS d) dates;
INSERT INTO harrastuspassi_promotion SELECT i, now(), now(), 'Etu ' || i, 'Kuvaus', current_date, '00:00',
  current_date + 90, '23:59', NULL, 1000, 1 + i % (1000 * :scale), 1 + i % 10, 1 + i % (200 * :scale), 0, NULL
  FROM generate_series(1, 300 * :scale) i;
INSERT INTO harrastuspassi_benefit SELECT i, now(), now(), 1 + i % (300 * :scale) FROM generate_series(1, 20000 * :scale) i;
INSERT INTO django_content_type VALUES (1, 'harrastuspassi', 'hobby');
INSERT INTO auth_permission VALUES (1, 'Can change hobby', 1, 'change_hobby');
INSERT INTO guardian_userobjectpermission SELECT i, (1 + i % (5000 * :scale))::text, 1, 1, 1 + (i / (5000 * :scale)) % 2000
  FROM generate_series(1, 10000 * :scale) i;
SQL

for backend in $BACKENDS; do
  fresh_database "$backend" "django-$backend"
  "$BIN" migrate >/dev/null
  start=$(date +%s.%N)
  /usr/bin/time -f %M -o "$OUT/django-import-rss" \
    "$BIN" import-django --from "$SOURCE" > "$OUT/django-import-$backend.txt"
  seconds=$(echo "$(date +%s.%N) - $start" | bc)
  rss=$(( $(cat "$OUT/django-import-rss") / 1024 ))
  rows=$(awk '/^  (auth_|harrastuspassi_)/ && NF == 4 {sum += $2} END {print sum}' "$OUT/django-import-$backend.txt")
  printf '%-9s %8d rows in %6.1f s  (%.0f rows/s), peak RSS %d MB\n' "$backend" "$rows" "$seconds" \
    "$(echo "$rows / $seconds" | bc -l)" "$rss"
done
