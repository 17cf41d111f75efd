-- Schema version 1: the five ledgers of the work plan, each row tied to the import batch it came
-- from, so a batch can be previewed, audited and undone.

create sequence if not exists batch_id_seq start 1;

create table import_batches (
    batch_id      bigint primary key,
    file_name     varchar not null,      -- as uploaded; never used as a path
    sha256        varchar not null,
    street        varchar not null,
    ledgers       varchar[],             -- which ledgers the file held
    communities   varchar[],
    imported_at   timestamp not null default current_timestamp,
    imported_by   varchar not null default 'local',
    rows_added    integer not null default 0,
    rows_changed  integer not null default 0,
    rows_removed  integer not null default 0,
    rows_rejected integer not null default 0,
    rows_warned   integer not null default 0,
    status        varchar not null default 'active',  -- active | undone
    undone_at     timestamp,
    undone_by     varchar
);

-- Snapshot ledger: each batch holding a community's rows replaces that community's current registry.
create table enterprises (
    batch_id        bigint not null,
    street          varchar not null,
    community       varchar not null,
    name            varchar not null,
    name_norm       varchar not null,   -- name without spaces/brackets variants, for matching
    uscc            varchar,
    industry        varchar,
    status          varchar not null default '正常经营',
    employees       integer,
    migrant_workers integer,
    union_status    varchar not null default '未建会',
    union_founded   date,
    union_members   integer,
    union_chair     varchar,
    phone           varchar,
    source_sheet    varchar,
    source_row      integer
);

-- Upsert ledgers: a newer batch's row with the same natural key supersedes the older one.
create table wage_agreements (
    batch_id          bigint not null,
    superseded_by     bigint,
    street            varchar not null,
    community         varchar not null,
    name              varchar not null,
    name_norm         varchar not null,
    uscc              varchar,
    agreement_type    varchar not null default '单独签订',
    agreement_name    varchar,
    sign_kind         varchar,
    signed_on         date not null,
    expires_on        date not null,
    covered_employees integer,
    wage_increase_pct decimal(6, 2),   -- percent points: 5.00 means 5 %
    filed             boolean,
    source_sheet      varchar,
    source_row        integer
);

create table harmonious (
    batch_id      bigint not null,
    superseded_by bigint,
    street        varchar not null,
    community     varchar not null,
    name          varchar not null,
    name_norm     varchar not null,
    uscc          varchar,
    year          integer not null,
    grade         varchar not null,
    score         decimal(5, 1),
    assessed_on   date,
    source_sheet  varchar,
    source_row    integer
);

create table aid (
    batch_id      bigint not null,
    superseded_by bigint,
    street        varchar not null,
    community     varchar not null,
    recipient     varchar not null,
    id_number     varchar,
    employer      varchar,
    category      varchar,
    campaign      varchar not null,
    festival      varchar,             -- 元旦/春节/端午/中秋/国庆 for 节日慰问
    given_on      date not null,
    cash          decimal(14, 2) not null default 0,
    goods_value   decimal(14, 2) not null default 0,
    goods         varchar,
    jobs_offered  integer,
    funding       varchar,
    source_sheet  varchar,
    source_row    integer
);

create table disputes (
    batch_id      bigint not null,
    superseded_by bigint,
    street        varchar not null,
    community     varchar not null,
    case_no       varchar not null,
    name          varchar not null,
    name_norm     varchar not null,
    uscc          varchar,
    received_on   date not null,
    dispute_type  varchar,
    workers       integer not null default 1,
    amount        decimal(14, 2),
    level         varchar,
    outcome       varchar not null default '调解中',
    closed_on     date,
    source_sheet  varchar,
    source_row    integer
);

-- Hand-made column mappings remembered per header signature (the importer's manual mapping).
create table header_mappings (
    signature  varchar primary key,
    ledger     varchar not null,
    mapping    varchar not null,       -- JSON {header: field}
    saved_at   timestamp not null default current_timestamp
);
