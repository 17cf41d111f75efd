-- Schema version 3: accounts, the audit log and analysts' saved console queries.
-- Passwords are stored only as argon2 hashes (dashboard/auth.py); failed logins are counted here so
-- the rate limit survives restarts.

create table users (
    username      varchar primary key,
    password_hash varchar not null,
    role          varchar not null,      -- 领导 | 社区 | 分析员 | 管理员
    community     varchar,               -- the community of a 社区 cadre; null for the other roles
    created_at    timestamp not null default current_timestamp,
    failed_logins integer not null default 0,
    locked_until  timestamp,
    last_login_at timestamp
);

create sequence if not exists audit_id_seq start 1;

-- Who did what and when: logins (and failures), uploads, undo, exports, console queries, account and
-- settings changes. Rows are only ever inserted.
create table audit_log (
    audit_id  bigint primary key default nextval('audit_id_seq'),
    logged_at timestamp not null default current_timestamp,
    username  varchar not null,
    action    varchar not null,
    detail    varchar,
    ok        boolean not null default true
);

create table saved_queries (
    username  varchar not null,
    name      varchar not null,
    sql       varchar not null,
    saved_at  timestamp not null default current_timestamp,
    primary key (username, name)
);
