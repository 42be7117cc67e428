"""Uploads through `ingest_uploads`, the function the corpus page and scripts call: every
bad-input class in one batch, each with its message, and the rest of the batch processed."""

import time

import pytest

from corpus.assemble import assemble
from corpus.files import make_doc_id
from corpus.intake import display_name, ingest_uploads
from corpus.pipeline import STAGE_NAMES
from tests.conftest import RAW_DIR, SEEDS, process, seed_lines, seed_text
from tests.doc_factory import make_docx, make_encrypted_pdf, make_pdf, make_scanned_pdf, seed_pages

WEB_PAGE = seed_text("004")  # the journal web page: title 人工智能催生新质生产力的内在机理与行动策略
WEB_TITLE = "人工智能催生新质生产力的内在机理与行动策略"
SCRIPT_LINE = '<script>alert("新质生产力")</script>'
HTML_LINE = '<p class="lead">人工智能是引领新一轮科技革命和产业变革的战略性技术。</p>'
HTML_TEXT = "\n".join([
    "人工智能催生新质生产力的内在机理",
    HTML_LINE,
    SCRIPT_LINE,
    "这段网页摘录含有 <b>标签</b> 与 <a href=\"javascript:alert(1)\">链接</a>，也应原样保留为文字。",
])
LIMIT_MB = 50


def one_mb_line() -> bytes:
    """Paper 000's text with every line break removed, repeated to 1 MB: one line, no breaks."""
    flat = seed_text("000").replace("\n", "").encode()
    return (flat * (1_000_000 // len(flat) + 1))[:1_000_000].decode("utf-8", "ignore").encode()


def broken_docx() -> bytes:
    data = make_docx([("p", "我国人工智能的发展基本与世界同步。")])
    return data[: len(data) // 2]


@pytest.fixture(scope="module")
def batch():
    gb18030 = WEB_PAGE.encode("gb18030")
    files = [
        ("空文件.txt", b""),
        ("picture.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 16),
        ("网页 GB18030.txt", gb18030),
        ("paper-utf16.md", seed_lines("002", 1, 120).encode("utf-16")),
        ("huge.txt", b"a" * (LIMIT_MB * 1024 * 1024 + 1)),
        ("扫描件.pdf", make_scanned_pdf(seed_pages("001", 2, 3))),
        ("加密.pdf", make_encrypted_pdf()),
        ("损坏.docx", broken_docx()),
        ("../../etc/passwd.txt", seed_lines("000", 1, 40).encode()),
        ("C:\\Users\\编辑\\人工智能 论文 (终稿).md", seed_lines("001", 1, 60).encode()),
        ("网页摘录.txt", HTML_TEXT.encode()),
        ("one-line.txt", one_mb_line()),
        ("同一网页 副本.txt", gb18030),
        ("paper.pdf", make_pdf(seed_pages("000", 1, 4))),
        ("paper.docx", make_docx([("title", "人工智能视域下的新质生产力生成路径"),
                                  ("h1", "一、人工智能与新质生产力的协同互嵌"),
                                  ("p", "1956年，达特茅斯会议正式提出“人工智能”一词{fn:1}。")],
                                 footnotes={"1": "何哲：《ChatGPT等新一代人工智能技术的社会影响及其治理》，《电子政务》，2024年第4期。"})),
    ]
    stages: dict[str, list[tuple[str, float]]] = {}
    result = ingest_uploads(files, progress=lambda name, stage: stages.setdefault(name, []).append(
        (stage, time.perf_counter())))
    return result, stages


def outcome(result, name):
    accepted = {f.name: f for f in result.files}
    failed = {f.name: f for f in result.failures}
    return accepted.get(name) or failed[name]


def document(result, name):
    doc_id = outcome(result, name).doc_id
    tables = assemble(result.processed)
    if not (tables["documents"].doc_id == doc_id).any():
        raise AssertionError(name)
    return {table: frame[frame.doc_id == doc_id].reset_index(drop=True) if "doc_id" in frame else frame
            for table, frame in tables.items()}


@pytest.mark.parametrize(("name", "code", "zh", "en"), [
    ("空文件.txt", "empty", "文件为空", "empty"),
    ("picture.txt", "binary", "不是可识别的文本", "not readable text"),
    ("huge.txt", "too_large", f"上限 {LIMIT_MB} MB", "too large"),
    ("扫描件.pdf", "needs_ocr", "需要先做文字识别（OCR）", "needs OCR"),
    ("加密.pdf", "encrypted", "需要密码", "password"),
    ("损坏.docx", "corrupt_docx", "已损坏", "damaged"),
    ("同一网页 副本.txt", "duplicate", "只保留一份", "kept once"),
])
def test_each_bad_file_gets_its_own_message_in_both_languages(batch, name, code, zh, en):
    result, stages = batch
    failure = outcome(result, name)
    assert failure.code == code
    assert failure.message("zh").startswith(name + ": ") and zh in failure.message("zh")
    assert en in failure.message("en")
    assert stages[name][-1][0] in ("failed", "skipped")


def test_the_rest_of_the_batch_is_processed(batch):
    result, stages = batch
    assert len(result.files) == 8 and len(result.failures) == 7
    assert sum(len(part.doc_ids) for part in result.processed) == len(result.files)
    for f in result.files:
        assert [s for s, _ in stages[f.name]] == [*STAGE_NAMES, "done"]
    assert len({f.doc_id for f in result.files}) == len(result.files)


def test_gb18030_and_utf16_text_is_read_correctly(batch):
    result, _ = batch
    web = document(result, "网页 GB18030.txt")
    assert web["documents"].loc[0, "title"] == WEB_TITLE and web["documents"].loc[0, "year"] == 2026
    utf16 = document(result, "paper-utf16.md")
    for tables, text in ((web, WEB_PAGE), (utf16, seed_lines("002", 1, 120))):
        as_utf8 = process("same.txt", text.encode("utf-8"))
        assert list(tables["paragraphs"].text) == list(as_utf8["paragraphs"].text)
    assert "人工智能作为新型通用目的技术" in utf16["paragraphs"].text.iloc[0]


def test_same_content_is_kept_once_by_hash(batch):
    result, _ = batch
    kept = [f for f in result.files if f.data == WEB_PAGE.encode("gb18030")]
    assert [f.name for f in kept] == ["网页 GB18030.txt"]
    again = ingest_uploads([("再传一次.txt", WEB_PAGE.encode("gb18030"))], known_hashes=result.hashes)
    assert not again.files and again.failures[0].code == "duplicate"


def test_file_names_lose_paths_but_keep_chinese_and_spaces(batch):
    result, _ = batch
    passwd = outcome(result, "passwd.txt")
    assert passwd.source_file.startswith("passwd_") and passwd.source_file.endswith(".txt")
    paper = outcome(result, "人工智能 论文 (终稿).md")
    assert paper.doc_id.startswith("人工智能_论文_终稿_")
    assert paper.source_file == paper.doc_id + ".md"
    for f in result.files:
        assert "/" not in f.source_file and "\\" not in f.source_file and ".." not in f.source_file
        assert document(result, f.name)["documents"].loc[0, "source_file"] == f.source_file


@pytest.mark.parametrize(("raw", "shown"), [
    ("../../etc/passwd.txt", "passwd.txt"),
    ("..\\..\\Windows\\论文.pdf", "论文.pdf"),
    ("..", "未命名"),
    ("../.txt", "未命名.txt"),
    ("新质\x00生产力\u202e.txt", "新质生产力.txt"),
    ("  人工智能   论文 .docx", "人工智能 论文.docx"),
])
def test_display_names(raw, shown):
    assert display_name(raw) == shown


def test_doc_ids_are_unique_and_stable():
    digest = "3f6d6f34627a8da3" + "0" * 48
    assert make_doc_id("人工智能 论文.pdf", digest) == "人工智能_论文_3f6d6f34"
    assert make_doc_id("人工智能 论文.pdf", digest, taken={"人工智能_论文_3f6d6f34"}) == "人工智能_论文_3f6d6f34627a"
    assert make_doc_id("<script>.txt", digest) == "script_3f6d6f34"


def test_html_and_script_are_kept_verbatim_as_text(batch):
    result, _ = batch
    texts = list(document(result, "网页摘录.txt")["paragraphs"].text)
    assert SCRIPT_LINE in texts and HTML_LINE in texts
    assert any('<a href="javascript:alert(1)">链接</a>' in t for t in texts)


def test_one_megabyte_line_finishes_in_reasonable_time(batch):
    result, stages = batch
    tables = document(result, "one-line.txt")
    seconds = stages["one-line.txt"][-1][1] - stages["one-line.txt"][0][1]
    assert seconds < 30, seconds
    assert tables["paragraphs"].text.str.len().sum() > 300_000  # nothing lost
    assert tables["documents"].loc[0, "n_chars"] > 300_000


def test_pdf_and_docx_uploads_become_documents(batch):
    result, _ = batch
    pdf = document(result, "paper.pdf")
    assert pdf["documents"].loc[0, "title"] == "人工智能视域下的新质生产力生成路径"
    docx = document(result, "paper.docx")
    assert docx["citations"].ref_id.notna().all() and len(docx["references"]) == 1


def test_size_limit_is_configurable():
    result = ingest_uploads([("a.txt", WEB_PAGE.encode())], max_bytes=1000)
    assert result.failures[0].code == "too_large"


def test_sidecar_uploaded_with_its_file_sets_metadata_and_a_bad_one_is_reported():
    result = ingest_uploads([
        ("网页.txt", WEB_PAGE.encode()),
        ("网页.meta.yaml", "year: 2025\nauthors: [刘海军, 张三]\n".encode()),
        ("other.meta.yaml", b"year: [unclosed"),
    ])
    row = assemble(result.processed)["documents"].loc[0]
    assert row["year"] == 2025 and list(row["authors"]) == ["刘海军", "张三"]
    assert result.sidecars == {result.files[0].doc_id: "year: 2025\nauthors: [刘海军, 张三]\n"}
    assert [f.code for f in result.failures] == ["bad_sidecar"]


def test_a_pipeline_bug_on_one_file_does_not_stop_the_batch(monkeypatch):
    import corpus.pipeline

    real = corpus.pipeline.read_bytes

    def flaky(data, name, max_bytes):  # a bug inside the ingest stage, for one file
        if data.startswith(b"BOOM"):
            raise ZeroDivisionError
        return real(data, name, max_bytes)

    monkeypatch.setattr(corpus.pipeline, "read_bytes", flaky)
    result = ingest_uploads([("a.txt", b"BOOM" + WEB_PAGE.encode()), ("b.txt", WEB_PAGE.encode())])
    assert [f.name for f in result.files] == ["b.txt"]
    assert result.failures[0].code == "processing_failed" and "ZeroDivisionError" in result.failures[0].message()


def test_uploads_join_the_corpus(built):
    result = ingest_uploads([("网页.txt", WEB_PAGE.replace("刘海军", "王五").encode())],
                            known_hashes=set(built.tables["documents"].content_hash))
    tables = assemble(result.processed, base=built.tables)
    assert len(tables["documents"]) == len(built.tables["documents"]) + 1
    new_id = result.files[0].doc_id
    assert (tables["terms"].doc_id == new_id).any()
    assert set(SEEDS.values()) <= set(tables["documents"].doc_id)
    assert (RAW_DIR / f"{SEEDS['004']}.txt").read_text(encoding="utf-8") == WEB_PAGE  # shipped files untouched


def test_adding_documents_gives_the_tables_a_whole_rebuild_gives(built):
    """Onto a corpus, only the new papers go through the pipeline and TF-IDF is redone over all
    of them: the result is row for row what building every document again gives (files cut from
    000 and 002)."""
    import pandas as pd

    from corpus.pipeline import Pipeline
    from corpus.schema import TABLES
    from tests.conftest import seed_lines

    result = ingest_uploads([("第一部分.txt", seed_lines("000", 41, 200).encode()),
                             ("另一篇.txt", seed_lines("002", 1, 300).encode("gb18030"))])
    added = assemble(result.processed, base=built.tables)
    seeds = [Pipeline()(f"{doc_id}.txt", (RAW_DIR / f"{doc_id}.txt").read_bytes()) for doc_id in built.tables["documents"].doc_id]
    whole = assemble([*seeds, *result.processed])
    for name in TABLES:
        pd.testing.assert_frame_equal(added[name], whole[name], obj=name)
    # the papers already there keep their rows; the new ones have events, and TF-IDF moved for all
    assert (added["events"].doc_id == result.files[0].doc_id).sum() >= 10
    old = built.tables["terms"].set_index(["doc_id", "term"])["tfidf"]
    assert not old.equals(added["terms"].set_index(["doc_id", "term"])["tfidf"].reindex(old.index))
