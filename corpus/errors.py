"""Errors the user sees: each carries a reason code and a message in Chinese and English.

The CLI and the app both print `message(lang)`; no traceback ever reaches an editor.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "empty": ("文件为空，没有可处理的文字。", "The file is empty: there is no text to process."),
    "binary": (
        "文件不是可识别的文本（可能是二进制文件被命名为 .txt），无法读取。",
        "The file is not readable text (perhaps a binary file named .txt).",
    ),
    "unsupported_type": (
        "不支持的文件类型 {suffix}；请上传 .txt、.md、.pdf 或 .docx。",
        "Unsupported file type {suffix}; upload .txt, .md, .pdf or .docx.",
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
    # Uploads (corpus/intake)
    "bad_sidecar": (
        "元数据文件（.meta.yaml）格式有误，已忽略：{detail}",
        "The metadata file (.meta.yaml) is not valid and was ignored: {detail}",
    ),
    "processing_failed": (
        "处理这个文件时程序出错（{detail}），其余文件不受影响；请把文件发给维护者。",
        "The program failed on this file ({detail}); the other files are unaffected. Please send the file to "
        "the maintainers.",
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
    "bundle_unsafe_path": (
        "语料包中含有不安全的文件路径（{member}），已拒绝整个语料包。",
        "The bundle contains an unsafe file path ({member}); the whole bundle was refused.",
    ),
    "bundle_missing": (
        "语料包不完整：缺少 {member}。",
        "The corpus bundle is incomplete: {member} is missing.",
    ),
    "bundle_bad_table": (
        "语料包中的表 {member} 无法读取或与清单不符（{detail}）。",
        "Table {member} in the bundle cannot be read or does not match the manifest ({detail}).",
    ),
}


class InputError(Exception):
    """A file that cannot be processed, for a reason the editor can act on."""

    def __init__(self, code: str, **params: str) -> None:
        self.code = code
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str = "zh") -> str:
        zh, en = MESSAGES.get(self.code, MESSAGES["unreadable"])
        template = zh if lang == "zh" else en
        try:
            return template.format(**self.params)
        except KeyError:
            return template
