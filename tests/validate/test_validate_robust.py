"""Whatever an extractor or a hand-edited JSON puts in a field, validation returns findings, never crashes."""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from haizhi.pipeline.core.fields import BASE_FORM, COOP_FORM
from haizhi.pipeline.core.record import SEVERITIES
from haizhi.pipeline.validate import record_status, validate_batch, validate_record
from tests.validate.helpers import base, coop

values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=2),
    max_leaves=5,
)
COOP_KEYS, BASE_KEYS = COOP_FORM.keys, BASE_FORM.keys


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(COOP_KEYS), values, max_size=8),
       st.dictionaries(st.sampled_from(BASE_KEYS), values, max_size=8),
       st.dictionaries(st.sampled_from(COOP_FORM.mark_keys + BASE_FORM.mark_keys), st.none() | st.booleans()),
       st.sampled_from([None, "ocr", "docx"]))
def test_any_values(cfg2023, cf, bf, marks, method) -> None:
    c, b = copy.deepcopy(coop()), copy.deepcopy(base())
    c.fields.update(cf)
    b.fields.update(bf)
    for r in (c, b):
        r.marks = dict(marks)
        if method:
            r.source["method"] = method
        found = validate_record(r, cfg2023)
        assert all(f.severity in SEVERITIES and f.message and f.rule for f in found)
        assert all(f.field is None or f.field in COOP_KEYS + BASE_KEYS for f in found)
        assert record_status(found) in ("通过", "需补正", "不符合条件")
    validate_batch([c, b, c], cfg2023)
