// 招考 — what every page shares: the API call, errors shown by field, seasons, escaping.
"use strict";

const API = "/v1";
const $ = (selector, root = document) => root.querySelector(selector);
const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

// The button that asked (a click or a form's submission): busy — disabled, with a spinner —
// while its request runs, so nothing is sent twice by an impatient second tap.
let pressed = { button: null, at: 0 };
const press = (button) => { pressed = { button, at: Date.now() }; };
document.addEventListener("click", (e) => press(e.target.closest("button")), true);
document.addEventListener("submit", (e) => press(e.submitter || $("button[type=submit]", e.target)), true);

async function call(method, path, body, token) {
  const button = Date.now() - pressed.at < 1500 ? pressed.button : null; // this tap's request
  pressed = { button: null, at: 0 };
  if (button) { button.disabled = true; button.setAttribute("aria-busy", "true"); }
  try {
    return await request(method, path, body, token);
  } finally {
    if (button) { button.disabled = false; button.removeAttribute("aria-busy"); }
  }
}

async function request(method, path, body, token) {
  const headers = { "Content-Type": "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(API + path, { method, headers, body: body && JSON.stringify(body) });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = data.error || { message: response.status === 401 ? "请先登录" : "服务暂时不可用，请稍后再试" };
    throw Object.assign(new Error(error.message), { field: error.field || "", fields: error.fields || [], status: response.status, code: error.code });
  }
  return data;
}

// A signed-in session: a short access token, renewed with the refresh token when it expires
// (the refresh token changes at each use; using an old one ends the session everywhere).
class Session {
  constructor(key) {
    this.key = key;
    const saved = JSON.parse(sessionStorage.getItem(key) || "null") || {};
    this.access = saved.access || null;
    this.refresh = saved.refresh || null;
  }
  get signedIn() { return Boolean(this.access); }
  save(tokens) {
    this.access = tokens.access_token;
    this.refresh = tokens.refresh_token || this.refresh;
    sessionStorage.setItem(this.key, JSON.stringify({ access: this.access, refresh: this.refresh }));
  }
  end() {
    if (this.refresh) call("POST", "/auth/sign-out", { refresh_token: this.refresh }).catch(() => {});
    this.access = this.refresh = null;
    sessionStorage.removeItem(this.key);
  }
  async call(method, path, body) {
    try {
      return await call(method, path, body, this.access);
    } catch (error) {
      if (error.status !== 401 || !this.refresh) throw error;
      try {
        this.save(await call("POST", "/auth/refresh", { refresh_token: this.refresh }));
      } catch (expired) {
        this.access = this.refresh = null;
        sessionStorage.removeItem(this.key);
        throw expired;
      }
      return call(method, path, body, this.access);
    }
  }
  // a file the API answers (a PDF): fetched with the token, saved under its own name
  async download(path, filename) {
    await this.call("GET", "/me"); // renews the access token first if it has expired
    const response = await fetch(API + path, { headers: { Authorization: `Bearer ${this.access}` } });
    if (!response.ok) {
      const data = await response.json().catch(() => ({}));
      throw new Error((data.error || {}).message || "下载失败，请稍后再试");
    }
    const url = URL.createObjectURL(await response.blob());
    const link = Object.assign(document.createElement("a"), { href: url, download: filename });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }
}

// Staff pages: signed out after ``minutes`` without a key, a click or a touch (shared PCs).
function idleSignOut(session, minutes, onEnd) {
  let timer = null;
  const restart = () => {
    clearTimeout(timer);
    timer = setTimeout(() => { if (session.signedIn) { session.end(); onEnd(); alert(`${minutes}分钟无操作，已自动退出登录`); } }, minutes * 60 * 1000);
  };
  for (const kind of ["keydown", "click", "touchstart"]) document.addEventListener(kind, restart, { passive: true });
  restart();
}

// Every field's error at once, at its field, announced to screen readers; ``rename`` maps
// an API field (mailing_address.postcode) to the form's (addr_postcode).
function showErrors(form, error, rename = (field) => field) {
  $$(".error", form).forEach((el) => { el.textContent = ""; el.setAttribute("aria-live", "polite"); });
  $$("[aria-invalid]", form).forEach((el) => el.removeAttribute("aria-invalid"));
  if (!error) return;
  const list = error.fields && error.fields.length ? error.fields : [{ field: error.field, message: error.message }];
  for (const [i, e] of list.entries()) {
    const name = rename(e.field || "");
    const target = $(`.error[data-for="${name}"]`, form) || $('.error[data-for=""]', form);
    if (!target) continue;
    target.textContent = target.textContent ? `${target.textContent}；${e.message}` : e.message;
    const input = name && form.elements ? form.elements[name] : null;
    if (input && input.setAttribute) {
      target.id = target.id || `error-${name}-${i}`;
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", target.id);
    }
  }
}

function formData(form) {
  const data = Object.fromEntries(new FormData(form));
  for (const box of $$("input[type=checkbox]", form)) if (box.name) data[box.name] = box.checked;
  return data;
}

function escape(text) { const d = document.createElement("div"); d.textContent = String(text ?? ""); return d.innerHTML; }
function named(list, code) {
  const found = (list || []).find((x) => x.code === code);
  return found ? `${found.name}（${code}）` : code;
}
// Beijing time (UTC+8) of an ISO time; a time without an offset is already Beijing time.
function beijing(iso) {
  if (!iso) return "";
  const when = new Date(/([zZ]|[+-]\d\d:?\d\d)$/.test(iso) ? iso : `${iso}+08:00`);
  if (Number.isNaN(when.getTime())) return iso.slice(0, 16).replace("T", " ");
  return new Date(when.getTime() + 8 * 3600e3).toISOString().slice(0, 16).replace("T", " ");
}

const STATUS = {
  registered: "已注册", submitted: "已提交", under_review: "审核中", returned: "退回修改",
  on_site: "须现场审核", approved: "审核通过", rejected: "审核未通过", withdrawn: "视为放弃",
  cancelled: "已取消资格",
};

async function seasonPicker(select, onChange) {
  const seasons = await call("GET", "/seasons");
  for (const s of seasons) select.add(new Option(s.name, s.season_id));
  const saved = localStorage.getItem("zhaokao.season");
  if (saved && seasons.some((s) => s.season_id === saved)) select.value = saved;
  select.addEventListener("change", () => { localStorage.setItem("zhaokao.season", select.value); onChange(select.value); });
  await onChange(select.value);
}

const ACTIONS = {
  profile: "保存报名信息", submit: "提交报名", route: "进入资格审核", route_on_site: "资格自动校验：须现场审核",
  disqualify: "资格自动校验未通过", withdraw: "视为放弃", "notice:revoke": "经举报核查，撤销免试或照顾资格",
  "preferences:save": "保存志愿", "preferences:restore": "恢复历史志愿", "preferences:confirm": "确认志愿",
  "payment:paid": "缴费成功", "payment:duplicate": "重复缴费（多缴的款项将退回）",
  "password:reset": "通过短信验证码重置登录密码", "password:change": "修改登录密码",
  "payment:order_replaced": "缴费金额变化，更换缴费订单", "integrity:violation": "记录违规处理",
  "phone:change": "更换手机号", "scores:import": "导入考试成绩", update: "信息更新",
};
const DECISIONS = { approve: "审核通过", reject: "审核不通过", send_back: "退回修改", call_on_site: "通知现场审核", refuse_category: "报考类别资格不通过" };

function describeAction(action) {
  if (action.startsWith("review:")) {
    const [decision, unit] = action.slice(7).split("@");
    return `资格审核（${unit === "province" ? "省级复核" : unit}）：${DECISIONS[decision] || decision}`;
  }
  if (action.startsWith("document:")) return "材料检查";
  if (action.startsWith("score_review:request")) return "申请成绩复核";
  if (action.startsWith("score_review:decide")) return "成绩复核结果";
  if (action.startsWith("on_site:")) return "现场审核环节";
  return ACTIONS[action] || action;
}

function actorLabel(actor) {
  if (actor.startsWith("candidate:")) return "考生本人";
  if (actor.startsWith("system:")) return "系统";
  return actor.split(":").pop();
}

function checksHtml(checks) {
  const LABEL = { pass: "通过", fail: "未通过", on_site: "须现场审核" };
  return checks.map((c) => `<li class="${c.outcome}"><strong>${LABEL[c.outcome]}</strong> ${escape(c.reason)}` +
    (c.description ? `<div class="hint">${escape(c.description)}</div>` : "") + "</li>").join("");
}
