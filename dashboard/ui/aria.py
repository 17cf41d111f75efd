"""Chinese for the words Streamlit's widgets give screen readers (aria-label, title, placeholder) and the
hidden English left inside the file uploader, which Streamlit does not let us set.

A reader of the screen never sees these words, but a screen reader says them ("file upload", "Help for
选择台账文件", "Collapse sidebar", "Upload", "1GB per file") and a hover shows a title. One small script,
drawn once per page run, renames them as Streamlit draws them (a MutationObserver: widgets are redrawn
on every rerun). The uploader's own English text is already drawn over in Chinese by CSS
(theme.uploader_css); here its button gets a Chinese name and the hidden English is taken out of what a
screen reader reads, the Chinese said instead. tests/test_browser_text.py reads every aria-label, title
and placeholder of the 数据管理 page in chromium.
"""

from __future__ import annotations

import json

import streamlit as st

# Streamlit's English words -> what a Chinese reader hears (exact attribute values).
WORDS = {
    "file upload": "选择文件",
    "Add files": "添加文件",
    "Collapse sidebar": "收起侧栏",
    "Expand sidebar": "展开侧栏",
    "Sidebar": "侧栏",
    "App pages": "页面导航",
    "Main menu": "主菜单",
    "Link to heading": "链接到此标题",
    "Show/hide columns": "显示或隐藏列",
    "Download as CSV": "下载为 CSV",
    "Search": "搜索",
    "Close Search": "关闭搜索",
    "Fullscreen": "全屏",
    "Close fullscreen": "退出全屏",
    "Choose an option": "请选择",
    "Choose options": "请选择",
    "Open": "展开",
    "Close": "关闭",
    "Clear all": "全部清除",
    "Clear value": "清除",
    "Clear entry": "清除",
    "Clear date": "清除日期",
    "Clear dates": "清除日期",
    "Choose date": "选择日期",
    "Choose date range": "选择日期范围",
    "Previous month": "上个月",
    "Next month": "下个月",
    "Previous page": "上一页",
    "Next page": "下一页",
    "Pagination": "翻页",
    "Increment": "加一",
    "Decrement": "减一",
    "Scroll tabs left": "向左滚动标签",
    "Scroll tabs right": "向右滚动标签",
    "Selected values": "已选项",
    "Notifications": "通知",
    "Markdown content": "文字内容",
    "Dataframe column menu": "列菜单",
    "Copy column name": "复制列名",
    "Stop script": "停止运行",
    "Running...": "正在运行…",
    "Navigate to home page": "回到首页",
    "Button action menu": "按钮菜单",
    "Theme": "主题",
    "Loading": "正在加载",
}
# Patterns with a name in them: "Help for 选择台账文件" -> "选择台账文件 的说明", "Remove a.xlsx" -> "移除 a.xlsx".
PATTERNS = [
    ["^Help for (.*)$", "$1 的说明"],
    ["^Remove (.*)$", "移除 $1"],
    ["^Upload (.*)$", "上传 $1"],
    ["^Page (\\d+)$", "第 $1 页"],
    ["^[a-z_]+ icon$", "图标"],  # a Material icon's name ("add icon")
    ["^(.+), ([\\d.]+)B$", "$1，$2 字节"],  # a file chip: "通知.pdf, 9.0B"
    ["^(.+), ([\\d.]+)(KB|MB|GB)$", "$1，$2 $3"],
]

SCRIPT = """
<script>
(() => {
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  const win = doc.defaultView || window;
  if (win.__unionAria) return;  // one observer per browser tab, whatever the reruns
  win.__unionAria = true;
  const WORDS = __WORDS__;
  const PATTERNS = __PATTERNS__.map(([p, r]) => [new RegExp(p), r]);
  const ATTRS = ["aria-label", "title", "placeholder"];
  // English that theme.uploader_css shrinks to nothing and draws over in Chinese (::after)
  const DRAWN_OVER = ['[data-testid="stFileUploaderDropzoneInstructions"] span',
    '[data-testid="stFileChip"] [role="alert"]', '[data-testid="stTooltipErrorContent"]'].join(", ");
  const say = (text) => {
    if (Object.prototype.hasOwnProperty.call(WORDS, text)) return WORDS[text];
    for (const [p, r] of PATTERNS) if (p.test(text)) return text.replace(p, r);
    return null;
  };
  const fixUploader = (root) => {
    root.querySelectorAll('[data-testid="stFileUploaderDropzone"] > span > button').forEach((b) => {
      if (b.getAttribute("aria-label") !== "选择文件") b.setAttribute("aria-label", "选择文件");
      b.querySelectorAll("p").forEach((t) => t.getAttribute("aria-hidden") || t.setAttribute("aria-hidden", "true"));
    });
    root.querySelectorAll("button span").forEach((t) => {  // an icon button's hidden "add icon"
      if (!t.children.length && / icon$/.test(t.textContent) && !t.getAttribute("aria-hidden")) {
        t.setAttribute("aria-hidden", "true");
      }
    });
    root.querySelectorAll(DRAWN_OVER).forEach((s) => {
      if (s.classList.contains("union-sr-only") || s.getAttribute("aria-hidden") === "true") return;
      const drawn = win.getComputedStyle(s, "::after").content;  // the Chinese the CSS draws over it
      if (!/^".+"$/.test(drawn)) return;  // the style sheet is not in yet: the next change comes back
      s.setAttribute("aria-hidden", "true");  // "1GB per file" is hidden, the Chinese said instead
      const said = doc.createElement("span");
      said.className = "union-sr-only";
      said.textContent = drawn.slice(1, -1);
      s.after(said);
    });
  };
  const fix = (root) => {
    if (!root.querySelectorAll) return;
    for (const a of ATTRS) {
      const nodes = [root, ...root.querySelectorAll("[" + a + "]")];
      for (const el of nodes) {
        const v = el.getAttribute && el.getAttribute(a);
        if (!v) continue;
        const zh = say(v);
        if (zh !== null && zh !== v) el.setAttribute(a, zh);
      }
    }
  };
  const style = doc.createElement("style");
  style.textContent = ".union-sr-only{position:absolute!important;width:1px;height:1px;overflow:hidden;"
    + "clip:rect(0 0 0 0);white-space:nowrap;} .union-sr-only::after{content:none!important;}";
  doc.head.appendChild(style);
  fix(doc.body);
  fixUploader(doc);
  new win.MutationObserver((records) => {
    for (const r of records) {
      if (r.type === "attributes") fix(r.target);
      else r.addedNodes.forEach((n) => n.nodeType === 1 && fix(n));
    }
    fixUploader(doc);
  }).observe(doc.body, {subtree: true, childList: true, attributes: true, attributeFilter: ATTRS});
})();
</script>
""".replace("__WORDS__", json.dumps(WORDS, ensure_ascii=False)).replace("__PATTERNS__", json.dumps(PATTERNS))


def chinese_aria() -> None:
    """Draw the script (no height, nothing shown)."""
    st.html(SCRIPT, unsafe_allow_javascript=True)
