"""Cross-ledger checks of an upload against the database: warnings only, rows are kept.

- an agreement, grade or dispute for an enterprise that is not in its community's registry (the
  registry being the enterprises ledger in the same upload where there is one, else the stored one);
- the same person aided twice in one campaign (same year, festival kept apart) on different dates,
  against earlier batches or in another sheet of the upload (the parser checks within a sheet).

The rows to check sit in the loader's stage tables (see load.py), so the checks run inside the
import's transaction and see exactly what would be stored.
"""

from __future__ import annotations

import duckdb

from dashboard import spec
from dashboard.ledgers import derived
from dashboard.ledgers.model import WARNING, ParsedFile, Problem
from dashboard.privacy import mask_name

ENTERPRISE_LEDGERS = ("wage_agreements", "harmonious", "disputes")


def check(con: duckdb.DuckDBPyConnection, parsed: ParsedFile, street: str, stages: dict[str, str]) -> list[Problem]:
    problems: list[Problem] = []
    for ledger in ENTERPRISE_LEDGERS:
        if ledger in stages:
            problems.extend(_unknown_enterprises(con, parsed, street, stages, ledger))
    if "aid" in stages:
        problems.extend(_aided_twice(con, parsed, street, stages["aid"]))
    return problems


def _header(parsed: ParsedFile, sheet: str, field: str) -> str | None:
    for s in parsed.sheets:
        if s.sheet == sheet:
            return s.header_map.get(field)
    return None


def _registry_sql(stages: dict[str, str]) -> str:
    """The registry the upload will be checked against, as a SQL query with $street bound."""
    stored = "select community, uscc, name_norm from v_enterprises where street = $street"
    if "enterprises" not in stages:
        return stored
    new = stages["enterprises"]
    return (
        f"select community, uscc, name_norm from {new} union all "
        f"{stored} and community not in (select distinct community from {new})"
    )


def _unknown_enterprises(
    con: duckdb.DuckDBPyConnection, parsed: ParsedFile, street: str, stages: dict[str, str], ledger: str
) -> list[Problem]:
    stage = stages[ledger]
    label = spec.LEDGERS[ledger].label
    registry = _registry_sql(stages)
    rows = con.execute(
        f"""
        with registry as ({registry}),
        known_communities as (select distinct community from registry),
        s as (select * from {stage})
        select s.source_sheet, s.source_row, s.community, s.name,
               s.community in (select community from known_communities) as has_registry
        from s
        where not exists (
            select 1 from registry r
            where (s.uscc is not null and r.uscc = s.uscc)
               or (r.community = s.community and r.name_norm = s.name_norm)
        )
        order by s._seq
        """,
        {"street": street},
    ).fetchall()
    problems: list[Problem] = []
    without_registry: dict[tuple[str, str], int] = {}
    for sheet, row, community, name, has_registry in rows:
        if not has_registry:
            # One note per community instead of one per row: nothing can be checked yet.
            without_registry[(sheet, community)] = without_registry.get((sheet, community), 0) + 1
            continue
        problems.append(
            Problem(
                WARNING,
                f"「{name}」不在{community}的企业名录中（信用代码和名称都没有对上）。"
                "请核对企业名称和统一社会信用代码，或先把这家企业补进企业名录。",
                file=parsed.file_name,
                sheet=sheet,
                row=row,
                column=_header(parsed, sheet, "name"),
                field="name",
                ledger=ledger,
            )
        )
    for (sheet, community), count in without_registry.items():
        problems.append(
            Problem(
                WARNING,
                f"{community}还没有导入企业名录，{label}中的 {count} 行无法核对企业是否在名录中。"
                "请同时导入该社区的企业名录及建会台账。",
                file=parsed.file_name,
                sheet=sheet,
                ledger=ledger,
            )
        )
    return problems


_PERSON = derived.person_key("{t}")


def _aided_twice(con: duckdb.DuckDBPyConnection, parsed: ParsedFile, street: str, stage: str) -> list[Problem]:
    same = (
        f"{_PERSON.format(t='o')} = {_PERSON.format(t='s')} and o.campaign = s.campaign"
        " and coalesce(o.festival, '') = coalesce(s.festival, '') and year(o.given_on) = year(s.given_on)"
        " and o.given_on <> s.given_on"
    )
    rows = con.execute(
        f"""
        with earlier as (
            select s._seq, min(o.given_on) as other_on, 'batch' as source, min(o.batch_id) as batch_id,
                   null::integer as other_row, null::varchar as other_sheet
            from {stage} s
            join aid o on {same}
            where o.live and o.street = $street  -- shown rows only (derived.py keeps `live`)
            group by s._seq
        ),
        inside as (
            select s._seq, min(o.given_on) as other_on, 'file' as source, null::bigint as batch_id,
                   arg_min(o.source_row, o._seq) as other_row, arg_min(o.source_sheet, o._seq) as other_sheet
            from {stage} s join {stage} o on {same} and o._seq < s._seq and o.source_sheet <> s.source_sheet
            group by s._seq
        ),
        hits as (select * from earlier union all select * from inside)
        select s.source_sheet, s.source_row, s.recipient, s.campaign, year(s.given_on) as y,
               h.other_on, h.source, h.batch_id, h.other_row, h.other_sheet
        from hits h join {stage} s using (_seq)
        order by s._seq, h.source
        """,
        {"street": street},
    ).fetchall()
    problems = []
    for sheet, row, recipient, campaign, year, other_on, source, batch_id, other_row, other_sheet in rows:
        where = f"批次 #{batch_id}" if source == "batch" else f"工作表「{other_sheet}」第{other_row}行"
        problems.append(
            Problem(
                WARNING,
                f"{mask_name(recipient)}在 {year} 年「{campaign}」中已于 {other_on:%Y-%m-%d} 领取过（{where}），"
                "同一活动领取两次，请核对是否重复发放。",
                file=parsed.file_name,
                sheet=sheet,
                row=row,
                column=_header(parsed, sheet, "recipient"),
                field="recipient",
                ledger="aid",
            )
        )
    return problems
