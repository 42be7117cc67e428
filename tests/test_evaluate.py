"""The gold file (data/gold/devset.yaml) against its source texts, and the evaluation's matching
rules on real rows of the seed corpus as the current pipeline builds it."""

from __future__ import annotations

import json

import pytest
import yaml

from corpus import evaluate as ev
from corpus.__main__ import main
from corpus.ingest import read_file
from corpus.lexicon import DEFAULT_LEXICON_DIR
from tests.conftest import RAW_DIR, SEEDS

GOLD = ev.load_gold(ev.DEFAULT_GOLD)
DEVSET_PRESENT = ev.DEFAULT_DEVSET_DIR.is_dir()
FACTORS = {"劳动者", "劳动资料", "劳动对象", "要素组合"}
LEVELS = {"员工", "企业", "产业", "区域·国家"}
TYPES = {"替代", "增强", "融合·溢出", "创新", "协同·生态", "重构", "供给·需求", "治理·监管"}
FIELDS = {
    "document": {"recommends", "metadata", "sections", "events", "mechanisms", "policies", "absent"},
    "metadata": set(ev.METADATA_COLUMNS) | {"title_alt", "date_alt", "issuer_alt"},
    "sections": {"number", "heading"},
    "events": {"year", "year_end", "quote"},
    "mechanisms": {"name", "aliases", "kind", "factor", "level", "type"},
    "policies": {"quote", "domain", "actor", "horizon"},
}


def gold_documents():
    return [pytest.param(doc, id=doc.key, marks=[] if doc.root == "seeds" or DEVSET_PRESENT else
                         [pytest.mark.skip(reason="../shared/devset is not here")]) for doc in GOLD]


def source_text(doc: ev.GoldDocument) -> str:
    return read_file(doc.path(ev.DEFAULT_DEVSET_DIR)).text


# ---- the gold file ---------------------------------------------------------------------------

def test_gold_lists_the_sample_and_the_seeds():
    keys = {doc.key for doc in GOLD}
    assert {f"data/raw/{name}.txt" for name in SEEDS.values()} <= keys
    assert {"gwr/2017.txt", "gwr/2020.txt", "gwr/2022.txt", "policy/trusted-data-space-action-plan-2024-2028.pdf",
            "web/wechat-data-20-measures-2022.md"} <= keys
    assert all(doc.path(ev.DEFAULT_DEVSET_DIR).is_file() for doc in GOLD if doc.root == "seeds" or DEVSET_PRESENT)


@pytest.mark.parametrize("doc", gold_documents())
def test_every_quote_occurs_in_its_decoded_source(doc):
    """Quotes, headings, names, titles and furniture are copied from the text, so the gold cannot drift from it."""
    text = source_text(doc)
    plain, bare = ev.norm_text(text), ev.norm_name(text)
    data = doc.data
    meta = data.get("metadata") or {}
    for title in [meta.get("title"), *(meta.get("title_alt") or [])]:
        assert title is None or ev.norm_name(title) in bare, title
    for event in data.get("events") or []:
        assert ev.norm_text(event["quote"]) in plain, event
    for section in data.get("sections") or []:
        assert ev.norm_name(section["heading"]) in bare, section
    for mechanism in data.get("mechanisms") or []:
        for name in [mechanism["name"], *(mechanism.get("aliases") or [])]:
            assert ev.norm_name(name) in bare, name
    for policy in data.get("policies") or []:
        quote = ev.norm_text(policy["quote"])
        assert 8 <= len(quote) <= 30, policy["quote"]
        assert plain.count(quote) == 1, f"{policy['quote']} occurs {plain.count(quote)} times"
    for entry in data.get("absent") or []:
        furniture = entry["paragraph"] if isinstance(entry, dict) else entry
        assert ev.norm_text(furniture) in plain, furniture


def test_codes_and_axis_values_are_known():
    taxonomy = yaml.safe_load((DEFAULT_LEXICON_DIR / "policy_taxonomy.yaml").read_text(encoding="utf-8"))
    domains = {d["code"] for d in taxonomy["domains"]}
    for doc in GOLD:
        assert set(doc.data) <= FIELDS["document"], doc.key
        assert set(doc.data.get("metadata") or {}) <= FIELDS["metadata"], doc.key
        for table in ev.TABLES:
            for item in doc.data.get(table) or []:
                assert set(item) <= FIELDS[table], (doc.key, item)
        for policy in doc.data.get("policies") or []:
            assert policy["domain"] in domains, (doc.key, policy)
        for mechanism in doc.data.get("mechanisms") or []:
            assert mechanism.get("factor", "劳动者") in FACTORS, mechanism
            assert mechanism.get("level", "员工") in LEVELS, mechanism
            assert mechanism.get("type", "增强") in TYPES, mechanism


# ---- matching rules on real rows -------------------------------------------------------------

def rows(built, table, key, **where):
    frame = built[table]
    frame = frame[frame.doc_id == SEEDS[key]]
    for column, value in where.items():
        frame = frame[frame[column] == value]
    return frame.to_dict("records")


def score(table, gold, found):
    return ev.score_table(table, gold, found)[0]


def test_a_heading_counts_with_or_without_its_number_split_off(built):
    row = rows(built, "sections", "000", level=1, number="一")[0]
    gold = [{"number": "一、", "heading": row["heading"]}]
    assert score("sections", gold, [row]).matched == 1
    number_left_in = {**row, "number": None, "heading": "一、" + row["heading"]}
    assert score("sections", gold, [number_left_in]).matched == 1
    first_sentence_kept = {**row, "heading": row["heading"] + "。新质生产力是在世界经济格局深刻演变"}
    assert score("sections", gold, [first_sentence_kept]).matched == 0


def test_sections_of_level_zero_are_not_headings(built):
    doc = next(d for d in GOLD if d.source_file == f"{SEEDS['000']}.txt")
    result = ev.evaluate_document(ev.GoldDocument(doc.key, doc.root, {"sections": doc.data["sections"]}), built.tables)
    assert result.tables["sections"].extracted == len(doc.data["sections"])  # abs and s0 are not counted


def test_events_need_the_year_the_range_and_the_quote(built):
    phase = next(r for r in rows(built, "events", "000") if r["year"] == 1955 and r["year_end"] == 2005)
    assert score("events", [{"year": 1955, "year_end": 2005, "quote": "第一阶段"}], [phase]).matched == 1
    assert score("events", [{"year": 1955, "quote": "第一阶段"}], [phase]).matched == 1
    assert score("events", [{"year": 1955, "year_end": 2006, "quote": "第一阶段"}], [phase]).matched == 0
    assert score("events", [{"year": 1955, "quote": "第二阶段"}], [phase]).matched == 0


def test_unmatched_gazetteer_events_do_not_count_against_precision(built):
    dated = rows(built, "events", "000")
    gazetteer = [r for r in dated if r["date_source"] == "gazetteer"]
    assert gazetteer
    s = score("events", [], dated)
    assert (s.extracted, s.unscored) == (len(dated) - len(gazetteer), len(gazetteer))


def test_mechanism_names_match_exactly_or_by_containment_with_the_same_head(built):
    integration = rows(built, "mechanisms", "001", name="能力整合机制")
    assert score("mechanisms", [{"name": "能力整合机制"}], integration).matched == 1
    assert score("mechanisms", [{"name": "员工能力整合机制"}], integration).matched == 1
    assert score("mechanisms", [{"name": "能力整合路径"}], integration).matched == 0
    assert score("mechanisms", [{"name": "整合", "aliases": ["能力整合机制"]}], integration).matched == 1
    family = rows(built, "mechanisms", "001", name="生态协同机制") + rows(built, "mechanisms", "001", name="协同机制")
    pairs = ev.score_table("mechanisms", [{"name": "协同机制"}, {"name": "生态协同机制"}], family)[1]
    assert [family[ri]["name"] for _, ri in pairs] == ["协同机制", "生态协同机制"]  # exact names first


def test_a_policy_found_with_the_wrong_domain_counts_in_recall_not_in_domain_accuracy(built):
    row = rows(built, "policies", "001")[1]
    wrong = "finance" if row["domain"] != "finance" else "talent"
    quote = row["text"][3:20]
    doc = ev.GoldDocument(f"data/raw/{SEEDS['001']}.txt", "seeds", {"policies": [{"quote": quote, "domain": wrong}]})
    result = ev.evaluate_document(doc, built.tables)
    assert result.tables["policies"].recall == 1.0
    assert result.domain == (1, 0)
    right = ev.evaluate_document(ev.GoldDocument(doc.key, "seeds", {"policies": [{"quote": quote, "domain": row["domain"]}]}),
                                 built.tables)
    assert right.domain == (1, 1)


def test_each_extracted_row_matches_one_gold_item_at_most(built):
    row = rows(built, "policies", "001")[1]
    gold = [{"quote": row["text"][3:15]}, {"quote": row["text"][20:32]}]
    s = score("policies", gold, [row])
    assert (s.matched, s.recall, s.precision) == (1, 0.5, 1.0)


def test_absent_strings_found_in_paragraphs_are_counted(built):
    paragraph = rows(built, "paragraphs", "000")[5]["text"]
    doc = ev.GoldDocument(f"data/raw/{SEEDS['000']}.txt", "seeds",
                          {"absent": [paragraph[2:12], "扫码订阅《中国信息安全》", {"paragraph": paragraph}, {"paragraph": "赞"}]})
    found = ev.evaluate_document(doc, built.tables).absent
    assert found == [paragraph[2:12], f"¶{paragraph}"]


def test_policies_in_a_document_that_recommends_nothing_are_counted(built):
    doc = ev.GoldDocument(f"data/raw/{SEEDS['004']}.txt", "seeds", {"recommends": False, "policies": []})
    report = ev.Report([ev.evaluate_document(doc, built.tables)])
    assert report.overall()["policies_in_non_recommending"] == len(rows(built, "policies", "004")) > 0


def test_metadata_fields_and_empty_fields(built):
    doc = ev.GoldDocument(f"data/raw/{SEEDS['004']}.txt", "seeds", {"metadata": {
        "title": "人工智能催生新质生产力的内在机理与行动策略", "year": 2026, "date": "2026-06-22",
        "authors": ["刘海军"], "issuer": "西南石油大学"}})
    meta = ev.evaluate_document(doc, built.tables).metadata
    assert {k: v["ok"] for k, v in meta.items()} == {"title": True, "year": True, "date": True, "authors": True,
                                                      "issuer": False}
    untitled = ev.GoldDocument(f"data/raw/{SEEDS['001']}.txt", "seeds", {"metadata": {"title": None, "year": None}})
    assert all(v["ok"] for v in ev.evaluate_document(untitled, built.tables).metadata.values())


def test_a_document_missing_from_the_build_misses_everything(built):
    doc = ev.GoldDocument("gwr/1999.txt", "devset", {"sections": [{"heading": "总则"}], "policies": [{"quote": "x" * 8}]})
    result = ev.evaluate_document(doc, built.tables)
    assert result.doc_id is None and result.tables["sections"].recall == 0.0 and result.tables["policies"].matched == 0


def test_the_seeds_sections_are_all_found(built):
    seeds = [d for d in GOLD if d.root == "seeds"]
    report = ev.evaluate(seeds, built.tables)
    assert {d.key: d.tables["sections"].f1 for d in report.documents if d.tables["sections"].gold} == {
        d.key: 1.0 for d in seeds if d.data["sections"]}


# ---- the command -----------------------------------------------------------------------------

def test_evaluate_command_prints_the_table_and_writes_json(seed_processed_dir, tmp_path, capsys):
    out = tmp_path / "scores.json"
    assert main(["evaluate", str(ev.DEFAULT_GOLD), "--processed", str(seed_processed_dir), "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "overall (micro)" in printed and f"data/raw/{SEEDS['002']}.txt" in printed
    numbers = json.loads(out.read_text(encoding="utf-8"))
    assert set(numbers["overall"]["tables"]) == set(ev.TABLES)
    assert numbers["documents"][f"data/raw/{SEEDS['000']}.txt"]["tables"]["sections"]["recall"] == 1.0


def test_evaluate_build_copies_the_gold_files_and_builds_them(tmp_path, capsys):
    gold = tmp_path / "gold.yaml"
    gold.write_text(yaml.safe_dump({"seeds": {f"data/raw/{SEEDS['004']}.txt": {"events": [
        {"year": 2026, "year_end": 2030, "quote": "国家“十五五”规划纲要"}]}}}, allow_unicode=True), encoding="utf-8")
    work = tmp_path / "build"
    assert main(["evaluate", str(gold), "--build", str(work)]) == 0
    assert (work / "raw" / f"{SEEDS['004']}.txt").read_bytes() == (RAW_DIR / f"{SEEDS['004']}.txt").read_bytes()
    assert (work / "processed" / "documents.parquet").exists()
    assert "events" in capsys.readouterr().out
    assert main(["evaluate", str(gold), "--build", str(work)]) == 0  # its own folder may be reused
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "keep.txt").write_text("not ours", encoding="utf-8")
    assert main(["evaluate", str(gold), "--build", str(tmp_path / "other")]) == 2  # a folder that is not ours
    assert "not empty" in capsys.readouterr().err
