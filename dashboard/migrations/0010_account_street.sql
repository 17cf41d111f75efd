-- Schema version 10: three levels 区 → 街道 → 社区. An account may be bound to a street: a 领导 (街道领导)
-- reads her street, a cadre her (street, community): community names may repeat across streets.
-- NULL (every account made before this version): the account reads as before while one street is loaded;
-- with more than one loaded dashboard/auth.py `viewer` keeps it inside one street.
alter table users add column street varchar;
