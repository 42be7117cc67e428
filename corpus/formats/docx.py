"""Word (.docx) → text with python-docx, in the conventions `clean.py` understands.

- Headings come from paragraph styles, never from guessing: the Title style (`Title`, `标题`)
  becomes `# title`, `Heading N` / `标题 N` (or a style with outline level N) becomes N+1 `#`
  marks. corpus/frontmatter.py takes the first `#` line as the title, and structure.py
  counts section levels from the shallowest heading, so `##` sections sit at level 1.
- Normal paragraphs are one line each (a soft line break starts a new line).
- Tables are skipped: the schema keeps tables out of `paragraphs`, and a line stream gives
  clean.py no reliable way to tell a table's cells from short body lines. The raw .docx is
  kept, so nothing is lost.
- Footnotes and endnotes are read from the package's notes parts (`word/footnotes.xml`,
  `word/endnotes.xml`; python-docx has no API for them). Each note call in the text becomes
  `[n]`, numbered in reading order, and the notes follow under a `注释` heading as `[n] text`
  lines, which corpus/lines.py files as references and structure.py links to the calls.
- Text boxes, drawings, deleted revisions and field instructions are skipped (floats, not the
  body's reading flow); a table of contents (a TOC content control) is skipped too.
"""

from __future__ import annotations

import io
import re
import zipfile

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

from corpus.errors import ZIP_ERRORS, InputError
from corpus.textutil import join_lines

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # a .docx is a zip: refuse bombs before python-docx inflates it
# The XML python-docx parses (document, notes, styles, …: every part declared as XML), unpacked. Measured
# here: python-docx plus this module take ~0.1 s and ~14 MB of memory per MB of document.xml (31 MB:
# 3.1 s, 440 MB peak), and a 300-page book's document.xml is 5–10 MB; 32 MB is beyond any real
# document and still fast. (A 571 KB file unpacking to 150 MB of XML took 385 s and 4.2 GB.)
MAX_XML_BYTES = 32 * 1024 * 1024
NOTES_HEADING = "注释"
HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.I)
TITLE_STYLE = re.compile(r"^(?:title|标题)$", re.I)

# Subtrees that are not part of the reading flow.
_SKIP = {W + "del", W + "delText", W + "instrText", W + "drawing", W + "pict", W + "object", MC + "AlternateContent",
         W + "pPr", W + "rPr", W + "sdtPr", W + "footnoteRef", W + "endnoteRef", W + "commentReference"}
_NOTE_CALLS = {W + "footnoteReference": "footnote", W + "endnoteReference": "endnote"}
_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True)


def docx_text(data: bytes) -> str:
    """A .docx file's bytes → text; raises InputError `corrupt_docx` or `unpacked_too_large`."""
    _check_package(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises zip, XML, key and value errors for broken packages
        raise InputError("corrupt_docx") from exc
    notes = {kind: _read_notes(document, reltype, kind)
             for kind, reltype in (("footnote", RT.FOOTNOTES), ("endnote", RT.ENDNOTES))}
    numbering: dict[tuple[str, str], int] = {}  # (kind, note id) → printed number, in reading order

    def call(kind: str, note_id: str) -> str:
        if note_id not in notes[kind]:
            return ""
        number = numbering.setdefault((kind, note_id), len(numbering) + 1)
        return f"[{number}]"

    levels = _style_levels(document)
    lines: list[str] = []
    for element in _body_paragraphs(document.element.body):
        level = _paragraph_level(element, levels)
        if level is None:
            lines.extend(_split(_text(element, call)))
        else:
            heading = " ".join(_split(_text(element, None)))
            if heading:
                lines.append("#" * (level + 1) + " " + heading)
    for kind in ("footnote", "endnote"):  # notes never called in the text still count
        for note_id in notes[kind]:
            numbering.setdefault((kind, note_id), len(numbering) + 1)
    if numbering:
        lines.append(NOTES_HEADING)
        for (kind, note_id), number in sorted(numbering.items(), key=lambda item: item[1]):
            text = notes[kind][note_id]
            if text:
                lines.append(f"[{number}] {text}")
    return "\n".join(lines)


def _check_package(data: bytes) -> None:
    """Refuse a damaged package or one that unpacks too far, before python-docx inflates anything."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
            if "word/document.xml" not in {m.filename for m in members}:
                raise InputError("corrupt_docx")
            unpacked = sum(m.file_size for m in members)
            if unpacked > MAX_UNPACKED_BYTES:
                raise InputError("unpacked_too_large", size_mb=f"{unpacked / 2**20:.0f}",
                                 limit_mb=f"{MAX_UNPACKED_BYTES / 2**20:.0f}")
            xml = _xml_members(package, members)
            declared = sum(m.file_size for m in xml)
            if declared > MAX_XML_BYTES:
                raise _xml_too_large(declared)
            total = 0
            for member in xml:  # the headers' sizes may lie: read them, never more than the allowance
                with package.open(member) as body:
                    total += len(body.read(MAX_XML_BYTES - total + 1))
                if total > MAX_XML_BYTES:
                    raise _xml_too_large(total)
    except ZIP_ERRORS as exc:
        raise InputError("corrupt_docx") from exc


def _xml_too_large(size: int) -> InputError:
    return InputError("docx_xml_too_large", size_mb=f"{size / 2**20:.0f}", limit_mb=f"{MAX_XML_BYTES / 2**20:.0f}")


def _xml_members(package: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
    """The members python-docx parses as XML: `[Content_Types].xml` and every part it declares as XML
    (by part name or by extension, case-insensitively, as python-docx looks them up)."""
    types_member = next((m for m in members if m.filename == "[Content_Types].xml"), None)
    if types_member is None:
        raise InputError("corrupt_docx")
    with package.open(types_member) as body:
        types_xml = body.read(MAX_XML_BYTES + 1)
    if len(types_xml) > MAX_XML_BYTES:
        raise _xml_too_large(len(types_xml))
    try:
        root = etree.fromstring(types_xml, _SAFE_XML)
    except etree.XMLSyntaxError as exc:
        raise InputError("corrupt_docx") from exc
    by_extension, by_name = {}, {}
    for element in root:
        tag = etree.QName(element).localname if isinstance(element.tag, str) else ""
        if tag == "Default":
            by_extension[element.get("Extension", "").lower()] = element.get("ContentType", "")
        elif tag == "Override":
            by_name[element.get("PartName", "").lower()] = element.get("ContentType", "")
    xml = [types_member]
    for member in members:
        name = member.filename.lower()
        content_type = by_name.get("/" + name) or by_extension.get(name.rsplit(".", 1)[-1], "")
        if member is not types_member and not member.is_dir() and content_type.lower().endswith("xml"):
            xml.append(member)
    return xml


def _style_levels(document) -> dict[str, int]:
    """styleId → 0 for the title style, N for a heading of level N (by name or outline level)."""
    levels: dict[str, int] = {}
    for style in document.styles:
        level, current, depth = None, style, 0
        while current is not None and level is None and depth < 10:  # a custom style may inherit its level
            depth += 1  # (a damaged file may chain styles in a circle)
            name = current.name or ""
            if TITLE_STYLE.match(name):
                level = 0
            elif HEADING_STYLE.match(name):
                level = int(HEADING_STYLE.match(name).group(1))
            else:
                level = _outline_level(current.element)
            current = getattr(current, "base_style", None)
        if level is not None:
            levels[style.style_id] = level
    return levels


def _outline_level(element) -> int | None:
    """w:outlineLvl 0–8 marks a heading of level 1–9; 9 means body text."""
    found = element.find(f"{W}pPr/{W}outlineLvl")
    if found is None:
        return None
    value = int(found.get(f"{W}val", "9"))
    return value + 1 if value < 9 else None


def _paragraph_level(element, levels: dict[str, int]) -> int | None:
    own = _outline_level(element)
    if own is not None:
        return own
    style_id = element.style  # w:pPr/w:pStyle/@w:val; None means the default (body) style
    return levels.get(style_id) if style_id else None


def _body_paragraphs(container):
    """The body's paragraphs in reading order; tables and a table of contents are skipped."""
    for child in container:
        if child.tag == W + "p":
            yield child
        elif child.tag == W + "sdt":
            gallery = child.find(f"{W}sdtPr/{W}docPartObj/{W}docPartGallery")
            if gallery is not None and "Contents" in gallery.get(f"{W}val", ""):
                continue
            content = child.find(W + "sdtContent")
            if content is not None:
                yield from _body_paragraphs(content)


def _text(element, call) -> str:
    """A paragraph's visible text; note references become `call(kind, id)` (or vanish when None)."""
    parts: list[str] = []

    def walk(node) -> None:
        for child in node:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag in (W + "t", M + "t"):
                parts.append(child.text or "")
            elif tag in (W + "tab", W + "ptab"):
                parts.append(" ")
            elif tag in (W + "br", W + "cr"):
                parts.append("\n")
            elif tag == W + "noBreakHyphen":
                parts.append("-")
            elif tag in _NOTE_CALLS:
                if call is not None:
                    parts.append(call(_NOTE_CALLS[tag], child.get(W + "id", "")))
            else:
                walk(child)

    walk(element)
    return "".join(parts)


def _split(text: str) -> list[str]:
    # Leading spaces (a typed 　　 indent) must go: corpus/lines.py reads a leading space as a page start.
    return [line.strip() for line in text.split("\n") if line.strip()]


def _read_notes(document, reltype: str, kind: str) -> dict[str, str]:
    """note id → its text, for the real notes (not the separator pseudo-notes) of one notes part."""
    part = next((rel.target_part for rel in document.part.rels.values()
                 if rel.reltype == reltype and not rel.is_external), None)
    if part is None:
        return {}
    try:
        root = part.element if hasattr(part, "element") else etree.fromstring(part.blob, _SAFE_XML)
    except etree.XMLSyntaxError as exc:
        raise InputError("corrupt_docx") from exc
    notes: dict[str, str] = {}
    for note in root.iter(W + kind):
        if note.get(W + "type") not in (None, "normal"):
            continue
        text = ""
        for paragraph in note.iter(W + "p"):
            for line in _split(_text(paragraph, None)):
                text = join_lines(text, line)
        notes[note.get(W + "id", "")] = text
    return notes
