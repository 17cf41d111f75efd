"""Text from users and ledgers made safe for the places Streamlit renders as Markdown or HTML.

Every string that comes from a user or a ledger (file, sheet, enterprise, community and person names,
and the messages built around them) goes through one of these before it reaches Streamlit:

- md(): anything Streamlit renders as Markdown: st.markdown, st.caption, st.info/warning/error/success,
  st.toast, st.write of a string, titles and headers, widget, tab, expander and metric labels, help
  tooltips, progress and spinner texts. Streamlit's Markdown renders links (in labels too), emphasis,
  inline HTML tags, LaTeX between dollars and colour directives, so an uploaded file named
  "[点此重新登录](http://…).xlsx" would otherwise show as a clickable link.
- html(): text placed inside HTML the app writes itself (st.html, st.markdown(unsafe_allow_html=True)
  blocks starting with a tag): there Markdown is not parsed, and only HTML has to be neutralised.

Plain-text places need neither: st.text, st.code, dataframe cells, selectbox and multiselect options,
text_input values and download file names. Plotly titles and labels: dashboard.charts.plot_text.
"""

from __future__ import annotations

import html as _html
import re

# Characters with a meaning anywhere in a line of (GitHub-flavoured, Streamlit-extended) Markdown: links,
# images, emphasis, code, strikethrough, inline HTML and entities, LaTeX, directives, tables; ":" and "@"
# because GFM turns a bare http://… or name@host into a link. A backslash before any ASCII punctuation
# is a literal in CommonMark, so escaping more than needed costs only a character.
ANYWHERE = frozenset("\\`*_[]()!|<>~$&{}:@")
# Characters that mean something only where a line starts: headings, list items, thematic breaks,
# setext underlines. Mid-line they are text ("批次 #3" stays as it is).
AT_START = frozenset("#+-=")
_ORDERED = re.compile(r"^(\s*\d+)([.)])")  # "1. " / "1) " would start a numbered list
_WWW = re.compile(r"(?i)(www)\.")  # GFM links a bare www.host too


def md(value: object) -> str:
    """`value` as text that Markdown shows exactly as written: specials backslash-escaped (which also
    stops inline HTML and entities), line breaks folded into spaces (no headings or lists from a
    second line). None is the empty string."""
    if value is None:
        return ""
    text = " ".join(str(value).splitlines())
    out = "".join("\\" + ch if ch in ANYWHERE else ch for ch in text)
    stripped = out.lstrip(" ")
    if stripped[:1] in AT_START:
        out = out[: len(out) - len(stripped)] + "\\" + stripped
    out = _ORDERED.sub(r"\1\\\2", out)
    return _WWW.sub(r"\1\\.", out)


def html(value: object) -> str:
    """`value` as text inside HTML: &, <, >, and both quotes escaped. None is the empty string."""
    if value is None:
        return ""
    return _html.escape(str(value), quote=True)


def md_join(values, sep: str = "、") -> str:
    """Names joined for Markdown, each escaped (the separator is the app's own)."""
    return sep.join(md(v) for v in values)
