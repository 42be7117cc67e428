"""The text layer on real documents it was not written for (../shared/devset): furniture by line
shape, headings by numbering scheme wherever they sit, and the metadata an official document prints."""

from functools import cache

import pytest

from corpus.clean import clean
from corpus.evaluate import DEFAULT_DEVSET_DIR
from corpus.ingest import read_file
from corpus.lines import Heading, Paragraph
from corpus.metadata import document_row
from corpus.structure import structure

pytestmark = pytest.mark.skipif(not DEFAULT_DEVSET_DIR.is_dir(), reason="../shared/devset is not here")


@cache
def devset_text(path: str) -> str:
    return read_file(DEFAULT_DEVSET_DIR / path).text


def devset_lines(path: str, first: int, last: int) -> str:
    """Lines first..last (1-based, inclusive) of a devset document as decoded: a fixture cut from it."""
    return "\n".join(devset_text(path).split("\n")[first - 1 : last])


def read(text: str):
    doc = clean(text)
    parts = structure("d", doc)
    meta = document_row("d", "d.txt", doc, {}, first_heading=None, n_chars=0, n_paragraphs=0,
                        structured=True, content_hash="")
    return doc, parts, meta


def headings(doc) -> list[tuple[str | None, str]]:
    return [(b.number, b.text) for b in doc.blocks if isinstance(b, Heading)]


def paragraphs(doc) -> list[str]:
    return [b.text for b in doc.blocks if isinstance(b, Paragraph)]


AI_GUIDE = "web/wechat-ai-industry-standardization-guide-2024.md"
DIGITAL_CHINA = "web/wechat-digital-china-overall-layout-plan-2023.md"


def test_a_wechat_repost_keeps_its_text_and_drops_the_accounts_furniture():
    doc, _, meta = read(devset_lines(AI_GUIDE, 1, 60))
    body = "\n".join(paragraphs(doc))
    for furniture in ("fetch_date", "mp.weixin.qq.com", "mmbiz", "cover_image", "扫码订阅", "邮发代号", "征订热线", "**"):
        assert furniture not in body, furniture
    assert "中国信息安全" not in paragraphs(doc)  # the account's name under its title
    assert body.startswith("为深入贯彻落实党中央、国务院决策部署")
    # the account's `# 发布 | …` title (printed twice) is neither the title nor a section
    assert not any("发布" in text for _, text in headings(doc))
    assert meta["title"] == "国家人工智能产业综合标准化体系建设指南（2024版）"  # the guide's own, not the notice's
    assert meta["published"] == "2024-06-05" and meta["year"] == 2024  # signed, not the post's date: 2024-07-03
    assert meta["issuer"] == "工业和信息化部、中央网络安全和信息化委员会办公室、国家发展和改革委员会、国家标准化管理委员会"
    assert meta["doc_number"] == "工信部联科〔2024〕113号"
    assert "2024年6月5日" in paragraphs(doc)  # the signing date stays the text's own dated statement
    assert headings(doc)[:2] == [(None, "导读"), ("一", "产业发展现状")]


def test_the_interface_text_after_a_reposts_source_line_is_not_body_text():
    doc, _, _ = read(devset_lines(DIGITAL_CHINA, 50, 130))
    texts = paragraphs(doc)
    assert texts and texts[-1].startswith("《规划》强调，要加强整体谋划、统筹推进")
    for word in ("来源：新华网", "阅读原文", "微信扫一扫", "继续滑动看下一个", "轻点两下取消赞", "企业成长计划", "点击下图"):
        assert not any(word in t for t in texts), word
    for button in ("赞", "在看", "分享", "留言", "收藏", "听过", "取消", "允许", "视频", "小程序", "，", "×"):
        assert button not in texts, button


def test_a_bold_heading_split_in_two_runs_and_its_paragraph_share_a_line():
    # **1. 术语标准****。**规范人工智能相关技术、应用的概念定义，…
    doc, _, _ = read(devset_lines(AI_GUIDE, 95, 101))
    assert headings(doc) == [("（一）", "基础共性标准"), ("1.", "术语标准"), ("2.", "参考架构标准")]
    assert paragraphs(doc)[1].startswith("规范人工智能相关技术、应用的概念定义")


def test_a_work_report_part_heading_ends_at_its_first_full_stop():
    # （一）着力稳定宏观经济大盘，保持经济运行在合理区间。继续做好“六稳”“六保”工作…
    doc, parts, _ = read(devset_lines("gwr/2022.txt", 35, 40))
    assert headings(doc) == [("三", "2022年政府工作任务"), ("（一）", "着力稳定宏观经济大盘，保持经济运行在合理区间")]
    section = next(s for s in parts.sections if s["number"] == "（一）")
    assert section["level"] == 2 and section["text"].startswith("继续做好")


def test_a_work_report_without_a_date_takes_its_year_from_the_years_work_it_sets_out():
    _, _, meta = read(devset_text("gwr/2022.txt"))
    assert meta["year"] == 2022 and meta["published"] is None and meta["title"] is None


def test_a_regulation_lists_its_chapters_once_and_numbers_articles_not_sections():
    doc, _, meta = read(devset_text("policy/beijing-digital-economy-promotion-regulation-2022.md"))
    chapters = headings(doc)
    assert [n for n, _ in chapters] == ["第一章", "第二章", "第三章", "第四章", "第五章", "第六章", "第七章", "第八章", "第九章"]
    assert chapters[0] == ("第一章", "总则")
    articles = [b for b in doc.blocks if isinstance(b, Paragraph) and b.list_marker == "第二条"]
    assert len(articles) == 1 and articles[0].text.endswith("适用本条例。")  # its second clause stays its own paragraph
    assert "INFO END" not in "\n".join(paragraphs(doc))
    assert (meta["title"], meta["published"], meta["issuer"]) == (
        "北京市数字经济促进条例", "2022-11-25", "北京市第十五届人民代表大会常务委员会")
    assert paragraphs(doc)[0].startswith("2022年11月25日")  # the adoption line is the text's first dated statement


def test_an_article_under_the_last_chapter_is_not_part_of_its_heading():
    doc, _, meta = read(devset_lines("policy/network-data-security-regulation-2024.md", 1, 300))
    assert headings(doc)[-1] == ("第九章", "附则")
    assert meta["published"] is None and meta["year"] is None  # it prints only its entry into force


def test_text_a_scrape_extracted_six_times_is_read_once():
    doc, _, meta = read(devset_text("gwr/2000.txt"))
    numbers = [n for n, _ in headings(doc)]
    assert numbers == ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
    texts = paragraphs(doc)
    assert not [t for t in texts if len(t) >= 20 and texts.count(t) > 1]  # every paragraph once
    assert texts.count("各位代表！") >= 2  # a short line printed again among new text is the speaker's
    body = "\n".join(texts)
    for furniture in ("<!--", "<U+00A0>", "当前位置", "字体", "www.gov.cn", "E-mail"):
        assert furniture not in body, furniture
    assert (meta["published"], meta["authors"], meta["issuer"]) == ("2000-03-05", ["朱镕基"], "国务院")


def test_a_wire_dateline_is_not_the_title_and_the_byline_names_the_speaker():
    doc, _, meta = read(devset_lines("gwr/2017.txt", 1, 20))
    assert (meta["title"], meta["published"], meta["authors"], meta["issuer"]) == (
        "政府工作报告", "2017-03-05", ["李克强"], "国务院")
    body = "\n".join(paragraphs(doc))
    assert "新华社北京3月16日电" not in body and "新华社记者" not in body and "李克强" not in body
    assert paragraphs(doc)[0] == "——2017年3月5日在第十二届全国人民代表大会第五次会议上"


def test_a_scraped_page_takes_the_reports_own_title_not_the_sites():
    # the site's 温家宝所作政府工作报告（十一届人大三次会议） and header line over the report's own
    # 政府工作报告 ——２０１０年３月５日在…会议上 (full-width digits)
    doc, _, meta = read(devset_lines("gwr/2010.txt", 1, 60))
    assert (meta["title"], meta["published"], meta["authors"], meta["issuer"]) == (
        "政府工作报告", "2010-03-05", ["温家宝"], "国务院")
    body = "\n".join(paragraphs(doc))
    for furniture in ("温家宝所作", "中央政府门户网站", "当前位置", "字体", "新华社北京", "<!--"):
        assert furniture not in body, furniture


def test_a_pdf_notice_with_its_plan_attached():
    doc, _, meta = read(devset_text("policy/trusted-data-space-action-plan-2024-2028.pdf"))
    assert meta["title"] == "可信数据空间发展行动计划（2024—2028年）（征求意见稿）"  # the plan's, not the notice's
    assert (meta["issuer"], meta["published"]) == ("国家数据局", "2024-10-18")
    found = headings(doc)
    assert found[-2:] == [("附件1", "名词解释"), ("附件2", "可信数据空间发展引导体系（1.0版）")]
    assert ("（五）", "推动交流合作") in found and not any(text.startswith("可信数据空间。") for _, text in found)
    body = "\n".join(paragraphs(doc))
    assert "来源：国家数据局" not in body and "图 可信数据数据空间能力视图" not in body
    assert "主要方面 重点内容" not in body and "可信数据空间应提供参与方注册" not in body  # annex 2 is a table
    assert "2.可信管控能力。可信数据空间核心能力之一" in body  # the glossary entries are text
