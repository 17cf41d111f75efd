"""spec.column_labels: one Chinese header per column, from spec.COLUMN_LABELS."""

import pytest

from dashboard import spec


def test_headers_in_the_tables_order_with_overrides():
    assert spec.column_labels("name", "community") == {"name": "企业名称", "community": "社区"}
    assert list(spec.column_labels("phone", "name")) == ["phone", "name"]  # the table's order, not the map's
    assert spec.column_labels("employees", employees="覆盖职工") == {"employees": "覆盖职工"}
    assert spec.column_labels("x_new", x_new="新列") == {"x_new": "新列"}


def test_a_column_without_a_header_is_refused():
    with pytest.raises(KeyError, match="enterprise_key"):
        spec.column_labels("name", "enterprise_key")


def test_one_header_names_one_column():
    headers = list(spec.COLUMN_LABELS.values())
    assert len(headers) == len(set(headers)), "two columns under one header would read as one figure"
