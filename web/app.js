// 招考 · 考生服务平台 — a static client of the HTTP API (no build step).
"use strict";

const API = "/v1";
const STATUS = { registered: "已注册", submitted: "已提交", approved: "审核通过", rejected: "审核未通过" };
const state = { seasons: [], season: null, token: sessionStorage.getItem("zhaokao.token") };

const $ = (selector, root = document) => root.querySelector(selector);

async function call(method, path, body, token) {
  const headers = { "Content-Type": "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(API + path, { method, headers, body: body && JSON.stringify(body) });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = data.error || { message: response.status === 401 ? "请先登录" : "服务暂时不可用，请稍后再试" };
    throw Object.assign(new Error(error.message), { field: error.field || "", status: response.status });
  }
  return data;
}

function showErrors(form, error) {
  form.querySelectorAll(".error").forEach((el) => (el.textContent = ""));
  if (!error) return;
  const target = form.querySelector(`.error[data-for="${error.field}"]`) || form.querySelector('.error[data-for=""]');
  target.textContent = error.message;
}

function formData(form) {
  const data = Object.fromEntries(new FormData(form));
  for (const box of form.querySelectorAll("input[type=checkbox]")) data[box.name] = box.checked;
  return data;
}

function openTab(name) {
  document.querySelectorAll(".tabs button").forEach((b) => b.setAttribute("aria-selected", b.dataset.tab === name));
  for (const id of ["register", "login", "me"]) $("#" + id).hidden = id !== name;
  if (name === "me") showMe();
}

function renderSeason() {
  const s = state.season;
  const open = s.windows.filter((w) => w.open).map((w) => w.label);
  const registration = s.windows.find((w) => w.name === "registration");
  $("#phase").innerHTML =
    `<strong>${s.name}</strong><br>当前时间 ${s.now.slice(0, 16).replace("T", " ")}${s.clock_pinned ? "（演示时钟）" : ""}；` +
    (open.length ? `正在进行：${open.join("、")}` : "当前没有开放的业务") +
    (registration ? `<br>注册报名时间：${registration.text}` : "");
  $("#roster-hint").textContent = s.roster_required
    ? "姓名和身份证号须与学信网学籍信息完全一致（由所在院校导入）。"
    : "请在户籍所在地或《居住证》发放地的县（市、区）报名。";
  const county = $(".county");
  county.hidden = s.registration_unit !== "county";
  const select = $("select[name=county_code]", county);
  select.length = 1;
  for (const c of s.counties) select.add(new Option(`${c.name}（${c.code}）`, c.code));
}

async function chooseSeason(id) {
  state.season = await call("GET", `/seasons/${id}`);
  localStorage.setItem("zhaokao.season", id);
  renderSeason();
}

async function sendOtp() {
  const form = $("#register");
  const button = $("#send-otp");
  try {
    const sent = await call("POST", `/seasons/${state.season.season_id}/otp`, { phone: form.phone.value });
    showErrors(form, null);
    let left = sent.resend_after;
    button.disabled = true;
    const tick = setInterval(() => {
      button.textContent = `${--left}秒后重发`;
      if (left <= 0) { clearInterval(tick); button.disabled = false; button.textContent = "获取验证码"; }
    }, 1000);
    button.textContent = `已发送至${sent.sent_to}`;
  } catch (error) {
    showErrors(form, error);
  }
}

async function register(event) {
  event.preventDefault();
  const form = event.target;
  const data = formData(form);
  if (state.season.registration_unit !== "county") { delete data.county_code; delete data.residence_permit; }
  try {
    const result = await call("POST", `/seasons/${state.season.season_id}/registrations`, data);
    showErrors(form, null);
    const ok = $("#register-ok");
    ok.hidden = false;
    ok.textContent = `注册成功（考生编号 ${result.candidate_id.slice(0, 8)}…），请登录。`;
    $("#login").phone.value = data.phone;
    setTimeout(() => openTab("login"), 800);
  } catch (error) {
    showErrors(form, error);
  }
}

async function login(event) {
  event.preventDefault();
  const form = event.target;
  try {
    const tokens = await call("POST", "/auth/token", { season_id: state.season.season_id, ...formData(form) });
    state.token = tokens.id_token;
    sessionStorage.setItem("zhaokao.token", state.token);
    showErrors(form, null);
    openTab("me");
  } catch (error) {
    showErrors(form, error);
  }
}

async function showMe() {
  const record = $("#record");
  if (!state.token) { record.hidden = true; $("#me-empty").hidden = false; $("#logout").hidden = true; return; }
  try {
    const me = await call("GET", "/me", null, state.token);
    const rows = [
      ["姓名", me.name], ["身份证号", me.id_number], ["手机号", me.phone],
      ["考试季", state.season.name], ["所在院校", me.college_code && collegeName(me.college_code)],
      ["专业", me.major_code && named(state.season.majors, me.major_code)], ["报名县（市、区）", me.county_code && countyName(me.county_code)],
      ["状态", STATUS[me.status] || me.status], ["注册时间", me.registered_at.slice(0, 19).replace("T", " ")],
    ];
    record.innerHTML = rows.filter(([, v]) => v).map(([k, v]) => `<dt>${k}</dt><dd>${escape(v)}</dd>`).join("");
    record.hidden = false;
    $("#me-empty").hidden = true;
    $("#logout").hidden = false;
  } catch (error) {
    if (error.status === 401) logout();
    $("#me-empty").textContent = error.message;
  }
}

function named(list, code) {
  const found = (list || []).find((x) => x.code === code);
  return found ? `${found.name}（${code}）` : code;
}
const collegeName = (code) => named(state.season.colleges, code);
const countyName = (code) => named(state.season.counties, code);
function escape(text) { const d = document.createElement("div"); d.textContent = String(text); return d.innerHTML; }
function logout() { state.token = null; sessionStorage.removeItem("zhaokao.token"); showMe(); }

async function start() {
  const config = await fetch("/local/config.json").then((r) => (r.ok ? r.json() : {})).catch(() => ({}));
  document.querySelectorAll(".local").forEach((el) => (el.hidden = !config.local));
  state.seasons = await call("GET", "/seasons");
  const select = $("#season");
  for (const s of state.seasons) select.add(new Option(s.name, s.season_id));
  const saved = localStorage.getItem("zhaokao.season");
  if (saved && state.seasons.some((s) => s.season_id === saved)) select.value = saved;
  select.addEventListener("change", () => chooseSeason(select.value));
  await chooseSeason(select.value);
  document.querySelectorAll(".tabs button").forEach((b) => b.addEventListener("click", () => openTab(b.dataset.tab)));
  $("#send-otp").addEventListener("click", sendOtp);
  $("#register").addEventListener("submit", register);
  $("#login").addEventListener("submit", login);
  $("#logout").addEventListener("click", logout);
  document.body.dataset.ready = "true";
}

start();
