-- Rows of a small Django deployment, one or more in every table of schema.sql. Ids have
-- gaps on purpose (the import must keep them). Password hashes were made by Django 4.2's
-- PBKDF2PasswordHasher at 150,000 iterations (Django 2.2's default):
--   maija  "Kesä-2019!"   olli "olli-pw"   admin "Ylläpito#1"   ghost: unusable ("!…")
-- AnonymousUser is the object-permission library's stand-in for visitors; legacy's hash is in a
-- format the original could not check either (its library was not installed).

INSERT INTO auth_user (id, password, last_login, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined) VALUES
 (1, 'pbkdf2_sha256$150000$Qm3TzP0wXaLr$t1yYHnRc6q/YWkrLA2j0m5Gw2+P5t2wB8RABNQm1frc=', '2021-05-01 10:00+03', true, 'admin', 'Ada', 'Admin', 'admin@example.org', true, true, '2019-01-01 12:00+02'),
 (2, 'pbkdf2_sha256$150000$uZ2dOe8sYkQv$18cafb8g9ocmMamFKKdBzL32BGipsoy4trCq17VoSoA=', NULL, false, 'maija', 'Maija', 'Meikäläinen', 'maija@tampere.example', false, true, '2019-02-01 12:00+02'),
 (5, 'pbkdf2_sha256$150000$b7Fh2KcW9sNe$Fio7cnqieamQYCMnVVxVxslLcZ2Z9FRK4CfJRdBOG2w=', NULL, false, 'olli', 'Olli', 'Ohjaaja', '', false, true, '2019-03-01 12:00+02'),
 (6, '!Kq0uMmWq1EkzO8dEGvS3fUZb9u7fQw2y0D4uLxNp', NULL, false, 'AnonymousUser', '', '', '', false, true, '2019-01-01 12:00+02'),
 (9, '!Zk3lUnusablePasswordMarker0123456789abcd', NULL, false, 'ghost', '', '', '', false, false, '2019-04-01 12:00+03'),
 (12, 'bcrypt_sha256$$2b$12$Y2FudCBiZSBjaGVja2VkIGhlcmUuLi4uLi4uLi4uLi4uLi4u', NULL, false, 'legacy', '', '', '', false, true, '2019-05-01 12:00+03');

INSERT INTO authtoken_token (key, created, user_id) VALUES
 ('9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b', '2019-03-02 08:00+02', 5),
 ('0a1b2c3d4e5f60718293a4b5c6d7e8f901234567', '2019-04-02 08:00+03', 9);

INSERT INTO django_content_type (id, app_label, model) VALUES
 (1, 'harrastuspassi', 'hobby'), (2, 'harrastuspassi', 'location'),
 (3, 'harrastuspassi', 'organizer'), (4, 'harrastuspassi', 'promotion'), (5, 'auth', 'user');
INSERT INTO auth_permission (id, name, content_type_id, codename) VALUES
 (1, 'Can change hobby', 1, 'change_hobby'), (2, 'Can change location', 2, 'change_location'),
 (3, 'Can change organizer', 3, 'change_organizer'), (4, 'Can change promotion', 4, 'change_promotion'),
 (5, 'Can delete hobby', 1, 'delete_hobby');
INSERT INTO auth_group (id, name) VALUES (1, 'Editors');
INSERT INTO auth_user_groups (id, user_id, group_id) VALUES (1, 5, 1);
INSERT INTO auth_group_permissions (id, group_id, permission_id) VALUES (1, 1, 2);
INSERT INTO auth_user_user_permissions (id, user_id, permission_id) VALUES (1, 9, 1);

INSERT INTO django_session (session_key, session_data, expire_date) VALUES
 ('k3yofasessionthatisfortycharacterslong00', 'e30:1abc:signature', '2030-01-01 00:00+02');

INSERT INTO harrastuspassi_municipality (id, created_at, updated_at, name) VALUES
 (3, '2019-01-02 10:00+02', '2019-01-02 10:00+02', 'Tampere'),
 (4, '2019-01-02 10:00+02', '2020-06-01 10:00+03', 'Oulu');
INSERT INTO harrastuspassi_municipality_moderators (id, municipality_id, user_id) VALUES (1, 3, 2);

-- Categories in Django's tree order: siblings by name, as MPTT inserts them.
INSERT INTO harrastuspassi_hobbycategory (id, created_at, updated_at, name, lft, rght, tree_id, level, parent_id, data_source, origin_id, name_en, name_fi, name_sv, cover_image) VALUES
 (10, '2019-01-03 10:00+02', '2019-01-03 10:00+02', 'Liikunta', 1, 6, 1, 0, NULL, 'yso', 'p916', 'Sports', 'Liikunta', 'Idrott', 'hobbycategory_images/liikunta.png'),
 (12, '2019-01-03 10:00+02', '2019-01-03 10:00+02', 'Jalkapallo', 2, 3, 1, 1, 10, 'yso', 'p6409', 'Football', 'Jalkapallo', 'Fotboll', ''),
 (11, '2019-01-03 10:00+02', '2019-01-03 10:00+02', 'Uinti', 4, 5, 1, 1, 10, 'yso', 'p1963', 'Swimming', 'Uinti', 'Simning', NULL),
 (20, '2019-01-03 10:00+02', '2019-01-03 10:00+02', 'Musiikki', 1, 4, 2, 0, NULL, 'yso', 'p1808', 'Music', 'Musiikki', NULL, NULL),
 (21, '2019-01-03 10:00+02', '2019-01-03 10:00+02', 'Kitara', 2, 3, 2, 1, 20, '', '', NULL, NULL, NULL, NULL);
INSERT INTO harrastuspassi_hobbyaudience (id, data_source, origin_id, name, name_fi, name_en, name_sv, lft, rght, tree_id, level, parent_id) VALUES
 (30, 'yso', 'p11617', 'Nuoret', 'Nuoret', 'Young people', 'Unga', 1, 4, 1, 0, NULL),
 (31, 'yso', 'p3128', 'Teini-ikäiset', 'Teini-ikäiset', 'Teenagers', 'Tonåringar', 2, 3, 1, 1, 30);

INSERT INTO harrastuspassi_organizer (id, created_at, updated_at, name, data_source, origin_id, created_by_id, municipality_id) VALUES
 (40, '2019-03-05 10:00+02', '2019-03-05 10:00+02', 'Tampereen Uimaseura', '', '', 5, 3),
 (41, '2019-03-05 10:00+02', '2019-03-05 10:00+02', 'Liikuntapalvelut', 'lipas', '501', NULL, NULL);
INSERT INTO harrastuspassi_location (id, name, address, city, coordinates, created_at, updated_at, zip_code, data_source, origin_id, created_by_id, municipality_id) VALUES
 (50, 'Kaupin uimahalli', 'Kaupinkatu 1', 'Tampere', ST_SetSRID(ST_MakePoint(23.8123, 61.5071), 4326), '2019-03-05 10:00+02', '2019-03-05 10:00+02', '33500', '', '', 5, 3),
 (51, 'Nuorisotalo', 'Keskuskatu 2', 'Oulu', NULL, '2019-03-05 10:00+02', '2019-03-05 10:00+02', '90100', 'lipas', '77', NULL, 4);

INSERT INTO harrastuspassi_hobby (id, name, cover_image, location_id, created_at, description, updated_at, organizer_id, created_by_id, data_source, origin_id, municipality_id, price_amount, price_type, cover_image_modified_at, next_event_id) VALUES
 (11, 'Uintikoulu', 'hobby_images/uinti.jpg', 50, '2019-03-06 10:00+02', 'Opi uimaan Kaupissa.', '2019-03-06 10:00+02', 40, NULL, '', '', 3, 12.50, 'paid', '2019-03-06 10:00+02', NULL),
 (12, 'Kitarakurssi', 'hobby_images/outside.jpg', 51, '2019-03-06 10:00+02', 'Soita kitaraa.', '2019-03-06 10:00+02', 40, 5, '', '', NULL, 0.00, 'free', '2019-03-06 10:00+02', NULL),
 (13, 'Futis', '', 50, '2019-03-06 10:00+02', '', '2019-03-06 10:00+02', 41, NULL, 'lipas', '9001', NULL, 30.00, 'annual', '2019-03-06 10:00+02', NULL);
INSERT INTO harrastuspassi_hobby_categories (id, hobby_id, hobbycategory_id) VALUES
 (1, 11, 11), (2, 12, 21), (3, 12, 12), (4, 13, 12);

-- Event 99 points at a recurrence start created after it (ids are not always in order).
INSERT INTO harrastuspassi_hobbyevent (id, created_at, updated_at, start_date, start_time, end_date, end_time, hobby_id, start_weekday, data_source, origin_id, recurrence_start_event_id) VALUES
 (100, '2019-03-06 10:00+02', '2019-03-06 10:00+02', '2030-01-07', '17:00', '2030-01-07', '18:00', 11, 1, '', '', NULL),
 (99, '2019-03-06 10:00+02', '2019-03-06 10:00+02', '2030-01-21', '17:00', '2030-01-21', '18:00', 11, 1, '', '', 103),
 (101, '2019-03-06 10:00+02', '2019-03-06 10:00+02', '2030-01-14', '17:00', '2030-01-14', '18:00', 11, 1, '', '', 100),
 (103, '2019-03-06 10:00+02', '2019-03-06 10:00+02', '2030-01-28', '17:00', '2030-01-28', '18:00', 11, 1, '', '', NULL),
 (104, '2019-03-06 10:00+02', '2019-03-06 10:00+02', '2019-05-05', '12:00', '2019-05-05', '13:00', 12, 7, '', '', NULL),
 (105, '2019-03-06 10:00+02', '2019-03-06 10:00+02', '2030-02-02', '10:30', '2030-02-02', '12:00', 13, 6, 'lipas', '9001-1', NULL);

INSERT INTO harrastuspassi_promotion (id, created_at, updated_at, name, description, start_date, start_time, end_date, end_time, cover_image, available_count, location_id, municipality_id, organizer_id, used_count, created_by_id) VALUES
 (60, '2019-03-07 10:00+02', '2019-03-07 10:00+02', 'Ilmainen kokeilu', 'Ensimmäinen kerta ilmaiseksi.', '2030-01-01', '00:00', '2030-12-31', '23:59', 'promo_images/kokeilu.png', 10, 50, 3, 40, 2, 5);
INSERT INTO harrastuspassi_benefit (id, created_at, updated_at, promotion_id) VALUES
 (70, '2019-04-01 10:00+03', '2019-04-01 10:00+03', 60),
 (71, '2019-04-02 10:00+03', '2019-04-02 10:00+03', 60);

-- Object permissions as the original left them: two the rule explains (olli created hobby 12;
-- maija moderates Tampere, hobby 11's municipality), one for a deleted location, and
-- hand-made ones it does not explain.
INSERT INTO guardian_userobjectpermission (id, object_pk, content_type_id, permission_id, user_id) VALUES
 (1, '12', 1, 1, 5),
 (2, '11', 1, 1, 2),
 (3, '999', 2, 2, 5),
 (4, '11', 1, 1, 9),
 (5, '11', 1, 5, 2);
INSERT INTO guardian_groupobjectpermission (id, object_pk, content_type_id, group_id, permission_id) VALUES
 (1, '13', 1, 1, 1);

-- Sequences as Django leaves them (past the largest ids).
SELECT setval('auth_user_id_seq', 12), setval('harrastuspassi_hobby_id_seq', 13),
       setval('harrastuspassi_hobbyevent_id_seq', 105);
