// 招考 — what every page shares: the API call, errors shown by field, seasons, the words
// for codes (sent by the server), and markup that escapes by default.

export const API = "/v1";
export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

// Markup is made with the html`` tag and put on a page by render() alone (ESLint refuses
// innerHTML anywhere else). Every value the tag is given is escaped — text and attribute
// alike — unless it is markup the tag made itself, or a list of it; null, undefined and
// false draw nothing, so `${cond && html`…`}` reads as it means. Thirty lines of ours
// rather than a library (docs/adr/0012): the pages draw each answer once and wire their
// events by delegation, so lit-html's updates would go unused; the tag has lit's shape.
class Markup {
  constructor(text) { this.text = text; }
}
const ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
function markup(value) {
  if (value instanceof Markup) return value.text;
  if (Array.isArray(value)) return value.map(markup).join("");
  if (value === null || value === undefined || value === false) return "";
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}
export function html(strings, ...values) {
  return new Markup(strings.reduce((text, part, i) => text + markup(values[i - 1]) + part));
}
export function render(content, element, { append = false } = {}) {
  if (!(content instanceof Markup)) throw new TypeError("render() takes html`` markup");
  /* eslint-disable no-restricted-syntax -- the one place markup reaches the page */
  if (append) element.insertAdjacentHTML("beforeend", content.text);
  else element.innerHTML = content.text;
  /* eslint-enable no-restricted-syntax */
}

// The button that asked (a click or a form's submission): busy — disabled, with a spinner —
// while its request runs, so nothing is sent twice by an impatient second tap.
let pressed = { button: null, at: 0 };
const press = (button) => { pressed = { button, at: Date.now() }; };
document.addEventListener("click", (e) => press(e.target.closest("button")), true);
document.addEventListener("submit", (e) => press(e.submitter || $("button[type=submit]", e.target)), true);

export async function call(method, path, body, token) {
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
export class Session {
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
export function idleSignOut(session, minutes, onEnd) {
  let timer = null;
  const restart = () => {
    clearTimeout(timer);
    timer = setTimeout(() => { if (session.signedIn) { session.end(); onEnd(); alert(`${minutes}分钟无操作，已自动退出登录`); } }, minutes * 60 * 1000);
  };
  for (const kind of ["keydown", "click", "touchstart"]) document.addEventListener(kind, restart, { passive: true });
  restart();
}

// A form's submit handler: the page stays where it is, ``send(form)`` runs, and the form
// shows each field's error when it fails (cleared when it succeeds).
export function submitted(send) {
  return async (event) => {
    event.preventDefault();
    const form = event.target;
    try {
      await send(form);
      showErrors(form, null);
    } catch (error) {
      showErrors(form, error);
    }
  };
}

// Every field's error at once, at its field, announced to screen readers; ``rename`` maps
// an API field (mailing_address.postcode) to the form's (addr_postcode).
export function showErrors(form, error, rename = (field) => field) {
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

export function formData(form) {
  const data = Object.fromEntries(new FormData(form));
  for (const box of $$("input[type=checkbox]", form)) if (box.name) data[box.name] = box.checked;
  return data;
}

export function named(list, code) {
  const found = (list || []).find((x) => x.code === code);
  return found ? `${found.name}（${code}）` : code;
}
// Beijing time (UTC+8) of an ISO time; a time without an offset is already Beijing time.
export function beijing(iso) {
  if (!iso) return "";
  const when = new Date(/([zZ]|[+-]\d\d:?\d\d)$/.test(iso) ? iso : `${iso}+08:00`);
  if (Number.isNaN(when.getTime())) return iso.slice(0, 16).replace("T", " ");
  return new Date(when.getTime() + 8 * 3600e3).toISOString().slice(0, 16).replace("T", " ");
}

export async function seasonPicker(select, onChange) {
  const seasons = await call("GET", "/seasons");
  for (const s of seasons) select.add(new Option(s.name, s.season_id));
  const saved = localStorage.getItem("zhaokao.season");
  if (saved && seasons.some((s) => s.season_id === saved)) select.value = saved;
  select.addEventListener("change", () => { localStorage.setItem("zhaokao.season", select.value); onChange(select.value); });
  await onChange(select.value);
}

// A list of the automatic checks (R5) and their outcomes, in the server's words.
export function checksList(checks) {
  return checks.map((c) => html`<li class="${c.outcome}"><strong>${LABELS.check_outcomes[c.outcome] || c.outcome}</strong> ${c.reason}${
    c.description ? html`<div class="hint">${c.description}</div>` : ""}</li>`);
}

// The words for the platform's codes (statuses, decisions, states…), as the server keeps
// them; a page that cannot fetch them shows the codes rather than nothing.
export const LABELS = await request("GET", "/labels").catch(() => ({
  status: {}, decisions: {}, review_states: {},
  check_outcomes: {}, run_status: {}, units: {}, actors: {}, steps: [],
}));
// A code in words: word("status", "approved") → 审核通过 (the code itself when unknown).
export const word = (kind, code) => (LABELS[kind] || {})[code] || code;
// Who made a change: 考生本人, 系统, or a staff member by username.
export const who = (actor) => LABELS.actors[actor.split(":")[0]] || actor.split(":").pop();
