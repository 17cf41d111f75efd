"""The benchmark's data generator (bench/generate.py) stores what the importer would: canonical vocabulary
words (a raw spreadsheet wording such as 劳动报酬（拖欠工资） left the wage-arrears paths untimed), and
builds a file under a lock and a temporary name."""

import sys

import duckdb

from dashboard import spec
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))

import generate


def test_street_scale_holds_only_canonical_vocabulary(tmp_path):
    path = generate.ensure("street", tmp_path)
    assert not (tmp_path / "street.building.duckdb").exists()
    con = duckdb.connect(str(path), read_only=True)
    try:
        for ledger in spec.LEDGERS.values():
            for field in ledger.fields:
                if field.vocab:
                    stored = con.execute(
                        f"select distinct {field.name} from {ledger.name} where {field.name} is not null"
                    ).fetchall()
                    assert {v for (v,) in stored} <= set(spec.VOCABULARIES[field.vocab]), (ledger.name, field.name)
        types = {v for (v,) in con.execute("select distinct dispute_type from disputes").fetchall()}
        assert "劳动报酬" in types
        # what the importer stores per batch: a part for every ledger and community a batch holds rows of
        for ledger in ("enterprises", "wage_agreements", "harmonious", "aid", "disputes"):
            missing = con.execute(
                f"select batch_id, street, community from {ledger} except "
                f"select batch_id, street, community from import_batch_parts where ledger = '{ledger}'"
            ).fetchall()
            assert not missing, ledger
        assert con.execute("select count(distinct community) from import_batch_parts").fetchone()[0] > 1
    finally:
        con.close()
    built = path.stat().st_mtime_ns
    assert generate.ensure("street", tmp_path) == path
    assert path.stat().st_mtime_ns == built  # current: reused, not rebuilt
