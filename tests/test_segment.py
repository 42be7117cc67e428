"""Segmentation on sentences cut from the seed papers: domain terms stay whole, tags line up."""

from __future__ import annotations

import shutil
from pathlib import Path

import jieba
import pytest

from corpus.lexicon import DEFAULT_LEXICON_DIR
from corpus.segment import Segmenter, get_segmenter, load_stopwords

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"


def raw_passage(prefix: str, marker: str, n_lines: int = 3) -> str:
    """`n_lines` consecutive non-blank raw lines from the one containing `marker`, re-joined
    (the PDF's hard line breaks cut words in two)."""
    path = next(RAW.glob(f"{prefix}_*.txt"))
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if marker in line)
    return "".join(lines[start : start + n_lines])


@pytest.fixture(scope="module")
def segmenter() -> Segmenter:
    return get_segmenter()


@pytest.fixture(scope="module")
def plain() -> Segmenter:
    """jieba with no domain dictionary, to show what the dictionary changes."""
    return Segmenter()


SEED_TERMS = [
    ("000", "以科技创新为关键核心的新质生产力", "新质生产力"),
    ("001", "随着生成式人工智能", "生成式人工智能"),
    ("002", "中国依托新型举国体制", "新型举国体制"),
    ("002", "开展‘人工智能+’行动", "人工智能+"),
    ("002", "府工作报告强调推进“人工智能+”行动", "人工智能+"),
    ("002", "形成超大规模市场优势的数据要素重组", "数据要素"),
    ("002", "形成超大规模市场优势的数据要素重组", "超大规模市场"),
]


@pytest.mark.parametrize(("doc", "marker", "term"), SEED_TERMS)
def test_domain_terms_are_single_tokens(segmenter, plain, doc, marker, term):
    text = raw_passage(doc, marker)
    assert term in text
    assert term in segmenter.tokens(text)[0]
    assert term not in plain.tokens(text)[0], "the dictionary should be what keeps it whole"


def test_pos_is_parallel_and_punctuation_dropped(segmenter):
    text = raw_passage("002", "自 2022 年 OpenAI 发布ChatGPT", 3)
    tokens, tags = segmenter.tokens(text)
    assert len(tokens) == len(tags) > 10
    assert all(tags)
    assert not {"，", "、", "“", "”", "（", "）", " "} & set(tokens)
    tag_of = dict(zip(tokens, tags, strict=True))
    assert tag_of["ChatGPT"] == "eng"
    assert tag_of["2022"] == "m"
    assert tag_of["大模型"] == "n"  # from the domain dictionary
    assert tag_of["人工智能"] == "n"  # from jieba's own dictionary


def test_mechanism_names_come_out_as_a_clean_pair(segmenter):
    text = raw_passage("001", "人工智能通过资源结构化机制、资源重组机制", 2)
    tokens = segmenter.tokens(text)[0]
    for name in ("资源结构化", "资源重组", "资源利用"):
        i = tokens.index(name)
        assert tokens[i + 1] == "机制"


def test_word_added_to_lexicon_file_changes_segmentation(tmp_path, segmenter):
    text = raw_passage("000", "多维价值意蕴", 1)
    assert "价值意蕴" not in segmenter.tokens(text)[0]

    lexicon = tmp_path / "lexicon"
    shutil.copytree(DEFAULT_LEXICON_DIR, lexicon)
    with open(lexicon / "userdict.txt", "a", encoding="utf-8") as fh:
        fh.write("\n价值意蕴 n\n")
    edited = get_segmenter(lexicon)
    tokens, tags = edited.tokens(text)
    assert "价值意蕴" in tokens
    assert tags[tokens.index("价值意蕴")] == "n"
    assert get_segmenter(lexicon) is edited  # cached while the file is unchanged


def test_add_words_in_process(segmenter):
    text = raw_passage("000", "多维价值意蕴", 1)
    session = segmenter.with_extra(["价值意蕴"])
    assert "价值意蕴" in session.tokens(text)[0]
    assert "价值意蕴" not in segmenter.tokens(text)[0], "the shared segmenter must not change"

    own = session.with_extra([])
    own.add_words(["多维价值意蕴"])
    assert "多维价值意蕴" in own.tokens(text)[0]
    assert "多维价值意蕴" not in session.tokens(text)[0]


def test_global_jieba_is_left_alone(segmenter):
    segmenter.with_extra(["价值意蕴"])
    assert "新质生产力" not in jieba.dt.FREQ
    assert "价值意蕴" not in jieba.dt.FREQ


def test_get_segmenter_shares_one_instance_per_dictionary():
    assert get_segmenter() is get_segmenter(DEFAULT_LEXICON_DIR)


def test_stopwords_cover_function_and_domain_words_not_topics():
    stopwords = load_stopwords()
    assert {"的", "以及", "本文", "研究", "一是"} <= stopwords
    assert not {"人工智能", "新质生产力", "数据要素", "新型举国体制"} & stopwords


def test_words_the_hmm_invents_get_cheap_tags(segmenter):
    text = raw_passage("001", "为集团和小米集团为例", 1)
    tag_of = dict(zip(*segmenter.tokens(text), strict=True))
    assert tag_of["小米集团"] == "nt"  # dictionary word
    assert tag_of["为例"] == "x"  # HMM glued 为+例: not a term candidate
    names = raw_passage("000", "于凤霞", 1)
    assert dict(zip(*segmenter.tokens(names), strict=True)).get("于凤霞") == "n"  # unknown name: noun-like
