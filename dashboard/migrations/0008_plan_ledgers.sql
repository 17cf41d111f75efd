-- Schema version 8: the work plan's other duties (sections 三, 四, 五, 七.四), eight upsert ledgers kept
-- like the others (dashboard/spec.py PLAN_LEDGERS): each row tied to its batch, superseded_by a later
-- batch's row with the same natural key, and `live` kept by the importer and undo (derived.py).
-- The v_* views show the live rows, without `live`.

-- 学习测试成绩台账
create table study_tests (
    batch_id      bigint not null,
    superseded_by bigint,
    street        varchar not null,
    community     varchar not null,
    person        varchar not null,
    unit          varchar,
    test_kind     varchar not null,
    taken_on      date not null,
    score         decimal(5, 1),
    source_sheet  varchar,
    source_row    integer,
    live          boolean
);

-- 工会干部培训台账
create table trainings (
    batch_id      bigint not null,
    superseded_by bigint,
    street        varchar not null,
    community     varchar not null,
    title         varchar not null,
    held_on       date not null,
    audience      varchar,
    attendees     integer,
    source_sheet  varchar,
    source_row    integer,
    live          boolean
);

-- 调研报告台账
create table research_reports (
    batch_id      bigint not null,
    superseded_by bigint,
    street        varchar not null,
    community     varchar not null,
    union_name    varchar not null,
    person        varchar not null,
    role          varchar not null,
    year          integer not null,
    report_title  varchar,
    submitted_on  date,
    award         varchar,
    source_sheet  varchar,
    source_row    integer,
    live          boolean
);

-- 信息报送台账
create table info_submissions (
    batch_id      bigint not null,
    superseded_by bigint,
    street        varchar not null,
    community     varchar not null,
    info_title    varchar not null,
    sent_on       date not null,
    adopted       boolean,
    adopted_by    varchar,
    source_sheet  varchar,
    source_row    integer,
    live          boolean
);

-- 走访企业台账
create table visits (
    batch_id      bigint not null,
    superseded_by bigint,
    street        varchar not null,
    community     varchar not null,
    name          varchar not null,
    name_norm     varchar not null,
    uscc          varchar,
    visited_on    date not null,
    problems_found integer,
    problems_solved integer,
    fed_back_on   date,
    source_sheet  varchar,
    source_row    integer,
    live          boolean
);

-- 工会经费收缴台账
create table union_funds (
    batch_id      bigint not null,
    superseded_by bigint,
    street        varchar not null,
    community     varchar not null,
    name          varchar not null,
    name_norm     varchar not null,
    uscc          varchar,
    year          integer not null,
    channel       varchar not null,
    due           decimal(14, 2) not null,
    collected     decimal(14, 2),
    source_sheet  varchar,
    source_row    integer,
    live          boolean
);

-- 阵地建设台账
create table sites (
    batch_id      bigint not null,
    superseded_by bigint,
    street        varchar not null,
    community     varchar not null,
    unit_name     varchar not null,
    unit_type     varchar not null,
    site_kind     varchar not null,
    set_up_on     date not null,
    source_sheet  varchar,
    source_row    integer,
    live          boolean
);

-- 职工活动台账
create table activities (
    batch_id      bigint not null,
    superseded_by bigint,
    street        varchar not null,
    community     varchar not null,
    theme         varchar not null,
    held_on       date not null,
    activity_type varchar not null,
    participants  integer,
    jobs_offered  integer,
    placed        integer,
    source_sheet  varchar,
    source_row    integer,
    live          boolean
);

create or replace view v_study_tests as
select * exclude (live) from study_tests where live;

create or replace view v_trainings as
select * exclude (live) from trainings where live;

create or replace view v_research_reports as
select * exclude (live) from research_reports where live;

create or replace view v_info_submissions as
select * exclude (live) from info_submissions where live;

create or replace view v_visits as
select * exclude (live) from visits where live;

create or replace view v_union_funds as
select * exclude (live) from union_funds where live;

create or replace view v_sites as
select * exclude (live) from sites where live;

create or replace view v_activities as
select * exclude (live) from activities where live;
