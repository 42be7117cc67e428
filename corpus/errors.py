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
