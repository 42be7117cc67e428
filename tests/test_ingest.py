"""Ingest: encodings, line endings, radicals, and the input errors an editor can act on."""

import pytest

from corpus.errors import InputError
from corpus.ingest import decode, normalise, read_bytes
from tests.conftest import seed_lines

FRAGMENT = seed_lines("000", 43, 47)  # 1956 年，达特茅斯会议正式提出“人工智能”…


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le", "utf-16-be"])
def test_every_supported_encoding_gives_the_same_text(encoding):
    result = read_bytes(FRAGMENT.encode(encoding), "paper.txt")
    assert result.text == normalise(FRAGMENT)
    assert "达特茅斯会议" in result.text


def test_crlf_and_cr_line_endings_become_newlines():
    text = read_bytes(FRAGMENT.replace("\n", "\r\n").encode(), "a.txt").text
    assert "\r" not in text and text.count("\n") == FRAGMENT.count("\n")


def test_kangxi_radicals_map_to_ideographs_but_fullwidth_punctuation_survives():
    # pypdf-style output: ⼈⼯智能 uses Kangxi radicals U+2F08 U+2F2F
    text = read_bytes("⼈⼯智能，⽣成式⼈⼯智能（AI）".encode(), "a.md").text
    assert text == "人工智能，生成式人工智能（AI）"


def test_empty_file_is_refused_with_a_chinese_message():
    with pytest.raises(InputError) as err:
        read_bytes(b"  \n\n ", "empty.txt")
    assert err.value.code == "empty"
    assert "文件为空" in err.value.message("zh")


def test_binary_file_named_txt_is_refused():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    with pytest.raises(InputError) as err:
        read_bytes(png, "picture.txt")
    assert err.value.code == "binary"


def test_oversized_file_is_refused_before_decoding():
    with pytest.raises(InputError) as err:
        read_bytes(FRAGMENT.encode() * 10, "big.txt", max_bytes=100)
    assert err.value.code == "too_large"
    assert "MB" in err.value.message("zh")


def test_unsupported_suffix_names_the_suffix():
    with pytest.raises(InputError) as err:
        read_bytes(b"x", "notes.rtf")
    assert ".rtf" in err.value.message("zh")


def test_gb18030_is_detected():
    assert decode("新质生产力".encode("gb18030")).encoding == "gb18030"
