"""Build correction_notice.docx (补正通知): what an applicant must fix after 初审.

GB/T 9704 layout as the notices (notices.py styles, gbt helpers); the items are a
table repeated by {%tr for %}. Context: pipeline/review/notice.py notice_context().
Office staff may edit the wording in Word; `haizhi templates check` checks the tags.
"""

from __future__ import annotations

from pathlib import Path

from haizhi.templates.build import gbt, notices, review_docs

NAME = "correction_notice.docx"


def build_notice(path: Path) -> Path:
    doc = notices.new_notice_document()
    review_docs.ensure_table_style(doc, size=gbt.SIZE["四号"])
    notices.blank(doc)
    notices.title(doc, "{{ title|ml }}")
    notices.par(doc, "{{ addressee }}：", "GB主送")
    notices.par(doc, "{{ by_phrase }}的“{{ candidate }}”《{{ form_title }}》经{{ cfg.issuer.office }}初审，"
                "有以下事项需要补正：")
    review_docs._loop_table(doc, (14, 46, 96), ("序号", "项目", "补正要求"),
                            (review_docs.tag("i.no"), review_docs.tag("i.label"), review_docs.tag("i.text|ml")),
                            "i in items")
    notices.par(doc, "{%p if note %}")
    notices.par(doc, "{{ note|ml }}")
    notices.par(doc, "{%p endif %}")
    notices.par(doc, "请按上述要求补正后，{% if reply_by %}于{{ reply_by|cn_date }}前{% endif %}将补正后的表格"
                "可编辑版本和盖章后扫描的PDF版本一并重新报送。逾期未补正的，按不符合条件处理。")
    notices.signature(doc, "{{ cfg.issuer.office }}", "{{ issued_on|cn_date }}")
    notices.par(doc, "（联系人：{{ contacts }}{% if phone %}，电话：{{ phone }}{% endif %}"
                "{% if email %}，邮箱：{{ email }}{% endif %}）", "GB附注")
    return notices.save(doc, path)


def build(out_dir: Path) -> list[Path]:
    return [build_notice(Path(out_dir) / NAME)]


if __name__ == "__main__":
    for p in build(Path(__file__).resolve().parent.parent):
        print(p)
