"""Literature-database exports read record by record: the real samples of ../shared/devset/bibliographic,
a RefWorks file and spreadsheets written from those samples' own records in the documented layouts."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from corpus.errors import InputError
from corpus.exports import export_format, read_export
from corpus.ingest import decode

BIB = Path(__file__).resolve().parents[2] / "shared" / "devset" / "bibliographic"
pytestmark = pytest.mark.skipif(not BIB.exists(), reason="../shared/devset is not here")


def _read(name: str):
    data = (BIB / name).read_bytes()
    return read_export(name, data, decode(data).text)


def test_noteexpress_records_keep_authors_affiliations_years_and_keywords():
    records = _read("cnki-noteexpress-CoverAllTest15Entries.net")
    assert len(records) == 15
    first, second = records[0], records[1]
    assert first.title == "Does converting abandoned railways to greenways impact neighboring housing prices?"
    assert first.authors == ["Youngre Noh"] and first.year == 2019 and first.journal == "Landscape and Urban Planning"
    assert first.abstract.startswith("This research examines")  # the "Abstract(#br)" label is not text
    assert second.title == "基于灰色关联分析法的铁路物流服务方案评价"
    assert second.authors == ["唐力", "刘启钢", "孙文桥"]
    assert second.affiliations == ["中国铁道科学研究院 研究生部", "中国铁道科学研究院集团有限公司 运输及经济研究所"]
    assert (second.journal, second.year, second.issue, second.pages) == ("铁道运输与经济", 2019, "01", "7-12")
    assert second.keywords == ["铁路物流", "服务方案", "评价指标", "灰色关联分析法", "实例分析"]
    thesis = next(r for r in records if r.title == "云环境下铁路“门到门”货运产品设计优化方法研究")
    assert thesis.authors == ["殷玮川"] and thesis.journal == "北京交通大学" and thesis.year == 2018
    assert "“门到门”货运产品" in thesis.keywords and "" not in thesis.keywords  # `;;` separators


def test_endnote_records_with_crlf_and_bare_cr():
    raw = (BIB / "cnki-endnote-export-TEMP.txt").read_bytes()
    assert b"\r\n" in raw and raw.replace(b"\r\n", b"").count(b"\r") > 0  # both line ends, as CNKI writes
    records = _read("cnki-endnote-export-TEMP.txt")
    assert len(records) == 2
    paper, thesis = records
    assert paper.title == "光子晶体光纤飞秒激光技术研究进展"
    assert paper.authors == ["柴路", "胡明列", "方晓惠", "刘博文", "宋有建", "栗岩锋", "王清月"]
    assert paper.affiliations == ["天津大学精密仪器与光电子工程学院超快激光研究室 光电信息技术教育部重点实验室"]
    assert (paper.journal, paper.year, paper.pages) == ("中国激光", 2013, "7-20")
    assert paper.keywords[:3] == ["激光技术", "光子晶体光纤", "飞秒激光"]
    assert thesis.reference_type == "Thesis" and thesis.authors == ["陶海岩"] and thesis.year == 2014


def test_citespace_tagged_records():
    records = _read("citespace-converted-cnki-download_1-307.txt")
    assert len(records) == 307
    first = records[0]
    assert first.title == "艺术学理论的专业性研究规格及其方法论"
    assert first.authors == ["梁玖"] and first.affiliations == ["北京师范大学艺术与传媒学院"]
    assert (first.journal, first.year, first.issue, first.pages) == ("民族艺术研究", 2021, "05", "67-75")
    assert first.keywords == ["艺术学理论", "专业性研究规格", "新增学科知识", "意识理论观", "重两端-揭示学理"]
    assert all(r.title and r.year for r in records)
    assert sum(bool(r.keywords) for r in records) == 307


def test_the_csl_dataset_is_a_headerless_layout_with_the_title_after_the_abstract():
    records = _read("csl-kg-dev.tsv")
    assert len(records) == 1000
    second = records[1]
    assert second.title == "水运工程施工项目全过程管理的有效性探索"
    assert second.keywords == ["项目管理", "全过程管理", "水运工程"]
    assert second.abstract.endswith("旨在提高企业的经济效益.")
    assert sum(bool(r.title) for r in records) >= 990


def _refworks_from(record) -> str:
    """A RefWorks export (the layout CNKI documents) written from one real NoteExpress record."""
    lines = ["RT Journal Article", *[f"A1 {a}" for a in record.authors], f"T1 {record.title}",
             f"JF {record.journal}", f"YR {record.year}", f"IS {record.issue}", f"SP {record.pages}",
             f"K1 {';'.join(record.keywords)}", f"AB {record.abstract}", f"AD {'；'.join(record.affiliations)}",
             "DS CNKI"]
    return "\n".join(lines)


def test_refworks_records():
    source = _read("cnki-noteexpress-CoverAllTest15Entries.net")[1:3]
    text = "\n\n".join(_refworks_from(r) for r in source) + "\n"
    assert export_format(text) == "refworks"
    records = read_export("cnki-refworks.txt", text.encode(), text)
    assert [r.title for r in records] == [r.title for r in source]
    assert records[0].authors == ["唐力", "刘启钢", "孙文桥"] and records[0].year == 2019
    assert records[0].affiliations == source[0].affiliations and records[0].keywords == source[0].keywords


def _table_rows():
    header = ["题名", "作者", "机构", "刊名", "年", "关键词", "摘要"]
    rows = [[r.title, ";".join(r.authors), ";".join(r.affiliations), r.journal, str(r.year), ";".join(r.keywords),
             r.abstract] for r in _read("citespace-converted-cnki-download_1-307.txt")[:20]]
    return header, rows


def test_a_csv_with_chinese_headers():
    import csv

    header, rows = _table_rows()
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    text = buffer.getvalue()
    records = read_export("知网导出.csv", text.encode("utf-8-sig"), text)
    assert len(records) == 20
    assert records[0].title == "艺术学理论的专业性研究规格及其方法论" and records[0].authors == ["梁玖"]
    assert records[0].affiliations == ["北京师范大学艺术与传媒学院"] and records[0].year == 2021


def test_an_xlsx_with_english_headers():
    from openpyxl import Workbook

    _, rows = _table_rows()
    book = Workbook()
    sheet = book.active
    sheet.append(["Title", "Authors", "Affiliation", "Source", "Year", "Keywords", "Abstract"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    records = read_export("export.xlsx", buffer.getvalue())
    assert len(records) == 20 and records[1].title == "艺术学理论的学科进路" and records[1].year == 2021


@pytest.mark.parametrize(("name", "text", "code"), [
    ("notes.csv", "第一列,第二列\n人工智能,新质生产力\n", "not_an_export"),  # a table without known columns
    ("broken.txt", "%0 Journal Article\n%D 2013\n%P 7-20\n", "empty_export"),  # records without title or abstract
])
def test_a_file_that_is_not_a_usable_export_is_named_with_its_reason(name, text, code):
    with pytest.raises(InputError) as err:
        read_export(name, text.encode(), text)
    assert err.value.code == code and err.value.message("zh") and err.value.message("en")
