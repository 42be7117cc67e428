"""Errors the user sees: each carries a reason code and a message in Chinese and English.

The CLI and the app both print `message(lang)`; no traceback ever reaches an editor.
"""

from __future__ import annotations

import zipfile
import zlib

# What reading a damaged zip (a bundle, a .docx) raises: a wrong CRC or size ("Bad CRC-32",
# "Truncated …"), a broken deflate stream, an unknown compression method, an encrypted member.
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError, NotImplementedError, RuntimeError)

MESSAGES: dict[str, tuple[str, str]] = {
    "empty": ("文件为空，没有可处理的文字。", "The file is empty: there is no text to process."),
    "binary": (
        "文件不是可识别的文本（可能是二进制文件被命名为 .txt），无法读取。",
        "The file is not readable text (perhaps a binary file named .txt).",
    ),
    "unsupported_type": (
        "不支持的文件类型 {suffix}；请上传 .txt、.md、.pdf 或 .docx 全文，或 NoteExpress、EndNote、RefWorks、Web of Science 导出文件及 .csv、.xlsx 题录表。",
        "Unsupported file type {suffix}; upload .txt, .md, .pdf or .docx full texts, or NoteExpress, EndNote, RefWorks "
        "or Web of Science exports and .csv or .xlsx record tables.",
    ),
    "too_large": (
        "文件过大（{size_mb} MB），超过上限 {limit_mb} MB。",
        "The file is too large ({size_mb} MB); the limit is {limit_mb} MB.",
    ),
    "no_text": (
        "处理后没有留下正文文字。",
        "No body text is left after processing.",
    ),
    "duplicate": (
        "内容与已有文件完全相同，已跳过（只保留一份）。",
        "Same content as a file already in the corpus: skipped (kept once).",
    ),
    "unreadable": ("无法读取文件：{detail}", "Could not read the file: {detail}"),
    # PDF and Word files (corpus/formats)
    "needs_ocr": (
        "需要先做文字识别（OCR）：这个 PDF 没有文字层（可能是扫描件，共 {pages} 页），请先用 OCR 软件处理后再上传。",
        "This PDF needs OCR first: it has no text layer (probably scanned, {pages} pages). "
        "Run it through OCR software and upload the result.",
    ),
    "pdf_garbled": (
        "这个 PDF 的文字层无法解码（字体缺少编码表，提取出的是乱码），请先做文字识别（OCR）再上传。",
        "This PDF's text layer cannot be decoded (its fonts lack a Unicode map); run OCR first and upload the result.",
    ),
    "encrypted": (
        "这个 PDF 已加密，需要密码才能打开；请先在 PDF 阅读器中去除密码后再上传。",
        "This PDF is encrypted and needs a password; remove the password in a PDF reader and upload it again.",
    ),
    "corrupt_pdf": (
        "PDF 文件已损坏或不完整，无法打开（可以尝试重新下载或另存一份）。",
        "The PDF is damaged or incomplete and cannot be opened (try downloading or saving it again).",
    ),
    "corrupt_docx": (
        "Word 文件（.docx）已损坏或不是有效的 .docx，无法打开（可以在 Word 或 WPS 中打开后另存为 .docx）。",
        "The Word file is damaged or not a valid .docx (open it in Word or WPS and save it as .docx again).",
    ),
    "legacy_doc": (
        "这是旧版 Word 文件（.doc），无法直接读取；请在 Word 或 WPS 中另存为 .docx 后再上传。",
        "This is a legacy Word file (.doc); save it as .docx in Word or WPS and upload that.",
    ),
    "unpacked_too_large": (
        "文件解压后过大（{size_mb} MB，上限 {limit_mb} MB），可能是损坏或恶意构造的文件。",
        "The file unpacks to {size_mb} MB (limit {limit_mb} MB); it may be damaged or malicious.",
    ),
    "docx_xml_too_large": (
        "Word 文件的正文 XML 解压后过大（{size_mb} MB，上限 {limit_mb} MB；300 页的书通常不到 10 MB），"
        "可能是损坏或恶意构造的文件。",
        "The Word file's text XML unpacks to {size_mb} MB (limit {limit_mb} MB; a 300-page book stays under 10 MB); "
        "it may be damaged or malicious.",
    ),
    # What any input becomes (corpus/ingest, corpus/build)
    "too_many_chars": (
        "文件提取出的文字过多（{chars} 个字符，上限 {limit} 个），可能是损坏或恶意构造的文件；如内容确实如此，请拆分成几个文件。",
        "The file yields too much text ({chars} characters; the limit is {limit}); it may be damaged or malicious. "
        "If it is genuine, split it into several files.",
    ),
    "too_many_paragraphs": (
        "文件的段落过多（{paragraphs} 段，上限 {limit} 段），可能是损坏或恶意构造的文件；如内容确实如此，请拆分成几个文件。",
        "The file has too many paragraphs ({paragraphs}; the limit is {limit}); it may be damaged or malicious. "
        "If it is genuine, split it into several files.",
    ),
    # Metadata sidecars (corpus/metadata): the document is still processed, with the sidecar's valid fields
    "bad_sidecar": (
        "元数据文件（.meta.yaml）格式有误，已忽略：{detail}",
        "The metadata file (.meta.yaml) is not valid and was ignored: {detail}",
    ),
    "sidecar_bad_field": (
        "字段 {field} 应为{expected}，实际为 “{value}”；这个字段已忽略，其余字段照常使用。",
        "Field {field} should be {expected}, but it is “{value}”; this field was ignored, the others were used.",
    ),
    "sidecar_aliases": (
        "元数据文件使用了 YAML 锚点或别名（& 或 *），不予读取（几百字节就能展开成耗尽内存的内容）；"
        "整个元数据文件已忽略，对应的文件照常处理。",
        "The metadata file uses YAML anchors or aliases (& or *), which are refused (a few hundred bytes can expand "
        "until memory runs out); the whole metadata file was ignored, its document is processed as usual.",
    ),
    "sidecar_too_large": (
        "元数据文件过大（{size_kb} KB，上限 {limit_kb} KB），整个元数据文件已忽略。",
        "The metadata file is too large ({size_kb} KB; the limit is {limit_kb} KB); the whole file was ignored.",
    ),
    "sidecar_too_deep": (
        "元数据文件嵌套过深（超过 {limit} 层），整个元数据文件已忽略。",
        "The metadata file is nested too deeply (more than {limit} levels); the whole file was ignored.",
    ),
    "sidecar_orphan": (
        "没有找到与之对应的文件（{expected}），这个元数据文件没有用上；请把它与对应的文件放在一起，命名为 <文件名>.meta.yaml。",
        "There is no file it belongs to ({expected}); this metadata file was not used. Keep it together with its "
        "file, named <file name>.meta.yaml.",
    ),
    # Uploads (corpus/intake)
    "processing_failed": (
        "处理这个文件时程序出错（{detail}），其余文件不受影响；请把文件发给维护者。",
        "The program failed on this file ({detail}); the other files are unaffected. Please send the file to "
        "the maintainers.",
    ),
    # Literature-database exports (corpus/exports)
    "not_an_export": (
        "这个表格或文件不是可识别的文献导出格式（NoteExpress、EndNote、RefWorks、Web of Science/CiteSpace，或表头含题名/作者/摘要等列的表格）。",
        "This is not a recognised literature export (NoteExpress, EndNote, RefWorks, Web of Science/CiteSpace, "
        "or a spreadsheet whose header names title/author/abstract columns).",
    ),
    "duplicate_record": (
        "与 {other} 是同一篇文献（DOI 相同，或题名、第一作者和年份相同），只保留一条。",
        "The same paper as {other} (same DOI, or same title, first author and year): kept once.",
    ),
    "record_replaced": (
        "是题录 {record} 的全文：以全文替换该题录的文本，保留题录的元数据。",
        "is the full text of record {record}: it replaces the record's text and keeps the record's metadata.",
    ),
    "empty_export": (
        "导出文件中没有含题名或摘要的记录。",
        "The export has no record with a title or an abstract.",
    ),
    # Shared corpus zips (corpus/bundle)
    "bundle_not_zip": (
        "上传的不是语料包（.zip），或压缩包已损坏。",
        "This is not a corpus bundle (.zip), or the zip file is damaged.",
    ),
    "bundle_too_large": (
        "语料包过大或解压后过大（{size_mb} MB，上限 {limit_mb} MB）。",
        "The corpus bundle is too large, packed or unpacked ({size_mb} MB; limit {limit_mb} MB).",
    ),
    "bundle_too_many_files": (
        "语料包中的文件过多（{count} 个，上限 {limit} 个）。",
        "The corpus bundle holds too many files ({count}; the limit is {limit}).",
    ),
    "bundle_damaged": (
        "语料包已损坏：{member} 无法解压（压缩包的文件头或校验和不对，可能是下载不完整）。请重新下载，或请同事重新导出。",
        "The corpus bundle is damaged: {member} cannot be unpacked (its zip header or checksum is wrong, perhaps an "
        "incomplete download). Download it again or ask your colleague to export it again.",
    ),
    "bundle_table_too_large": (
        "语料包中的表 {member} 过大（{amount}，上限 {limit}），可能是损坏或恶意构造的语料包。",
        "Table {member} in the bundle is too large ({amount}; the limit is {limit}); the bundle may be damaged or "
        "malicious.",
    ),
    "bundle_rebuild_too_large": (
        "这个语料包来自另一版本的处理程序，需要根据其中的原始文件重新构建，但原始文件共 {size_mb} MB，超过在网页中重建的上限"
        " {limit_mb} MB。请同事用当前版本运行 `python -m corpus build` 重新构建，再导出语料包。",
        "This bundle comes from another pipeline version and would have to be rebuilt from its raw files, but they "
        "total {size_mb} MB, above the {limit_mb} MB a rebuild in the app may take. Ask your colleague to rebuild it "
        "with the current version (`python -m corpus build`) and export the bundle again.",
    ),
    "bundle_unsafe_path": (
        "语料包中含有不安全的文件路径（{member}），已拒绝整个语料包。",
        "The bundle contains an unsafe file path ({member}); the whole bundle was refused.",
    ),
    "bundle_missing": (
        "语料包不完整：缺少 {member}。",
        "The corpus bundle is incomplete: {member} is missing.",
    ),
    "bundle_bad_table": (
        "语料包中的表 {member} 有误，无法使用（{detail}）。",
        "Table {member} in the bundle is not usable ({detail}).",
    ),
}


class InputError(Exception):
    """A file that cannot be processed, for a reason the editor can act on."""

    def __init__(self, code: str, **params: str) -> None:
        self.code = code
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str = "zh") -> str:
        """The message in `lang`; a parameter `<name>_en` is the English wording of `<name>`."""
        zh, en = MESSAGES.get(self.code, MESSAGES["unreadable"])
        template, params = zh, self.params
        if lang != "zh":
            template, params = en, {k: self.params.get(f"{k}_en", v) for k, v in self.params.items()}
        try:
            return template.format(**params)
        except KeyError:
            return template
