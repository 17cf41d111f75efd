"""Page chrome shared by every page: large, high-contrast type that survives a projector."""

from __future__ import annotations

import streamlit as st

from dashboard.ui.aria import chinese_aria

CSS = """
<style>
html, body, [class*="css"] { font-family: "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", sans-serif; }
[data-testid="stMetricValue"] { font-size: 2.8rem; font-weight: 700; }
/* a long figure (65.48万元 in a quarter-width card) fits its card: the type shrinks with a narrow card (a
   card's width over 4.8 fits nine characters of 65.48万元), and anything longer still wraps, never "…" */
[data-testid="stMetric"] { container-type: inline-size; }
[data-testid="stMetricValue"] { font-size: min(2.8rem, 21cqi); }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; line-height: 1.15;
}
[data-testid="stMetricLabel"] p { font-size: 1.05rem; font-weight: 600; }
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *,
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; height: auto;
}
/* a badge's words wrap inside a narrow card instead of ending in "…" */
.stMarkdownBadge { white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  height: auto !important; max-width: 100%; }
/* a static table keeps each name on one line (a phone scrolls the table sideways rather than break 社区) */
[data-testid="stTable"] tbody td:first-child, [data-testid="stTable"] tbody td:first-child * {
  white-space: nowrap !important; }
.block-container, [data-testid="stMainBlockContainer"] { padding-top: 2.2rem; }
/* a phone: chart titles and legends smaller, so a title fits the width and clears its legend */
@media (max-width: 700px) {
  .js-plotly-plot .gtitle { font-size: 13px !important; }
  .js-plotly-plot .legendtext { font-size: 11px !important; }
}
h1 { font-size: 2.0rem !important; }
.kpi-sub { font-size: 1.0rem; color: #222; margin-top: -0.4rem; }
</style>
"""


def apply_theme() -> None:
    st.markdown(CSS, unsafe_allow_html=True)
    chinese_aria()


def uploader_css(max_mb: int, cap_mb: int | None = None) -> str:
    """Chinese words for st.file_uploader's own English ("Upload", "50MB per file • XLSX, …"), which
    Streamlit does not let us set: the English is shrunk to nothing and the Chinese drawn after it. The
    app checks a file's size and kind itself (dashboard.ui.data_widgets.refusal); the one message left to
    Streamlit, "File must be 600.0MB or smaller." for a file over its own cap (`cap_mb`,
    server.maxUploadSize), is drawn in Chinese the same way."""
    drop = '[data-testid="stFileUploaderDropzone"]'
    cap = f"{int(cap_mb)} MB" if cap_mb else "上传上限"
    return f"""
<style>
{drop} button [data-testid="stMarkdownContainer"] p {{ font-size: 0; }}
{drop} button [data-testid="stMarkdownContainer"] p::after {{ content: "选择文件"; font-size: 1rem; }}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  content: "或把文件拖到这里 · 每个不超过 {int(max_mb)}MB · XLSX、XLSM、XLS、CSV"; font-size: 1rem;
}}
[data-testid="stFileChip"][aria-invalid="true"] [role="alert"],
[data-testid="stTooltipErrorContent"] {{ font-size: 0; }}
[data-testid="stFileChip"][aria-invalid="true"] [role="alert"]::after,
[data-testid="stTooltipErrorContent"]::after {{
  content: "未能上传：文件超过 {cap}，或网络中断。请拆分后重新上传。"; font-size: 0.9rem;
}}
</style>
"""
