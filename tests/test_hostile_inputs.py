"""Issue 9, the pipeline half: hostile and careless inputs get a clear message in both languages
and lose nothing else. Sidecars (alias bombs, bad fields, sidecars without their file), inputs
that become far more than their size (a .docx of 35 MB of XML, 5 million characters, 50,000
paragraphs, a bundle decoding to 300,000 paragraphs, a rebuild of 33 MB), bundles that break the
schema, and zips whose headers lie. Text is the seed papers'; only the hostile structures are made here."""

import io
import json
import re
import shutil
import subprocess
import sys
import time
import zipfile

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from corpus.assemble import assemble
from corpus.build import build_corpus
from corpus.bundle import export_bundle, import_bundle
from corpus.errors import InputError
from corpus.files import sha256_bytes
from corpus.ingest import read_bytes
from corpus.intake import ingest_uploads
from corpus.schema import TABLES, arrow_schema
from tests.conftest import RAW_DIR, ROOT, SEEDS, seed_lines, seed_text
from tests.doc_factory import make_docx

WEB_PAGE = seed_text("004")  # the journal web page (year 2026 in its journal line)
WEB_TITLE = "人工智能催生新质生产力的内在机理与行动策略"
PHRASE = "人工智能赋能新质生产力"  # words of the seeds, for the leaves of hostile structures


def alias_bomb(levels: int = 9, width: int = 9) -> bytes:
    """A "billion laughs" sidecar: each level a list of `width` aliases of the one below; `title`
    the top one (9 levels of 9: 387 million copies of the phrase)."""
    lines = [f'l0: &l0 ["{PHRASE}"]']
    for level in range(1, levels):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * width) + "]")
    lines.append(f"title: *l{levels - 1}")
    return ("\n".join(lines) + "\n").encode()


def failures_by_name(result) -> dict[str, list]:
    out: dict[str, list] = {}
    for failure in result.failures:
        out.setdefault(failure.name, []).append(failure)
    return out


def only_document(result):
    tables = assemble(result.processed)
    return tables["documents"].iloc[0]


# ---- 1. sidecars --------------------------------------------------------------------------------


def test_an_alias_bomb_sidecar_is_refused_at_once_and_its_document_is_kept():
    bomb = alias_bomb()
    assert len(bomb) < 600
    started = time.perf_counter()
    result = ingest_uploads([("网页.txt", WEB_PAGE.encode()), ("网页.meta.yaml", bomb)])
    assert time.perf_counter() - started < 20  # the document's own processing; the bomb costs nothing
    assert only_document(result)["title"] == WEB_TITLE  # the title from the text, not the bomb
    (failure,) = failures_by_name(result)["网页.meta.yaml"]
    assert failure.code == "sidecar_aliases"
    assert failure.message("zh").startswith("网页.meta.yaml: 元数据文件使用了 YAML 锚点或别名")
    assert "anchors or aliases" in failure.message("en")
    assert result.sidecars == {}  # nothing of it is kept for a later download


def test_the_corpus_page_reads_an_alias_bomb_sidecar_as_empty(tmp_path):
    from components.corpus_admin import sidecar_fields
    from components.data import SessionCorpus
    from corpus.files import sidecar_text

    session = SessionCorpus({}, sidecars={"up": alias_bomb().decode()})
    started = time.perf_counter()
    fields = sidecar_fields("up", "up.txt", session, {"up": {"year": 2025}}, tmp_path)
    assert fields == {"year": 2025}  # the edit only
    assert sidecar_text(fields) == "year: 2025\n" and time.perf_counter() - started < 1
    (tmp_path / "paper.meta.yaml").write_bytes(alias_bomb())  # on disk, as the build reads it
    assert sidecar_fields("paper", "paper.txt", None, {}, tmp_path) == {}


def test_a_bad_field_is_named_and_the_document_is_built_with_the_other_fields():
    sidecar = "title: 人工智能催生新质生产力（修订稿）\nyear: abcd\nkeywords: 5\nauthors: [刘海军]\n"
    result = ingest_uploads([("网页.txt", WEB_PAGE.encode()), ("网页.meta.yaml", sidecar.encode())])
    row = only_document(result)
    assert row["title"] == "人工智能催生新质生产力（修订稿）" and list(row["authors"]) == ["刘海军"]
    assert row["year"] == 2026  # the text's year: the sidecar's was refused
    assert "人工智能" in list(row["keywords"])  # the text's keywords
    messages = [f.message("zh") for f in failures_by_name(result)["网页.meta.yaml"]]
    assert messages == [
        "网页.meta.yaml: 字段 year 应为 1900–2100 之间的年份，实际为 “abcd”；这个字段已忽略，其余字段照常使用。",
        "网页.meta.yaml: 字段 keywords 应为文字列表（如 [甲, 乙]）或用 ; ， 、 分隔的一段文字，实际为 “5”；"
        "这个字段已忽略，其余字段照常使用。",
    ]
    english = [f.message("en") for f in failures_by_name(result)["网页.meta.yaml"]]
    assert english[0] == ("网页.meta.yaml: Field year should be a year between 1900 and 2100, but it is “abcd”; "
                          "this field was ignored, the others were used.")
    assert result.sidecars[result.files[0].doc_id] == sidecar  # kept for the download, as uploaded


@pytest.mark.parametrize(("line", "field", "shown"), [
    ("year: 99999", "year", "99999"),
    ("year: -5", "year", "-5"),
    ("year: 1899", "year", "1899"),
    ("year: [2025]", "year", "[2025]"),
    ("keywords: {人工智能: 1}", "keywords", '{"人工智能": 1}'),
    ("authors: [刘海军, [张三]]", "authors", '["刘海军", ["张三"]]'),
    ("title: [人工智能, 新质生产力]", "title", '["人工智能", "新质生产力"]'),
    ("journal: true", "journal", "true"),
])
def test_each_field_is_type_checked(line, field, shown):
    result = ingest_uploads([("网页.txt", WEB_PAGE.encode()), ("网页.meta.yaml", (line + "\n").encode())])
    (failure,) = result.failures
    assert failure.code == "sidecar_bad_field"
    assert f"字段 {field} 应为" in failure.message("zh") and f"实际为 “{shown}”" in failure.message("zh")
    assert f"Field {field} should be" in failure.message("en")
    row = only_document(result)
    assert row["year"] == 2026 and row["title"] == WEB_TITLE  # what the text says stands


def test_valid_values_in_every_accepted_form_apply():
    sidecar = ("year: '2025'\nkeywords: 人工智能；新质生产力、数字经济\nauthors_en: [LIU Haijun]\n"
               "volume: 28\npublished: 2026-03-01\n")
    result = ingest_uploads([("网页.txt", WEB_PAGE.encode()), ("网页.meta.yaml", sidecar.encode())])
    assert result.failures == []
    row = only_document(result)
    assert row["year"] == 2025 and list(row["keywords"]) == ["人工智能", "新质生产力", "数字经济"]
    assert (row["volume"], row["published"], list(row["authors_en"])) == ("28", "2026-03-01", ["LIU Haijun"])


@pytest.mark.parametrize(("data", "code", "zh"), [
    (("abstract: |\n" + "".join(f"  {line.strip()}\n" for key in ("000", "001") for line in seed_text(key).split("\n")))
     .encode(), "sidecar_too_large", "上限 64 KB"),
    (("title: " + "[" * 40 + PHRASE + "]" * 40 + "\n").encode(), "sidecar_too_deep", "嵌套过深"),
], ids=["100 KB", "40 levels"])
def test_an_oversized_or_deeply_nested_sidecar_is_refused_whole(data, code, zh):
    result = ingest_uploads([("网页.txt", WEB_PAGE.encode()), ("网页.meta.yaml", data)])
    (failure,) = result.failures
    assert failure.code == code and zh in failure.message("zh")
    assert only_document(result)["title"] == WEB_TITLE


def test_a_sidecar_without_its_file_is_named():
    alone = ingest_uploads([("人工智能论文.meta.yaml", b"year: 2025\n")])
    (failure,) = alone.failures
    assert failure.code == "sidecar_orphan" and failure.name == "人工智能论文.meta.yaml"
    assert failure.message("zh") == ("人工智能论文.meta.yaml: 没有找到与之对应的文件（人工智能论文.*），这个元数据文件没有用上；"
                                     "请把它与对应的文件放在一起，命名为 <文件名>.meta.yaml。")
    assert "There is no file it belongs to (人工智能论文.*)" in failure.message("en")
    beside = ingest_uploads([("网页.txt", WEB_PAGE.encode()), ("网页.meta.yaml", b"year: 2025\n"),
                             ("别的论文.meta.yaml", b"year: 2024\n")])
    assert [(f.name, f.code) for f in beside.failures] == [("别的论文.meta.yaml", "sidecar_orphan")]
    assert only_document(beside)["year"] == 2025


def test_the_cli_build_reports_sidecar_problems_keeps_the_documents_and_fails(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "processed"
    raw.mkdir()
    shutil.copy(RAW_DIR / f"{SEEDS['004']}.txt", raw)
    (raw / f"{SEEDS['004']}.meta.yaml").write_text("journal: 测试期刊\nyear: abcd\n", encoding="utf-8")
    (raw / "删掉的论文.meta.yaml").write_text("year: 2024\n", encoding="utf-8")
    (raw / "炸弹.txt").write_text(seed_lines("000", 1, 60), encoding="utf-8")
    (raw / "炸弹.meta.yaml").write_bytes(alias_bomb())
    run = subprocess.run([sys.executable, "-m", "corpus", "build", "--raw", str(raw), "--out", str(out)],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 1, run.stderr
    assert (f"✗ {SEEDS['004']}.meta.yaml: 字段 year 应为 1900–2100 之间的年份，实际为 “abcd”" in run.stderr)
    assert "✗ 删掉的论文.meta.yaml: 没有找到与之对应的文件（删掉的论文.*）" in run.stderr
    assert "✗ 炸弹.meta.yaml: 元数据文件使用了 YAML 锚点或别名" in run.stderr
    assert "2 篇文档已处理，0 个文件失败，3 处元数据问题" in run.stdout
    from corpus.store import load_processed

    documents = load_processed(out, raw)["documents"].set_index("doc_id")
    assert documents.loc[SEEDS["004"], "journal"] == "测试期刊" and documents.loc[SEEDS["004"], "year"] == 2026
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["failed_files"] == {}
    assert manifest["sidecar_problems"] == {f"{SEEDS['004']}.meta.yaml": "sidecar_bad_field",
                                            "删掉的论文.meta.yaml": "sidecar_orphan", "炸弹.meta.yaml": "sidecar_aliases"}
    english = subprocess.run([sys.executable, "-m", "corpus", "build", "--raw", str(raw), "--out", str(out),
                              "--lang", "en"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert "2 documents built, 0 failed, 3 metadata problems" in english.stdout


# ---- 2. limits on what inputs become --------------------------------------------------------------


def inflated_docx(paragraph: str, xml_bytes: int) -> bytes:
    """A .docx made by python-docx around one seed paragraph, then that paragraph repeated in its
    document.xml to about `xml_bytes`: small packed (the repeats deflate to almost nothing)."""
    data = make_docx([("title", "人工智能视域下的新质生产力生成路径"), ("p", paragraph)])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename == "word/document.xml":
                xml = body.decode()
                start = xml.index("<w:p>", xml.index("</w:p>"))  # the paragraph after the title
                end = xml.index("</w:p>", start) + len("</w:p>")
                copies = max(1, xml_bytes // len(xml[start:end].encode()))
                body = (xml[:start] + xml[start:end] * copies + xml[end:]).encode()
            dst.writestr(item.filename, body)
    return out.getvalue()


def test_a_docx_that_unpacks_to_35_mb_of_xml_is_refused_before_python_docx_parses_it():
    paragraph = seed_lines("000", 41, 41).strip()
    data = inflated_docx(paragraph, 35 * 2**20)
    assert len(data) < 1.5 * 2**20
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.getinfo("word/document.xml").file_size > 32 * 2**20
    started = time.perf_counter()
    with pytest.raises(InputError) as err:
        read_bytes(data, "书稿.docx")
    assert time.perf_counter() - started < 3
    assert err.value.code == "docx_xml_too_large"
    assert re.search(r"Word 文件的正文 XML 解压后过大（3\d MB，上限 32 MB；", err.value.message("zh"))
    assert re.search(r"unpacks to 3\d MB \(limit 32 MB;", err.value.message("en"))
    book = read_bytes(inflated_docx(paragraph, 8 * 2**20), "书稿.docx").text  # a long book's worth is read
    assert book.count(paragraph) > 50_000


def test_a_docx_whose_xml_is_declared_under_another_name_is_counted_too():
    """python-docx parses what [Content_Types].xml declares as XML, whatever its name."""
    paragraph = seed_lines("001", 20, 20).strip()
    data = make_docx([("p", paragraph)])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename == "[Content_Types].xml":
                body = body.replace(b"</Types>", b'<Override PartName="/word/media/cover.png" ContentType='
                                    b'"application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>'
                                    b"</Types>")
            dst.writestr(item.filename, body)
        dst.writestr("word/media/cover.png", (f"<w:p><w:r><w:t>{paragraph}</w:t></w:r></w:p>" * 400_000).encode())
    with pytest.raises(InputError) as err:
        read_bytes(out.getvalue(), "论文.docx")
    assert err.value.code == "docx_xml_too_large"


def sentences(copies: int) -> str:
    """The seeds' sentences, one per line, the whole set `copies` times, each copy numbered: a line
    repeated word for word is page furniture (a running head) and would be dropped."""
    found = []
    for key in SEEDS:
        flat = re.sub(r"\s+", "", seed_text(key))
        found += [s + "。" for s in re.split(r"[。！？；]", flat) if len(s) >= 4]
    return "\n".join(f"{s[:-1]}（{k}）。" for k in range(copies) for s in found)


def test_a_text_of_more_than_five_million_characters_is_refused_before_cleaning():
    text = (seed_text("000") * (5_100_000 // len(seed_text("000")) + 1))[:5_100_000]
    stages = []
    result = ingest_uploads([("合集.txt", text.encode())], progress=lambda name, stage: stages.append(stage))
    assert stages == ["ingest", "failed"]  # nothing else ran
    (failure,) = result.failures
    assert failure.code == "too_many_chars"
    assert failure.message("zh") == ("合集.txt: 文件提取出的文字过多（5,100,000 个字符，上限 5,000,000 个），可能是损坏或恶意构造的文件；"
                                     "如内容确实如此，请拆分成几个文件。")
    assert "5,100,000 characters; the limit is 5,000,000" in failure.message("en")


def test_a_text_of_more_than_50000_paragraphs_is_refused_before_segmenting():
    text = sentences(80)
    assert len(text) < 5_000_000
    stages = []
    result = ingest_uploads([("句子.txt", text.encode())], progress=lambda name, stage: stages.append(stage))
    assert "segment" not in stages and stages[-1] == "failed"
    (failure,) = result.failures
    assert failure.code == "too_many_paragraphs"
    assert re.search(r"文件的段落过多（\d\d,\d{3} 段，上限 50,000 段）", failure.message("zh"))
    assert "limit is 50,000" in failure.message("en")


@pytest.fixture(scope="module")
def seed_raw():
    return {p.name: p.read_bytes() for p in sorted(RAW_DIR.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def bundle(built, seed_raw):
    return export_bundle(built.tables, built.manifest, seed_raw, {})


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def rezip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, body in files.items():
            z.writestr(name, body, compress_type=zipfile.ZIP_STORED if name.endswith(".parquet") else None)
    return out.getvalue()


def with_table(bundle: bytes, name: str, table: pa.Table) -> bytes:
    """The bundle with one table replaced, its manifest entry (rows, checksum) made to match."""
    files = members(bundle)
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd")
    files[f"processed/{name}.parquet"] = buffer.getvalue()
    manifest = json.loads(files["processed/manifest.json"])
    manifest["tables"][name].update(rows=table.num_rows, sha256=sha256_bytes(buffer.getvalue()))
    files["processed/manifest.json"] = json.dumps(manifest).encode()
    return rezip(files)


def seed_table(built, name: str) -> pa.Table:
    return pa.Table.from_pandas(built.tables[name], schema=arrow_schema(name), preserve_index=False)


def test_a_bundle_whose_paragraphs_table_has_300000_rows_is_refused_from_its_metadata(built, bundle):
    paragraphs = seed_table(built, "paragraphs")
    hostile = with_table(bundle, "paragraphs",
                         pa.concat_tables([paragraphs] * (300_000 // paragraphs.num_rows + 1)).slice(0, 300_000))
    assert len(hostile) < 5 * 2**20
    started = time.perf_counter()
    with pytest.raises(InputError) as err:
        import_bundle(hostile)
    assert time.perf_counter() - started < 3
    assert err.value.code == "bundle_table_too_large"
    assert err.value.message("zh") == ("语料包中的表 processed/paragraphs.parquet 过大（300,000 行，上限 100,000 行），"
                                       "可能是损坏或恶意构造的语料包。")
    assert "(300,000 rows; the limit is 100,000 rows)" in err.value.message("en")


def test_a_bundle_of_repeated_long_paragraphs_is_refused_by_its_decoded_size(built, bundle):
    """2,000 copies of one 100,000-character paragraph: a tiny file whose metadata claims well under a
    megabyte (the repeats are dictionary-encoded), 600 MB once decoded."""
    long_text = (seed_text("000") * 3)[:100_000]
    paragraphs = seed_table(built, "paragraphs")
    first = paragraphs.slice(0, 1).to_pylist()[0]
    rows = [{**first, "para_id": f"p{k:05d}", "order": k, "text": long_text} for k in range(2000)]
    hostile = with_table(bundle, "paragraphs", pa.Table.from_pylist(rows, schema=arrow_schema("paragraphs")))
    assert len(hostile) < 2**20
    with pytest.raises(InputError) as err:
        import_bundle(hostile)
    assert err.value.code == "bundle_table_too_large"
    assert re.search(r"表 processed/paragraphs\.parquet 过大（\d{3} MB，上限 256 MB）", err.value.message("zh"))


def test_a_bundle_of_5018_files_has_its_own_message(bundle):
    files = members(bundle)
    for k in range(5018 - len(files)):
        files[f"raw/{k:04d}_片段.txt"] = seed_lines("002", 1 + k % 50, 1 + k % 50).encode()
    with pytest.raises(InputError) as err:
        import_bundle(rezip(files))
    assert err.value.code == "bundle_too_many_files"
    assert err.value.message("zh") == "语料包中的文件过多（5,018 个，上限 5,000 个）。"
    assert err.value.message("en") == "The corpus bundle holds too many files (5,018; the limit is 5,000)."


def old_pipeline_bundle(bundle: bytes, raw: dict[str, bytes] | None = None) -> bytes:
    """The bundle as another pipeline version would have written it (its tables unusable here)."""
    files = members(bundle)
    if raw is not None:
        files = {name: body for name, body in files.items() if not name.startswith("raw/")}
        files.update({f"raw/{name}": body for name, body in raw.items()})
    manifest = json.loads(files["processed/manifest.json"])
    manifest["pipeline_version"] = "0"
    files["processed/manifest.json"] = json.dumps(manifest).encode()
    files["processed/paragraphs.parquet"] = b"from an old pipeline"
    return rezip(files)


def test_a_rebuild_above_the_limit_is_refused_with_what_to_do(bundle):
    raw = {f"{key}_合订本.txt": (seed_text(key) * (12 * 2**20 // len(seed_text(key).encode()))).encode()
           for key in ("000", "001", "002")}
    assert sum(map(len, raw.values())) > 32 * 2**20
    started = time.perf_counter()
    with pytest.raises(InputError) as err:
        import_bundle(old_pipeline_bundle(bundle, raw))
    assert time.perf_counter() - started < 10
    assert err.value.code == "bundle_rebuild_too_large"
    assert re.fullmatch(r"这个语料包来自另一版本的处理程序，需要根据其中的原始文件重新构建，但原始文件共 \d\d\.\d MB，超过在网页中重建的上限"
                        r" 32 MB。请同事用当前版本运行 `python -m corpus build` 重新构建，再导出语料包。",
                        err.value.message("zh"))
    assert "`python -m corpus build`" in err.value.message("en") and "32 MB" in err.value.message("en")


def test_a_rebuild_reports_each_file_and_stage(bundle, seed_raw):
    events = []
    tables, manifest, *_ = import_bundle(old_pipeline_bundle(bundle), progress=lambda *event: events.append(event))
    assert len(tables["documents"]) == len(seed_raw)
    assert events[:len(seed_raw)] == [(name, "waiting") for name in sorted(seed_raw)]
    for name in seed_raw:
        assert [stage for file, stage in events if file == name][-1] == "done"
    assert {stage for _, stage in events} >= {"waiting", "done"}


class FakeBar:
    def __init__(self) -> None:
        self.shown: list[tuple[float, str]] = []

    def progress(self, value: float, text: str) -> None:
        self.shown.append((value, text))


def test_the_corpus_page_shows_a_rebuild_file_by_file_and_stage_by_stage(bundle, seed_raw):
    from components.corpus_admin import BundleProgress
    from components.layout import md

    bar = FakeBar()
    tables, *_ = import_bundle(old_pipeline_bundle(bundle), progress=BundleProgress(bar, "zh"))
    assert len(tables["documents"]) == len(seed_raw)
    texts = [text for _, text in bar.shown]
    first = sorted(seed_raw)[0]
    assert texts[-1].endswith(f"· 完成 ({len(seed_raw)}/{len(seed_raw)})") and bar.shown[-1][0] == 1.0
    assert f"{md(first)} · 完成 (1/4)" in texts  # file names from a bundle are Markdown-escaped
    values = [value for value, _ in bar.shown]
    assert values == sorted(values)  # one bar filling as the files go through their stages


def test_a_current_bundle_reports_each_table(bundle):
    events = []
    import_bundle(bundle, progress=lambda *event: events.append(event))
    assert events == [(f"{name}.parquet", "table") for name in TABLES]


# ---- 3. bundles checked against the schema --------------------------------------------------------


def replaced_column(table: pa.Table, column: str, values: pa.Array) -> pa.Table:
    return table.set_column(table.column_names.index(column), column, values)


def hostile_tables(built) -> dict[str, tuple[str, pa.Table, str, str]]:
    """case → (table name, hostile table, words the zh message must hold, words of the en message)."""
    documents, paragraphs, events = (seed_table(built, n) for n in ("documents", "paragraphs", "events"))
    years_as_text = pa.array([str(y) if y is not None else None for y in documents.column("year").to_pylist()])
    duplicate = pa.concat_tables([documents, documents.slice(0, 1)])
    texts_as_numbers = pa.array(range(paragraphs.num_rows), pa.int64())
    markup_ids = paragraphs.column("para_id").to_pylist()
    markup_ids[0] = '"><img src=x onerror=alert(1)>'
    unknown_para = events.column("para_id").to_pylist()
    unknown_para[0] = "p9999"
    escaping_file = documents.column("source_file").to_pylist()
    escaping_file[0] = "../../../etc/passwd"
    return {
        "year as text": ("documents", replaced_column(documents, "year", years_as_text),
                         "列 year 应为 int，实际为 string", "column year should be int, not string"),
        "duplicate doc_id": ("documents", duplicate, f"doc_id “{SEEDS['000']}” 出现了不止一次", "occurs more than once"),
        "integer text": ("paragraphs", replaced_column(paragraphs, "text", texts_as_numbers),
                         "列 text 应为 string，实际为 int", "column text should be string, not int"),
        "markup in an id": ("paragraphs", replaced_column(paragraphs, "para_id", pa.array(markup_ids)),
                            "列 para_id 的值 “\"><img src=x onerror=alert(1)>” 不合要求", "it may only be letters, digits"),
        "unknown paragraph": ("events", replaced_column(events, "para_id", pa.array(unknown_para)),
                              "doc_id + para_id “", "is not in table paragraphs"),
        "file name with folders": ("documents", replaced_column(documents, "source_file", pa.array(escaping_file)),
                                   "列 source_file 的值 “../../../etc/passwd” 不合要求", "a file name (no folders"),
    }


CASES = ["year as text", "duplicate doc_id", "integer text", "markup in an id", "unknown paragraph",
         "file name with folders"]


@pytest.mark.parametrize("case", CASES)
def test_a_bundle_that_breaks_the_schema_is_refused_naming_table_and_column(built, bundle, case):
    name, table, zh, en = hostile_tables(built)[case]
    with pytest.raises(InputError) as err:
        import_bundle(with_table(bundle, name, table))
    assert err.value.code == "bundle_bad_table"
    assert err.value.message("zh").startswith(f"语料包中的表 processed/{name}.parquet 有误，无法使用（")
    assert zh in err.value.message("zh") and en in err.value.message("en")


def test_a_bundle_that_breaks_the_schema_leaves_the_session_as_it_was(built, bundle, seed_processed_dir, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from components.i18n import translate
    from components.layout import md

    monkeypatch.setattr("components.data.PROCESSED_DIR", seed_processed_dir)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.switch_page("pages/corpus.py")
    at.run()
    for epoch, case in enumerate(("year as text", "duplicate doc_id", "integer text")):
        name, table, zh, _ = hostile_tables(built)[case]
        at.file_uploader(key=f"bundle_{epoch}").set_value(("同事的语料.zip", with_table(bundle, name, table),
                                                           "application/zip")).run()
        [load] = [b for b in at.button if b.label == translate("corpus.import_go", "zh")]
        load.click().run()
        assert not at.exception, [e.value for e in at.exception]
        [error] = [e.value for e in at.error]
        assert error.startswith(md("同事的语料.zip") + ": ") and md(zh) in error
        assert "session_corpus" not in at.session_state  # nothing replaced
    for page in ("overview", "timeline", "terms", "reader", "corpus"):
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (page, [e.value for e in at.exception])


def test_the_store_refuses_a_processed_corpus_whose_year_is_text(tmp_path, built):
    from corpus.store import CorpusError, load_processed, write_processed

    out = write_processed(built.tables, tmp_path / "processed", built.version)
    documents = seed_table(built, "documents")
    years_as_text = pa.array([str(y) for y in documents.column("year").to_pylist()])
    pq.write_table(replaced_column(documents, "year", years_as_text), out / "documents.parquet")
    with pytest.raises(CorpusError) as err:
        load_processed(out, None)
    assert err.value.code == "invalid"
    assert err.value.message("zh") == ("已处理的语料中的表 documents 不符合格式（列 year 应为 int，实际为 string）。"
                                       "请重新运行 `python -m corpus build`。")
    assert "column year should be int, not string" in err.value.message("en")


# ---- 4. zips whose headers lie ----------------------------------------------------------------------


def damaged(data: bytes, member: str) -> bytes:
    """The zip with one byte of `member`'s stored data flipped: its CRC-32 no longer matches."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        info = z.getinfo(member)
    header = bytearray(data)
    offset = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    header[offset + info.compress_size // 2] ^= 0xFF
    return bytes(header)


def lying_size(data: bytes, member: str) -> bytes:
    """The zip with `member`'s uncompressed size in the central directory halved: reading it stops
    short and fails its CRC ("Truncated" or "Bad CRC-32")."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        info = z.getinfo(member)
    out = bytearray(data)
    name = info.filename.encode()
    position = 0
    while True:  # the member's central directory record
        position = out.index(b"PK\x01\x02", position)
        name_length = int.from_bytes(out[position + 28:position + 30], "little")
        if out[position + 46:position + 46 + name_length] == name:
            break
        position += 4
    out[position + 24:position + 28] = (info.file_size // 2).to_bytes(4, "little")
    return bytes(out)


@pytest.mark.parametrize("damage", [damaged, lying_size])
def test_a_bundle_whose_zip_headers_lie_is_called_damaged(bundle, damage):
    with pytest.raises(InputError) as err:
        import_bundle(damage(bundle, "processed/paragraphs.parquet"))
    assert err.value.code == "bundle_damaged"
    assert err.value.message("zh").startswith("语料包已损坏：processed/paragraphs.parquet 无法解压")
    assert "The corpus bundle is damaged" in err.value.message("en")


@pytest.mark.parametrize("damage", [damaged, lying_size])
def test_a_docx_whose_zip_headers_lie_is_called_damaged(damage):
    data = make_docx([("p", seed_lines("000", 41, 44).replace("\n", ""))])
    stored = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, src.read(item))
    with pytest.raises(InputError) as err:
        read_bytes(damage(stored.getvalue(), "word/document.xml"), "论文.docx")
    assert err.value.code == "corrupt_docx" and "已损坏" in err.value.message("zh")


def test_the_seed_bundle_still_round_trips(built, bundle):
    import pandas as pd

    tables, *_ = import_bundle(bundle)
    for name in TABLES:
        pd.testing.assert_frame_equal(tables[name], built.tables[name], check_dtype=True)


def test_a_seed_build_in_a_raw_folder_with_sidecars_reports_nothing(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW_DIR / f"{SEEDS['002']}.txt", raw)
    (raw / f"{SEEDS['002']}.txt.meta.yaml").write_text("year: 2025\nkeywords: [人工智能, 新质生产力]\n", encoding="utf-8")
    result = build_corpus(raw, tmp_path / "processed")
    assert result.failures == [] and result.sidecar_problems == []
    row = result.tables["documents"].iloc[0]
    assert row["year"] == 2025 and list(row["keywords"]) == ["人工智能", "新质生产力"]
