"""管理员: accounts, targets and settings (written to data/settings.toml), and the audit log."""

from datetime import date, timedelta

import streamlit as st

from dashboard import audit, auth, config, plan, privileged, scope, scoring, spec, submissions
from dashboard.ui.page import setup
from dashboard.ui.tables import data_table
from dashboard.ui.text import md

setup(filters=False, roles=("管理员",))
viewer = scope.current_viewer()
st.title("管理员")
tab_users, tab_settings, tab_audit = st.tabs(
    ["账号", "目标与设置", "审计日志"], key="admin_tab", bind="query-params", on_change="rerun"
)

USER_LABELS = {
    "username": "用户名",
    "role": "角色",
    "street": "所属街道",
    "community": "所属社区",
    "created_at": "创建时间",
    "last_login_at": "最近登录",
    "failed_logins": "连续失败次数",
    "locked_until": "暂停登录至",
}


def _whole(value: float) -> float | int:
    """A weight as written to the settings: 3 rather than 3.0."""
    return int(value) if float(value).is_integer() else float(value)


def _do(action, message: str) -> None:
    """Run an account change (dashboard/privileged.py records it) and say what happened."""
    try:
        action()
        st.success(md(message))
    except (auth.AuthError, privileged.Refused) as exc:
        st.error(md(exc))


with tab_users:
    st.caption("角色说明：" + "；".join(f"{r}：{h}" for r, h in auth.ROLE_HELP.items()) + "。")
    with st.container(border=True):
        st.markdown("**新增账号**")
        c1, c2, c3 = st.columns(3)
        new_name = c1.text_input("用户名", key="admin_new_name")
        new_role = c2.selectbox("角色", auth.ROLES, key="admin_new_role")
        communities = privileged.known_communities(viewer)
        new_comm = c3.selectbox(
            "所属社区（社区角色必填）",
            communities,
            index=None,
            placeholder="选择社区" if communities else "还没有任何社区的数据",
            key="admin_new_comm",
            help="只能选择数据中已有的社区，或设置文件的社区名单里列出的社区。",
        )
        known_streets = privileged.known_streets(viewer)
        new_street = None
        if len(known_streets) > 1:  # 区 → 街道 → 社区: a 街道领导 and a cadre belong to a street
            new_street = st.selectbox(
                "所属街道（街道领导必填；社区角色在社区名重复时必填）",
                known_streets,
                index=None,
                placeholder="选择街道",
                key="admin_new_street",
                help="街道领导只看本街道；区领导看全区，不需选择街道。",
            )
        p1, p2 = st.columns(2)
        pw1 = p1.text_input("密码（至少 8 个字符）", type="password", key="admin_new_pw1")
        pw2 = p2.text_input("再次输入密码", type="password", key="admin_new_pw2")
        if st.button("新增账号", key="admin_add", type="primary"):
            if pw1 != pw2:
                st.error("两次输入的密码不一致，请重新输入。")
            else:
                _do(
                    lambda: privileged.add_account(viewer, new_name.strip(), pw1, new_role, new_comm, new_street),
                    f"已新增账号「{new_name.strip()}」。",
                )
    users = privileged.accounts(viewer)
    if len(known_streets) <= 1:  # one street: the accounts table as before
        users = users.drop(columns=["street"])
    if users.empty:
        st.info("还没有任何账号：看板处于本机单用户模式。请先新增一个管理员账号。")
    else:
        st.dataframe(
            users.rename(columns=USER_LABELS), hide_index=True, width="stretch", key="admin_users", placeholder=""
        )
        with st.container(border=True):
            st.markdown("**修改已有账号**")
            who = st.selectbox("账号", users["username"].tolist(), key="admin_who")
            n1, n2 = st.columns(2)
            new_pw = n1.text_input("新密码", type="password", key="admin_pw")
            if n2.button("修改密码", key="admin_passwd"):
                _do(lambda: privileged.set_password(viewer, who, new_pw), f"已修改「{who}」的密码。")
            if len(known_streets) > 1:
                s1, s2 = st.columns(2)
                to_street = s1.selectbox("所属街道", known_streets, index=None, placeholder="默认", key="admin_street")
                if s2.button("设置所属街道", key="admin_set_street"):
                    _do(
                        lambda: privileged.set_street(viewer, who, to_street),
                        f"已将「{who}」的所属街道设为{to_street or '默认'}。",
                    )
            b1, b2, _ = st.columns([1, 1, 3])
            if b1.button("解除暂停登录", key="admin_unlock"):
                _do(lambda: privileged.unlock(viewer, who), f"已解除「{who}」的登录暂停。")
            sure = st.checkbox("我确认要删除这个账号", key="admin_rm_sure")
            if b2.button("删除账号", key="admin_remove", disabled=not sure):
                _do(lambda: privileged.remove_account(viewer, who), f"已删除账号「{who}」。")

with tab_settings:
    s = config.load_settings()
    year = date.today().year
    st.caption(f"修改后写入 {config.settings_path().name}（覆盖默认设置），立即对所有页面生效。")
    rates = {
        code: st.number_input(
            f"{code} 目标（%）", 0.0, 100.0, float(s.target(code, year)) * 100, 0.5, key=f"admin_t_{code}"
        )
        for code in config.RATE_INDICATORS
    }
    counts = {
        code: st.number_input(
            f"{code} 目标（每社区家数）", 0, 1000, int(s.target(code, year)), 1, key=f"admin_t_{code}"
        )
        for code in config.COUNT_INDICATORS
    }
    with st.expander("工作计划目标（三、四、五、七.四）"):
        plan_targets = {
            key: (
                st.number_input(label, 0.0, 100.0, float(s.plan_target(key, year)) * 100, 0.5, key=f"admin_p_{key}")
                if is_rate
                else st.number_input(label, 0, 1000, int(s.plan_target(key, year)), 1, key=f"admin_p_{key}")
            )
            for key, label, is_rate in plan.TARGET_SETTINGS
        }
    with st.expander("考核权重（考核评比）"):
        st.caption(
            "各项在社区得分中的权重，任意非负数，按比例折算；0 表示不计分。"
            "七项目标任务之外的为工作计划事项，其目标在上方“工作计划目标”中设置。"
        )
        current_weights = s.raw.get("assessment", {})
        weight_inputs = {
            item: st.number_input(
                f"{scoring.ITEM_LABELS[item]}（{item}）" if item in scoring.CODES else scoring.ITEM_LABELS[item],
                0.0,
                1000.0,
                float(current_weights.get(item, 0)),
                0.5,
                format="%g",
                key=f"admin_w_{item}",
            )
            for item in scoring.ITEMS
        }
    with st.expander("报送周期（报送情况）"):
        st.caption("帮扶救助按活动报送时，各活动的报送月份写在设置文件的报送设置里。")
        grace = st.number_input(
            "宽限期（天）：某期结束后再过这些天仍未导入即为逾期",
            0,
            90,
            submissions.grace_days(s),
            1,
            key="admin_s_grace",
        )
        try:
            current = submissions.cadences(s)
        except submissions.SettingsError as exc:
            st.warning(str(exc))
            current = dict.fromkeys(spec.LEDGERS, "none")
        cadence = {
            ledger: st.selectbox(
                lg.label,
                list(submissions.CADENCES),
                index=submissions.CADENCES.index(current[ledger]),
                format_func=submissions.CADENCE_LABELS.get,
                key=f"admin_s_{ledger}",
            )
            for ledger, lg in spec.LEDGERS.items()
        }
    auth_cfg = s.raw.get("auth", {})
    idle = st.number_input(
        "无操作自动退出（分钟）", 5, 1440, int(auth_cfg.get("session_idle_minutes", 30)), key="admin_idle"
    )
    max_mb = st.number_input(
        "上传文件大小上限（MB）", 1, 500, int(s.raw.get("import", {}).get("max_upload_mb", 50)), key="admin_max_mb"
    )
    personal = st.multiselect(
        "可查看未脱敏个人信息的角色",
        list(auth.ROLES),
        default=list(auth_cfg.get("personal_roles", [])),
        key="admin_personal",
        placeholder="都不可查看（一律脱敏）",
    )
    save = st.button("保存设置", key="admin_save_settings", type="primary")
    if save and sum(weight_inputs.values()) <= 0:
        st.error("考核权重不能全部为 0：请至少给一项设置正的权重，设置未保存。")
    elif save:
        updates = {
            "targets": {**{c: round(v / 100, 4) for c, v in rates.items()}, **{c: int(v) for c, v in counts.items()}},
            "auth": {"session_idle_minutes": int(idle), "personal_roles": personal},
            "import": {"max_upload_mb": int(max_mb)},
            "plan": {
                key: round(plan_targets[key] / 100, 4) if is_rate else int(plan_targets[key])
                for key, _, is_rate in plan.TARGET_SETTINGS
            },
            "assessment": {item: _whole(v) for item, v in weight_inputs.items()},
            "submissions": {"grace_days": int(grace), **cadence},
        }
        privileged.record_settings(viewer, updates)
        st.success("设置已保存。")

with tab_audit:
    f1, f2, f3, f4 = st.columns(4)
    who = f1.text_input("用户", key="audit_user")
    actions = f2.multiselect(
        "操作", list(audit.ACTIONS), format_func=audit.ACTIONS.get, key="audit_actions", placeholder="全部操作"
    )
    days = f3.date_input("日期范围", (date.today() - timedelta(days=30), date.today()), key="audit_days")
    text = f4.text_input("内容包含", key="audit_text")
    since, until = (days[0], days[-1]) if isinstance(days, (tuple, list)) and days else (None, None)
    log = privileged.audit_entries(
        viewer, username=who.strip() or None, actions=actions, since=since, until=until, text=text
    )
    data_table(audit.labelled(log), key="audit_log", file_name="审计日志", empty_message="没有符合条件的记录。")
