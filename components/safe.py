"""Corpus text, metadata, file names and URL values are data: one escaping helper per sink.

- `md(value)` for every Streamlit call that renders Markdown: st.markdown, st.caption,
  st.subheader/title, st.info/warning/error/success, st.toast, widget labels and progress text.
  Markdown would turn `[登录](https://…)` into a live link, `![](https://…)` into an outside
  image, a bare `https://…` or `www.…` into an autolink, `$…$` into math and `:red[…]` into
  colour. Every ASCII punctuation character may be backslash-escaped in CommonMark, so escaping
  all of them leaves the text as typed and gives the parser nothing to act on; autolinks need
  one more step (see WORD_JOINER).
- `html_text(value)` for st.html: `html.escape` with quotes, so data can sit in text and in
  attribute values (ids, titles) of markup that is ours.
"""

from __future__ import annotations

import html
import re

# All ASCII punctuation: CommonMark lets any of them be escaped, and GFM's autolinks (`https:`,
# `www.`, `a@b.c`), emphasis, links, math (`$`), Streamlit's `:color[…]` / `:material/…:`
# directives and HTML all start at one of them.
_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")


# GFM's autolinks are found in the text after escapes are resolved (remark-gfm): `https\:\/\/x`
# still becomes a link. An invisible WORD JOINER after `:` and `@` and inside `www.` breaks
# the patterns (`scheme://`, `www.`, `name@host`) without changing what the reader sees.
_AUTOLINK_PARTS = re.compile(r"([:@])|(?<=www)(?=\.)", re.IGNORECASE)
WORD_JOINER = "\u2060"


def md(value) -> str:
    """`value` as literal text inside Markdown (line breaks become spaces: one inline run)."""
    text = _LINE_BREAKS.sub(" ", str(value))
    text = _AUTOLINK_PARTS.sub(lambda m: (m.group(1) or "") + WORD_JOINER, text)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def html_text(value) -> str:
    """`value` as literal text inside HTML, safe in element text and in quoted attribute values."""
    return html.escape(str(value), quote=True)


def shorten(value, limit: int = 60) -> str:
    """A URL value quoted back to the user: at most `limit` characters (still to be escaped)."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
