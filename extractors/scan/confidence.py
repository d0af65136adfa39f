"""Fields read with low OCR confidence get an info finding asking a person to check them."""

from __future__ import annotations

from haizhi.pipeline.core.fields import form_spec
from haizhi.pipeline.core.record import Finding, Record

LOW_CONFIDENCE = 0.80


def confidence_findings(record: Record, threshold: float = LOW_CONFIDENCE) -> list[Finding]:
    """One info finding per OCR'd field whose provenance confidence is under threshold."""
    spec = form_spec(record.form)
    out: list[Finding] = []
    for key, prov in record.provenance.items():
        if not isinstance(prov, dict) or key not in spec.by_key:
            continue
        conf = prov.get("confidence")
        if not isinstance(conf, int | float) or conf >= threshold:
            continue
        where = f"第 {prov.get('page', '?')} 页"
        bbox = prov.get("bbox")
        if isinstance(bbox, list | tuple) and len(bbox) == 4:
            where += "，位置 (" + ", ".join(f"{float(v):.0f}" for v in bbox) + ")"
        out.append(Finding(
            rule="scan.low_confidence", severity="info", field=key,
            message=f"“{spec.field(key).display}”为扫描识别结果，置信度 {conf:.2f} 偏低，请人工核对（{where}）"))
    return out
