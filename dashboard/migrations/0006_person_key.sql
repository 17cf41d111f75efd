-- Schema version 6: each aid row stores who was aided, as one key.
--
-- The aid queries count distinct people and group by person. Each used to build the key per row from
-- three columns (ID number, else community and name), and the importer's own checks spelled the same
-- rule twice more. Now the importer writes it with the row (dashboard/ledgers/derived.py, person_key),
-- and the queries read one column: at district scale (1M aid rows) A1 spent a fifth of its time
-- concatenating strings.
-- A person with an ID number is that number; without one, 'P:' || community || '|' || name (a key that
-- can never equal an ID number). The key never leaves the database: no page shows it.

alter table aid add column person_key varchar;

update aid set person_key = coalesce(id_number, 'P:' || community || '|' || recipient);
