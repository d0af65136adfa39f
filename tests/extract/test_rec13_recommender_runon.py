"""推荐单位：X    被推荐机构：Y read as one run on a scan, the gap and the colon lost and a character of the next
label misread under a signature's stroke (TUNE coop moderate 10901): the value stops where that label starts."""

from __future__ import annotations

from haizhi.extractors.labels import cut_next_label
from haizhi.extractors.layout import Layout, Line, Page
from haizhi.extractors.mapper import map_layout
from haizhi.pipeline.core.fields import COOP


def test_next_label_with_a_character_misread_cuts_the_value() -> None:
    assert cut_next_label(COOP, "广东省科学技术协会被推荐机才费众创产业投资管理有限公司") == "广东省科学技术协会"
    assert cut_next_label(COOP, "福建省科学技术协会负责人签宇") == "福建省科学技术协会"


def test_value_without_a_label_in_it_is_kept() -> None:
    assert cut_next_label(COOP, "福建省推荐协会") == "福建省推荐协会"  # 推荐 alone is no label
    assert cut_next_label(COOP, "被推测机会研究中心") == "被推测机会研究中心"  # two characters off: not the label


def test_scanned_line_gives_the_recommender_alone() -> None:
    assert _recommender("推荐单位：广东省科学技术协会被推荐机才费众创产业投资管理有限公司", 0.79) == "广东省科学技术协会"


def test_colon_read_as_another_mark_still_ends_the_label() -> None:
    # TUNE coop heavy 11001: 推荐单位：'s colon read as ； under the seal's ring; the value was not found at all
    assert _recommender("推荐单位；福建省科学技术协会    被推荐机构：佛山恒通产业投资管理有限公司", 0.962) == "福建省科学技术协会"


def _recommender(line: str, confidence: float) -> object:
    """The recommender mapped from a scanned page holding the one line."""
    p = Page(number=4, width=595, height=842, method="ocr")
    p.lines.append(Line(line, bbox=(94, 380, 494, 393), confidence=confidence))
    return map_layout(Layout(pages=[p]), COOP).fields["recommender"]


def test_next_label_two_characters_off_after_a_kexie_name_cuts_the_value() -> None:
    # TUNE coop heavy 12111 / 12112 / 12117, photo 12112: 被推荐机构 with two of its characters misread or lost
    # (and the colon); a 科学技术协会's name ends at 协会, so 被推… right after it is the next label
    for run, want in [("安徽省科学技术协会被推机常众发展中心", "安徽省科学技术协会"),
                      ("四川省科学技术协会被推荐博衍国际人才发展中心", "四川省科学技术协会"),
                      ("陕西省科学技术协会被推葛机绍兴汇智国际人才发展中心", "陕西省科学技术协会"),
                      ("四川省科学技术协会技被推荐人博衍国际人才发展中心", "四川省科学技术协会")]:
        assert cut_next_label(COOP, run) == want
    # …协会 followed by anything else is left as read (and named by the name check, not cut here)
    assert cut_next_label(COOP, "四川省科学技术协会被服务中心") == "四川省科学技术协会被服务中心"
    assert cut_next_label(COOP, "被推广技术协会研究中心") == "被推广技术协会研究中心"


def test_a_value_ending_a_sentence_above_does_not_take_that_sentence() -> None:
    # found by the PDF round trip (hypothesis): 推荐单位：。 in the 承诺 cell took the promise's sentences that follow
    # the first line ending in 。 (…不良信用记录。) as the value's wrapped rest
    from haizhi.extractors.layout import Cell, Table

    text = ("被推荐机构近三年内无违法或不良信用记录。\n表中填报及提交的材料内容真实可靠。\n如以上承诺虚假，愿为此承担法律责任。\n"
            "推荐单位： 。        被推荐机构：\n负责人签字： （公章）      负责人签字： （公章）")
    p = Page(number=3, width=595, height=842, method="text")
    p.tables.append(Table(cells=[Cell(text="三、承诺书", row=0, col=0), Cell(text=text, row=1, col=0)]))
    assert map_layout(Layout(pages=[p]), COOP).fields["recommender"] == "。"
