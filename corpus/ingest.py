"""Ingest: raw bytes → normalised Unicode text.

Detects the encoding (UTF-8, UTF-8 with BOM, UTF-16 with or without BOM, GB18030), normalises
line endings, turns code-point escapes left by a scraper (the literal text `<U+00A0>`) back into
their characters, drops zero-width characters, and maps CJK radicals (Kangxi U+2F00–2FD5,
supplement U+2E80–2EFF) to the unified ideographs character by character. NFKC is never applied
to the whole text: it would also rewrite full-width punctuation that Chinese typography relies on.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from corpus.errors import InputError
from corpus.textutil import SENTINEL

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
DOCUMENT_SUFFIXES = {".pdf", ".docx"}  # read by corpus.formats into text first
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | DOCUMENT_SUFFIXES
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
# Characters per document, checked right after decoding or extraction, before any other stage. The
# largest real documents in ../shared/devset have ~150,000 (government work reports 2003–2010, a
# 307-record CNKI export), the generated benchmark papers ~6,500; 5 million still processes in ~30 s
# and ~540 MB here (measured), far more is a bomb or a file that should be split.
MAX_DOCUMENT_CHARS = 5_000_000

# Radicals whose NFKC mapping is not a unified ideograph (the supplement block has few
# compatibility decompositions); the common ones seen in PDF extractions are listed here.
_RADICAL_SUPPLEMENT = {
    "\u2e84": "乙", "\u2e85": "亻", "\u2e86": "冂", "\u2e87": "几", "\u2e88": "刀",
    "\u2e89": "刂", "\u2e8a": "卜", "\u2e8b": "㔾", "\u2e8c": "小", "\u2e8d": "小",
    "\u2e8e": "兀", "\u2e8f": "尣", "\u2e90": "尢", "\u2e91": "尣", "\u2e92": "巳",
    "\u2e93": "幺", "\u2e94": "彑", "\u2e95": "彐", "\u2e96": "忄", "\u2e97": "心",
    "\u2e98": "扌", "\u2e99": "攵", "\u2e9b": "旡", "\u2e9c": "日", "\u2e9d": "月",
    "\u2e9e": "歺", "\u2e9f": "母", "\u2ea0": "民", "\u2ea1": "氵", "\u2ea2": "氺",
    "\u2ea3": "灬", "\u2ea4": "爫", "\u2ea5": "爫", "\u2ea6": "丬", "\u2ea7": "牛",
    "\u2ea8": "犭", "\u2ea9": "王", "\u2eaa": "疋", "\u2eab": "目", "\u2eac": "示",
    "\u2ead": "礻", "\u2eae": "竹", "\u2eaf": "糹", "\u2eb0": "纟", "\u2eb1": "罒",
    "\u2eb2": "罒", "\u2eb3": "罒", "\u2eb4": "罒", "\u2eb5": "罒", "\u2eb6": "羊",
    "\u2eb7": "羊", "\u2eb8": "羊", "\u2eb9": "老", "\u2eba": "肀", "\u2ebb": "肀",
    "\u2ebc": "月", "\u2ebd": "臼", "\u2ebe": "艹", "\u2ebf": "艹", "\u2ec0": "艹",
    "\u2ec1": "虎", "\u2ec2": "衤", "\u2ec3": "覀", "\u2ec4": "西", "\u2ec5": "见",
    "\u2ec6": "角", "\u2ec7": "角", "\u2ec8": "讠", "\u2ec9": "贝", "\u2eca": "足",
    "\u2ecb": "车", "\u2ecc": "辶", "\u2ecd": "辶", "\u2ece": "辶", "\u2ecf": "阝",
    "\u2ed0": "钅", "\u2ed1": "长", "\u2ed2": "长", "\u2ed3": "长", "\u2ed4": "门",
    "\u2ed5": "阝", "\u2ed6": "阝", "\u2ed7": "雨", "\u2ed8": "青", "\u2ed9": "韦",
    "\u2eda": "页", "\u2edb": "风", "\u2edc": "飞", "\u2edd": "食", "\u2ede": "饣",
    "\u2edf": "饣", "\u2ee0": "饣", "\u2ee1": "首", "\u2ee2": "马", "\u2ee3": "骨",
    "\u2ee4": "鬼", "\u2ee5": "鱼", "\u2ee6": "鸟", "\u2ee7": "卤", "\u2ee8": "麦",
    "\u2ee9": "黄", "\u2eea": "黾", "\u2eeb": "斉", "\u2eec": "齐", "\u2eed": "歯",
    "\u2eee": "齿", "\u2eef": "竜", "\u2ef0": "龙", "\u2ef1": "龜", "\u2ef2": "亀",
    "\u2ef3": "龟",
}


@dataclass(frozen=True)
class IngestedText:
    text: str
    encoding: str


def map_radical(char: str) -> str:
    """One character: a CJK radical becomes its unified ideograph; anything else is unchanged."""
    code = ord(char)
    if 0x2F00 <= code <= 0x2FD5:
        return unicodedata.normalize("NFKC", char)
    if 0x2E80 <= code <= 0x2EFF:
        return _RADICAL_SUPPLEMENT.get(char, char)
    return char


def normalise_radicals(text: str) -> str:
    if not any(0x2E80 <= ord(ch) <= 0x2FD5 for ch in text):
        return text
    return "".join(map_radical(ch) for ch in text)


def decode(data: bytes) -> IngestedText:
    """Decode raw bytes, trying the encodings Chinese sources actually come in."""
    if not data.strip():
        raise InputError("empty")
    if data.startswith(b"\xef\xbb\xbf"):
        return IngestedText(data[3:].decode("utf-8"), "utf-8-sig")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return IngestedText(data.decode("utf-16"), "utf-16")
    utf16 = _guess_bomless_utf16(data)
    if utf16:
        return IngestedText(data.decode(utf16), utf16)
    if b"\x00" in data[:4096]:
        raise InputError("binary")
    try:
        return IngestedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise InputError("binary") from exc
    if _looks_binary(text):
        raise InputError("binary")
    return IngestedText(text, "gb18030")


def _guess_bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM: every other byte is zero for ASCII-heavy text."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_zero = sample[0::2].count(0) / len(sample[0::2])
    odd_zero = sample[1::2].count(0) / len(sample[1::2])
    if odd_zero > 0.3 and even_zero < 0.05:
        return "utf-16-le"
    if even_zero > 0.3 and odd_zero < 0.05:
        return "utf-16-be"
    return None


def _looks_binary(text: str) -> bool:
    """GB18030 decodes almost any byte string; real text has few control characters."""
    sample = text[:20000]
    if not sample:
        return True
    controls = sum(1 for ch in sample if unicodedata.category(ch) in ("Cc", "Co", "Cn") and ch not in "\n\r\t\f")
    return controls / len(sample) > 0.01


# `<U+00A0>`: how R's writers print a character they cannot encode (the government work reports of
# ../shared/devset carry thousands); read back as the character it names.
CODE_POINT_ESCAPE = re.compile(r"<U\+([0-9A-Fa-f]{4,6})>")
ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060]")


def _unescape_code_point(m: re.Match) -> str:
    code = int(m.group(1), 16)
    return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else m.group(0)


def normalise(text: str) -> str:
    text = CODE_POINT_ESCAPE.sub(_unescape_code_point, text)
    text = ZERO_WIDTH.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = text.replace("\ufeff", "").replace("\x0c", "\n").replace("\u00a0", " ").replace("\u3000", " ")
    # U+E000 marks removed citation markers while paragraphs are joined (textutil.SENTINEL); a source
    # that carries it (a private-use glyph in CNKI abstracts) shows it as the replacement character
    text = text.replace(SENTINEL, "\ufffd")
    return normalise_radicals(text)


def check_size(size: int, max_bytes: int) -> None:
    """Refuse a file over the limit; sizes in MB of 2**20 bytes, as file managers and upload widgets show them."""
    if size > max_bytes:
        raise InputError("too_large", size_mb=f"{size / 2**20:.1f}", limit_mb=f"{max_bytes / 2**20:.0f}")


def check_chars(n_chars: int) -> None:
    """Refuse a document whose text is longer than MAX_DOCUMENT_CHARS."""
    if n_chars > MAX_DOCUMENT_CHARS:
        raise InputError("too_many_chars", chars=f"{n_chars:,}", limit=f"{MAX_DOCUMENT_CHARS:,}")


def read_bytes(data: bytes, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> IngestedText:
    """Validate and decode one file's bytes (text, PDF or Word); raises InputError with a reason code."""
    suffix = Path(name).suffix.lower()
    if suffix == ".doc":
        raise InputError("legacy_doc")
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError("unsupported_type", suffix=suffix or "—")
    check_size(len(data), max_bytes)
    if suffix in DOCUMENT_SUFFIXES:
        if not data.strip():
            raise InputError("empty")
        text = _read_document(data, suffix)
        check_chars(len(text))
        return IngestedText(normalise(text), suffix[1:])
    decoded = decode(data)
    check_chars(len(decoded.text))
    return IngestedText(normalise(decoded.text), decoded.encoding)


def _read_document(data: bytes, suffix: str) -> str:
    if suffix == ".pdf":
        from corpus.formats.pdf import pdf_text

        return pdf_text(data)
    from corpus.formats.docx import docx_text

    return docx_text(data)


def read_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> IngestedText:
    path = Path(path)
    size = path.stat().st_size
    check_size(size, max_bytes)
    return read_bytes(path.read_bytes(), path.name, max_bytes)
