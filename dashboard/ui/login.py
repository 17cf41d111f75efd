"""The login gate every page passes through (called by dashboard.ui.page.setup), and the local-mode banner.

With accounts: a visitor who is not logged in, or whose session has been idle too long, sees the login
form and nothing else; a logged-in user's scope is set for the run (dashboard/scope.py) before any data
is read. Without accounts: single-user local mode, only on a loopback address, with a visible banner.
"""

from __future__ import annotations

import time

import streamlit as st
from streamlit import config as st_config

from dashboard import audit, auth, db, scope
from dashboard.ui.text import md

USER_KEY = "auth_user"
SEEN_KEY = "auth_seen"
ROLE_KEY = "auth_role"
NOTICE_KEY = "auth_notice"
LOCAL_BANNER = "本机单用户模式：尚未设置账号，看板只在本机（127.0.0.1）可用，所有功能对本机用户开放。"


def _accounts_exist() -> bool:
    with scope.using(scope.ALL), db.connect() as con:
        return auth.has_accounts(con)


def _forget() -> None:
    for key in (USER_KEY, SEEN_KEY, ROLE_KEY):
        st.session_state.pop(key, None)


def client_address() -> str | None:
    """The visitor's address as Streamlit knows it (None on loopback, under AppTest, or when unknown)."""
    try:
        return st.context.ip_address
    except Exception:  # an address we cannot read only turns off the per-client limit
        return None


def _login_form() -> None:
    st.title("工会工作数据看板")
    st.subheader("登录")
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        st.info(md(notice))
    name = st.text_input("用户名", key="login_user")
    password = st.text_input("密码", type="password", key="login_password")
    if st.button("登录", key="login_submit", type="primary"):
        with scope.using(scope.ALL), db.connect() as con:
            result = auth.authenticate(con, name.strip(), password, client=client_address())
            audit.record(con, name.strip(), "login" if result.viewer else "login_failed", ok=bool(result.viewer))
        st.session_state.pop("login_password", None)
        if result.viewer:
            st.session_state[USER_KEY] = result.viewer.name
            st.session_state[SEEN_KEY] = time.time()
            st.session_state[ROLE_KEY] = result.viewer.role
            st.rerun()
        st.error(md(result.message))
    st.caption("忘记密码或账号被暂停，请联系管理员。")


def require_login() -> scope.Viewer:
    """The viewer of this run, with the scope set; shows the login form and stops the run otherwise."""
    scope.set_current(None)  # nothing from an earlier run of this thread carries over
    if not _accounts_exist():
        if not st_config.get_option("global.appTest"):
            why = auth.local_mode_refusal(st_config.get_option("server.address"))
            if why:
                st.error(why)
                st.stop()
        scope.set_current(scope.ALL, auth.LOCAL_USER)
        st.session_state[ROLE_KEY] = auth.LOCAL_USER.role
        st.sidebar.warning(LOCAL_BANNER, icon=":material/lock_open:")
        return auth.LOCAL_USER
    scope.enforce(True)  # from now on a connection without a scope is refused in this process
    auth.dummy_hash()  # made now, before any form is shown: no login attempt pays for it
    name = st.session_state.get(USER_KEY)
    if name and auth.session_expired(st.session_state.get(SEEN_KEY), time.time()):
        _forget()
        st.session_state[NOTICE_KEY] = "长时间未操作，已自动退出，请重新登录。"
        name = None
    viewer = None
    if name:
        with scope.using(scope.ALL), db.connect() as con:
            viewer = auth.viewer(con, name)  # role changes and removals take effect at once
    if viewer is None:
        _forget()
        _login_form()
        st.stop()
    st.session_state[SEEN_KEY] = time.time()
    st.session_state[ROLE_KEY] = viewer.role
    scope.set_current(viewer.scope, viewer)
    place = " ".join(x for x in (viewer.street, viewer.community) if x)
    where = f"（{place}）" if place else ""
    st.sidebar.caption(f"当前用户：{md(viewer.name)} · {viewer.role}{md(where)}")
    if st.sidebar.button("退出登录", key="logout", icon=":material/logout:"):
        audit.log(viewer.name, "logout")
        _forget()
        st.rerun()
    return viewer


PAGE_TITLE_KEY = "nav_page_title"  # the title of the page being run, set by app.py from the navigation


def refusal(role: str, roles, page_title: str | None = None) -> tuple[str, str]:
    """What a role that may not use a page is told: why (which roles may) and whom to ask."""
    page = f"「{page_title}」" if page_title else "这个页面"
    why = f"{page}只对{'、'.join(roles)}角色开放，您当前的角色是{role}，不能使用。"
    help_ = "；".join(f"{r}：{auth.ROLE_HELP[r]}" for r in roles if r in auth.ROLE_HELP)
    ask = f"如确因工作需要使用，请联系看板管理员为您的账号调整角色（{help_}）。"
    return why, ask


def require_role(viewer: scope.Viewer, roles) -> None:
    """Stop the run with 无权限 and a Chinese sentence when the viewer's role may not open this page."""
    if viewer.role not in roles:
        audit.log(viewer.name, "denied", f"打开需要{'或'.join(roles)}角色的页面")
        why, ask = refusal(viewer.role, roles, st.session_state.get(PAGE_TITLE_KEY))
        st.header("无权限", anchor=False)
        st.error(why, icon=":material/block:")
        st.caption(ask)
        st.stop()
