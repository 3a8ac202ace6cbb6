// 招考 · 考生服务平台 — register, sign in, complete the profile, upload, submit, follow.
import {
  $, $$, LABELS, beijing, call, checksList, formData, html, named, render, seasonPicker,
  showErrors, submitted, word,
} from "./common.js";
import { showPreferences } from "./preferences.js";
import { state } from "./state.js";


function openTab(name) {
  $$(".tabs button").forEach((b) => b.setAttribute("aria-selected", b.dataset.tab === name));
  for (const id of ["register", "login", "reset", "me", "prefs"]) $("#" + id).hidden = id !== name;
  if (name === "me") showMe();
  if (name === "prefs") showPreferences();
}

function renderSeason() {
  const s = state.season;
  const open = s.windows.filter((w) => w.open).map((w) => w.label);
  const registration = s.windows.find((w) => w.name === "registration");
  render(html`<strong>${s.name}</strong><br>当前时间 ${beijing(s.now)}${s.clock_pinned ? "（演示时钟）" : ""}；${
    open.length ? `正在进行：${open.join("、")}` : "当前没有开放的业务"}${
    registration && html`<br>注册报名时间：${registration.text}`}
    <details class="schedule"><summary>本考试季时间安排、通知与咨询方式</summary>
      <table><thead><tr><th scope="col">事项</th><th scope="col">时间</th><th scope="col">通知原文</th></tr></thead><tbody>${
        s.windows.map((w) => html`<tr class="${w.open ? "open" : ""}"><th scope="row">${w.label}${w.open ? "（进行中）" : ""}</th><td>${w.text}</td><td>${w.note}</td></tr>`)}</tbody></table>
      <ul class="contacts">${s.guide.contacts.map((c) => html`<li>${c.name}：${c.value}</li>`)}</ul></details>`, $("#phase"));
  render(html`${s.guide.terms.map((t) => html`<li>${t}</li>`)}`, $("#terms ol"));
  render(html`${s.guide.pledge.map((t) => html`<li>${t}</li>`)}`, $("#pledge-text ol"));
  $("#roster-hint").textContent = s.texts.register_hint;
  const county = $(".county");
  county.hidden = s.registration_unit !== "county";
  const select = $("select[name=county_code]", county);
  select.length = 1;
  for (const c of s.counties) select.add(new Option(`${c.name}（${c.code}）`, c.code));
  renderProfileForm();
}

async function chooseSeason(id) {
  state.season = await call("GET", `/seasons/${id}`);
  renderSeason();
  if (state.me && state.me.season_id !== id) logout();
}

// A code by SMS for the form's phone (registration, or finding a password again).
// R17.4: past its free share of codes, a client answers a 图形验证码 with each request.
const CAPTCHA_CODES = ["captcha_required", "captcha_wrong", "captcha_expired"];

async function sendCode(form, button, path) {
  const box = $(".captcha", form);
  const body = { phone: form.phone.value };
  if (!box.hidden) Object.assign(body, { captcha_id: box.dataset.id, captcha_answer: $("input", box).value });
  try {
    const sent = await call("POST", `/seasons/${state.season.season_id}/${path}`, body);
    showErrors(form, null);
    box.hidden = true;
    let left = sent.resend_after;
    button.disabled = true;
    const tick = setInterval(() => {
      button.textContent = `${--left}秒后重发`;
      if (left <= 0) { clearInterval(tick); button.disabled = false; button.textContent = "获取验证码"; }
    }, 1000);
    button.textContent = `已发送至${sent.sent_to}`;
  } catch (error) {
    if (CAPTCHA_CODES.includes(error.code)) await newCaptcha(box);
    showErrors(form, error);
  }
}

async function newCaptcha(box) {
  const picture = await call("POST", "/captcha");
  box.dataset.id = picture.captcha_id;
  $("img", box).src = picture.image;
  $("input", box).value = "";
  box.hidden = false;
  $("input", box).focus();
}

const resetPassword = submitted(async (form) => {
  const data = formData(form);
  await call("POST", `/seasons/${state.season.season_id}/password-reset`, data);
  const ok = $("#reset-ok");
  ok.hidden = false;
  ok.textContent = "密码已重置，请用新密码登录。";
  $("#login").phone.value = data.phone;
  setTimeout(() => openTab("login"), 1200);
});

const changePassword = submitted(async (form) => {
  state.session.save(await state.session.call("POST", "/me/password", formData(form)));
  form.reset();
  $("#change-ok").hidden = false;
  await renderTimeline();
});

const register = submitted(async (form) => {
  const data = formData(form);
  if (state.season.registration_unit !== "county") { delete data.county_code; delete data.residence_permit; }
  const result = await call("POST", `/seasons/${state.season.season_id}/registrations`, data);
  const ok = $("#register-ok");
  ok.hidden = false;
  ok.textContent = `注册成功（考生编号 ${result.candidate_id.slice(0, 8)}…），请登录。`;
  $("#login").phone.value = data.phone;
  setTimeout(() => openTab("login"), 800);
});

async function login(event) {
  event.preventDefault();
  const form = event.target;
  try {
    const tokens = await call("POST", "/auth/token", { season_id: state.season.season_id, ...formData(form) });
    state.session.save(tokens);
    showErrors(form, null);
    openTab("me");
  } catch (error) {
    showErrors(form, error);
  }
}

// -- my record ------------------------------------------------------------------
// 注册 → 信息完善 → 提交 → 资格审核 → 志愿 → 缴费 → 准考证 → 成绩 → 录取 (the server's
// words): where the candidate is

function windowText(name) {
  const w = state.season.windows.find((x) => x.name === name);
  return w ? w.text : "以通知为准";
}

function askWhere() {
  return state.season.guide.contacts.map((c) => `${c.name}（${c.value}）`).join("、") || "报名单位";
}

function whereAmI(me, steps) {
  const sentBack = [...steps].reverse().find((s) => s.action.startsWith("review:send_back"));
  const refused = [...steps].reverse().find((s) => s.action.startsWith("review:reject") || s.action === "disqualify");
  const submit = state.season.texts.submit;
  switch (me.status) {
    case "registered":
      return [1, me.missing.length ? `请完善报名信息并上传材料，在${windowText("profile")}内${submit}报名` : `信息已完整，请在${windowText("profile")}内${submit}报名`];
    case "returned":
      return [2, `报名被退回修改${sentBack && sentBack.reason ? `（${sentBack.reason}）` : ""}，请于${me.correct_until ? beijing(me.correct_until) : windowText("profile")}前修改并重新${submit}`];
    case "submitted": case "under_review": case "on_site":
      return [3, me.status === "on_site" ? "请按报名县区（院校）的要求携带证件原件到现场审核" : "资格审核中，请留意短信通知"];
    case "approved":
      return afterApproval(me, steps);
    case "rejected": // what the candidate can still do: ask, and where
      return [3, `资格审核未通过${refused && refused.reason ? `：${refused.reason}` : ""}。如对结果有异议，请在审核时间内咨询${askWhere()}；不能再次提交报名。`];
    case "withdrawn":
      return [5, `未在${windowText("payment")}内缴费，视为自愿放弃本次报名。如有疑问请咨询${askWhere()}。`];
    case "cancelled":
      return [0, `已取消报考资格（见诚信记录）。如有异议请咨询${askWhere()}。`];
    default:
      return [0, word("status", me.status)];
  }
}

function begun(name) {
  // the season's window has opened by the season's own clock
  const w = state.season.windows.find((x) => x.name === name);
  return Boolean(w && w.start && new Date(state.season.now) >= new Date(w.start));
}

function afterApproval(me, steps) {
  // 志愿 → 缴费 → 准考证 → 成绩 → 录取: the season's windows and the candidate's own record
  if (begun("admission_query")) return [8, "录取结果已可查询，请在下方“录取查询”查看结果及说明", true];
  if (begun("score_release")) {
    const review = state.season.windows.some((w) => w.name === "score_review");
    return [7, `成绩已发布，请查询成绩${review ? `；如有异议，可在${windowText("score_review")}内申请复核` : ""}`, true];
  }
  if (me.exam_number) return [6, `考场已安排（准考证号 ${me.exam_number}），请在${windowText("ticket_printing")}内打印准考证`, true];
  const paid = steps.some((s) => s.action === "payment:paid");
  if (paid && me.approvals && me.approvals.exemption) return [6, "已缴费。免试考生不参加考试，请留意录取查询", true];
  if (paid) return [6, `已缴费。考场编排完成后，请在${windowText("ticket_printing")}内打印准考证`, true];
  const chosen = steps.some((s) => s.action.startsWith("preferences:"));
  if (chosen) return [5, `志愿已填报，请在${windowText("payment")}内缴费`, true];
  return [4, `资格审核已通过，请在${windowText("preferences")}内填报志愿，并在${windowText("payment")}内缴费`, true];
}

function renderSteps(me, steps) {
  const [current, text, good] = whereAmI(me, steps);
  const names = LABELS.steps.map((n) => (n === "提交" ? state.season.texts.submit : n));
  render(html`${names.map((n, i) => i === current
    ? html`<li aria-current="step">${n}</li>` : html`<li class="${i < current ? "done" : ""}">${n}</li>`)}`, $("#steps"));
  $("#next").textContent = text;
  $("#next").classList.toggle("good", Boolean(good));
}

async function showMe() {
  if (!state.session.signedIn) { $("#me-empty").hidden = false; $("#my-file").hidden = true; return; }
  try {
    state.me = await state.session.call("GET", "/me");
  } catch (error) {
    if (error.status === 401) logout();
    $("#me-empty").textContent = error.message;
    return;
  }
  const me = state.me;
  const s = state.season;
  const rows = [
    ["姓名", me.name], ["身份证号", me.id_number], ["手机号", me.phone], ["考试季", s.name],
    ["所在院校", me.college_code && named(s.colleges, me.college_code)],
    ["专业", me.major_code && named(s.majors, me.major_code)],
    ["报名县（市、区）", me.county_code && named(s.counties, me.county_code)],
    ["状态", word("status", me.status)], ["注册时间", beijing(me.registered_at)],
    ["修改截止", me.correct_until && `请于${beijing(me.correct_until)}前修改并重新提交`],
    ["诚信记录", me.integrity.map((v) => `${v.label}（${v.decision_no}）：${v.description}`).join("；")],
  ];
  render(html`${rows.filter(([, v]) => v).map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}`, $("#record"));
  $("#status").textContent = word("status", me.status);
  $("#status").dataset.status = me.status;
  $("#me-empty").hidden = true;
  $("#my-file").hidden = false;
  const { editable } = me;
  fillProfile(me.profile || {});
  $$("#profile input, #profile select, #profile button").forEach((el) => (el.disabled = !editable));
  renderUploads(me, editable);
  renderChecks(me.checks);
  const form = state.season.registration_form;
  $("#print-form").hidden = editable;
  $("#print-form").textContent = `下载${form}（PDF，打印后携带至现场审核）`;
  const submit = $("#submit");
  submit.hidden = !editable;
  submit.textContent = s.texts.submit_button;
  render(editable
    ? html`${me.missing.map((m) => html`<li>${m}</li>`)}`
    : html`<li class="done">已于报名进程所示时间提交，当前状态：${word("status", me.status)}</li>`, $("#missing"));
  await renderTimeline();
}

function renderProfileForm() {
  const s = state.season;
  const form = $("#profile");
  const category = form.category;
  category.length = 0;
  for (const c of s.categories) category.add(new Option(c.name, c.code));
  form.ethnicity.length = 1;
  for (const name of s.ethnic_groups) form.ethnicity.add(new Option(name, name));
  const level = form.level;
  level.length = 1;
  for (const lv of s.levels) level.add(new Option(lv.name, lv.code));
  $(".levels", form).hidden = !s.levels.length;
  $$("[data-field]", form).forEach((el) => (el.hidden = !s.profile_fields.includes(el.dataset.field)));
  $(".bonus", form).hidden = !s.bonus.length;
  render(html`${s.bonus.map((b) => html`<label class="check"><input type="checkbox" value="${b.code}"> ${b.name}（${b.points}分）</label>`)}`, $("#bonus"));
  toggleCompetition();
}

function toggleCompetition() {
  $(".competition", $("#profile")).hidden = $("#profile").category.value !== "competition";
}

function fillProfile(p) {
  const form = $("#profile");
  form.native_place.value = p.native_place || "";
  form.ethnicity.value = p.ethnicity || "";
  for (const [k, v] of Object.entries(p.mailing_address || {})) if (form["addr_" + k]) form["addr_" + k].value = v;
  form.category.value = p.category || "ordinary";
  form.level.value = p.level || "";
  form.education.value = p.education || "";
  for (const name of ["merit_third_class", "medical_major", "medical_graduate", "medical_certificate", "lost_diploma", "hmt_or_foreign", "current_student"]) form[name].checked = !!p[name];
  form.fresh_graduate.checked = p.fresh_graduate !== false;
  $$("#bonus input").forEach((box) => (box.checked = (p.bonus_claims || []).includes(box.value)));
  for (const [k, v] of Object.entries(p.competition || {})) if (form["award_" + k]) form["award_" + k].value = v;
  toggleCompetition();
}

function profileBody(form) {
  const address = {};
  for (const k of ["recipient", "phone", "province", "city", "address", "postcode"]) address[k] = form["addr_" + k].value;
  const body = {
    version: state.me.version, native_place: form.native_place.value, mailing_address: address,
    category: form.category.value,
  };
  for (const name of state.season.profile_fields) { // only what the season asks for
    const input = form[name];
    body[name] = input.type === "checkbox" ? input.checked : input.value || null;
  }
  if (state.season.levels.length) body.level = form.level.value || null;
  body.bonus_claims = $$("#bonus input:checked").map((b) => b.value);
  if (body.category === "competition") {
    body.competition = {};
    for (const k of ["event", "item", "award_level", "award_date"]) body.competition[k] = form["award_" + k].value;
  }
  return body;
}

let flagging = null;
function flagProfile() {
  // the automatic checks on what is typed, before saving: a choice they would refuse is said
  // at once (an incomplete form is not judged yet)
  clearTimeout(flagging);
  flagging = setTimeout(async () => {
    const box = $("#profile-flags");
    try {
      const checks = await state.session.call("POST", "/me/profile/check", profileBody($("#profile")));
      render(html`${checks.map((c) => html`<li class="${c.outcome === "fail" ? "bad" : "warn"}">${c.outcome === "fail" ? "提交后资格自动校验将不通过" : "提交后须到现场审核"}：${c.reason}<br><small>${c.description}</small></li>`)}`, box);
      box.hidden = !checks.length;
    } catch {
      box.hidden = true;
    }
  }, 300);
}

async function saveProfile(event) {
  event.preventDefault();
  const form = event.target;
  try {
    await state.session.call("PUT", "/me/profile", profileBody(form));
    showErrors(form, null);
    $("#profile-ok").hidden = false;
    setTimeout(() => ($("#profile-ok").hidden = true), 2000);
    await showMe();
  } catch (error) {
    const rename = (field) => field.replace(/^mailing_address\./, "addr_").replace(/^competition\./, "award_");
    showErrors(form, { field: error.field, fields: error.fields, message: error.message }, rename);
  }
}

// -- uploads (R4.3: straight to object storage, with progress) -----------------
function pixels() {
  // the photo rule in words before the upload: its pixel size from the policy
  const p = state.season.photo;
  return `，宽${p.min_width}–${p.max_width}像素、高${p.min_height}–${p.max_height}像素`;
}

function renderUploads(me, editable) {
  const list = $("#uploads");
  const seen = me.status === "on_site" && !!(me.on_site_steps || {}).seen; // seed 004: 现场审核后上传
  const items = me.uploads_needed.map((u) => {
    const doc = me.documents[u.code];
    const result = doc ? (doc.status === "accepted" ? html`<span class="ok">已通过检查</span>` : html`<span class="bad">未通过：${doc.reason}</span>`) : html`<span class="hint">未上传</span>`;
    const thumb = doc && doc.status === "accepted" && state.thumbs[u.code] && doc.upload === state.thumbs[u.code].name
      && html`<img class="thumb" src="${state.thumbs[u.code].url}" alt="已上传的${u.name}">`;
    const accept = u.content_types.join(",");
    return html`<li data-code="${u.code}"><div><strong>${u.name}</strong>${u.required ? "" : "（如有）"}
      <span class="hint">（${u.content_types.map((t) => t.split("/")[1].toUpperCase()).join("/")}格式，不超过${Math.floor(u.max_bytes / 1024)}KB${u.code === "photo" ? pixels() : ""}）</span></div>
      <div class="result">${result}</div>${thumb}
      ${u.form && u.form.length > 0 && html`<button type="button" class="print-form" data-code="${u.code}">打印空白表格</button>`}
      ${u.after_on_site && !seen && html`<div class="hint">现场审核（核验原件）后上传原件照片</div>`}
      ${(u.after_on_site ? seen : editable) && html`<input type="file" accept="${accept}" aria-label="上传${u.name}"><progress max="100" value="0" hidden></progress>`}</li>`;
  });
  render(items.length ? html`${items}` : html`<li class="hint">无须上传材料（证件照由院校随学籍信息导入）</li>`, list);
  $$("#uploads input[type=file]").forEach((input) => input.addEventListener("change", () => uploadFile(input)));
  $$("#uploads .print-form").forEach((b) => b.addEventListener("click", () => printForm(me.uploads_needed.find((u) => u.code === b.dataset.code))));
}

async function showScores() {
  const table = $("#score-table");
  $("#exam-error").textContent = "";
  table.hidden = true;
  try {
    const r = await state.session.call("GET", "/me/scores");
    const rows = r.subjects.map((s) => [s.name, s.absent ? "缺考" : String(s.score)]);
    if (r.void) rows.push(["说明", r.note]);
    else rows.push(["总分（不含照顾分）", r.total ?? "—"], ["录取照顾分", String(r.bonus)], ["投档成绩（含照顾分）", r.total_with_bonus ?? "—"]);
    render(html`${rows.map(([k, v]) => html`<tr><td>${k}</td><td>${v}</td></tr>`)}`, $("tbody", table));
    table.hidden = false;
  } catch (error) {
    $("#exam-error").textContent = error.message;
  }
}

async function showAdmission() {
  const box = $("#admission-result");
  $("#admission-error").textContent = "";
  box.hidden = true;
  try {
    const r = await state.session.call("GET", "/me/admission");
    const rows = r.admitted
      ? [["录取院校", `${r.school_name || r.school}（${r.school}）`], ["录取专业", `${r.major_name || r.major}（${r.major}）`],
         ["录取方式", `第${r.round}轮${r.adjusted ? "（服从调剂）" : ""}`], ["录取成绩（含照顾分）", r.score ?? "免试"]]
      : [["录取结果", r.cancelled ? "录取已取消" : "未被录取"]];
    rows.push(["说明", r.reason || "—"]);
    if (r.letter) rows.push(["录取通知书", `${r.letter.carrier} ${r.letter.tracking_number}`]);
    render(html`<table class="scores"><tbody>${rows.map(([k, v]) => html`<tr><th scope="row">${k}</th><td>${v}</td></tr>`)}</tbody></table>`, box);
    box.className = r.admitted ? "ok" : "";
    box.hidden = false;
    const offered = r.admitted ? [] : (await state.session.call("GET", "/me/preferences")).offered_plan_types.filter((t) => t !== "ordinary");
    $("#supplementary").hidden = !offered.length; // 征集志愿: only for a special plan type approved
    render(html`${offered.map((t) => html`<option value="${t}">${named(state.season.categories, t)}</option>`)}`, $("#supplementary select"));
  } catch (error) {
    $("#admission-error").textContent = error.message;
  }
}

async function fileSupplementary(event) {
  event.preventDefault();
  const form = event.target;
  const button = $("button", form);
  button.disabled = true;
  try {
    const filed = await state.session.call("POST", "/me/supplementary-choice", formData(form));
    showErrors(form, null);
    const done = Object.assign(document.createElement("p"), { className: "ok" });
    done.textContent = `已提交征集志愿：${filed.school} ${filed.major}（${beijing(filed.filed_at)}）`;
    form.append(done);
  } catch (error) {
    showErrors(form, error);
  } finally {
    button.disabled = false;
  }
}

function printForm(u) {
  // a blank form (e.g. 审批表) to fill in by hand and have signed: the policy gives its rows
  const name = u.name.replace(/原件照片$/, "");
  const page = window.open("", "_blank");
  page.document.title = name;
  page.document.documentElement.lang = "zh-CN";
  render(html`<style>body{font-family:serif;margin:2cm}h1{font-size:20px;text-align:center}table{width:100%;border-collapse:collapse}
    th,td{border:1px solid #000;padding:10px;height:48px;text-align:left}th{width:35%;font-weight:normal}</style>
    <h1>${name}</h1><table>${u.form.map((r) => html`<tr><th>${r}</th><td></td></tr>`)}</table><p>（一式两份）</p>`, page.document.body);
  page.print();
}

async function uploadFile(input) {
  const item = input.closest("li");
  const code = item.dataset.code;
  const file = input.files[0];
  if (!file) return;
  const progress = $("progress", item);
  const result = $(".result", item);
  try {
    const form = await state.session.call("POST", "/me/uploads", { code, content_type: file.type || "application/octet-stream" });
    if (file.size > form.max_bytes) throw new Error(`文件不能超过${Math.floor(form.max_bytes / 1024)}KB`);
    const data = new FormData();
    for (const [k, v] of Object.entries(form.fields)) data.append(k, v);
    data.append("file", file);
    progress.hidden = false;
    await new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", form.url);
      xhr.upload.onprogress = (e) => e.lengthComputable && (progress.value = (100 * e.loaded) / e.total);
      xhr.onload = () => (xhr.status < 300 ? resolve() : reject(new Error("上传失败，请重试")));
      xhr.onerror = () => reject(new Error("上传失败，请检查网络后重试"));
      xhr.send(data);
    });
    progress.value = 100;
    render(html`<span class="hint">已上传，正在检查…</span>`, result);
    const name = form.key.split("/").pop();
    if (file.type.startsWith("image/")) state.thumbs[code] = { name, url: URL.createObjectURL(file) }; // shown once accepted
    for (let i = 0; i < 60; i++) {
      const me = await state.session.call("GET", "/me");
      if (me.documents[code] && me.documents[code].upload === name) return showMe();
      await new Promise((r) => setTimeout(r, 500));
    }
    render(html`<span class="hint">检查仍在进行，请稍后刷新</span>`, result);
  } catch (error) {
    render(html`<span class="bad">${error.message}</span>`, result);
  }
}

async function sendPhoneCodes(button) {
  const form = $("#change-phone");
  button.disabled = true;
  try {
    const sent = await state.session.call("POST", "/me/phone/otp", { phone: form.phone.value });
    showErrors(form, null);
    $("#phone-ok").hidden = false;
    $("#phone-ok").textContent = `验证码已发送至 ${sent.old_sent_to} 和 ${sent.sent_to}`;
  } catch (error) {
    showErrors(form, error);
  } finally {
    button.disabled = false;
  }
}

async function changePhone(event) {
  event.preventDefault();
  const form = event.target;
  try {
    const body = { phone: form.phone.value, old_code: form.old_code.value, new_code: form.new_code.value };
    await state.session.call("PUT", "/me/phone", body);
    showErrors(form, null);
    form.reset();
    $("#phone-ok").hidden = false;
    $("#phone-ok").textContent = "手机号已更换，今后请用新手机号登录。";
    await showMe();
  } catch (error) {
    showErrors(form, error);
  }
}

async function submitFile() {
  // no mistake final by one tap: what is submitted, checked once more
  const me = state.me;
  const p = me.profile || {};
  const category = (state.season.categories.find((c) => c.code === p.category) || {}).name || "";
  const { submit, submit_locks: locks } = state.season.texts;
  if (!confirm(`请核对后${submit}：\n姓名：${me.name}\n身份证号：${me.id_number}\n报考类别：${category}\n\n${locks}`)) return;
  const button = $("#submit");
  button.disabled = true;
  try {
    await state.session.call("POST", "/me/submission", { version: state.me.version });
    $("#submit-error").textContent = "";
    await showMe();
    setTimeout(showMe, 1500); // the automatic checks run right after submission
  } catch (error) {
    $("#submit-error").textContent = error.message;
  } finally {
    button.disabled = false;
  }
}

function renderChecks(checks) {
  render(checks.length ? html`${checksList(checks)}` : html`<li class="hint">提交后自动校验</li>`, $("#checks"));
}

async function renderTimeline() {
  const steps = await state.session.call("GET", "/me/timeline");
  if (!state.me) return; // signed out while the timeline was on its way
  renderSteps(state.me, steps);
  render(html`${steps.map((s) => {
    const status = s.after && s.after.status && s.before && s.before.status !== s.after.status && `（${word("status", s.after.status)}）`;
    return html`<li><time>${beijing(s.at)}</time> ${s.label}${status}${s.reason && `：${s.reason}`}</li>`;
  })}`, $("#timeline"));
}

function logout() {
  state.session.end();
  state.me = null;
  showMe();
}

async function start() {
  const config = await fetch("/local/config.json").then((r) => (r.ok ? r.json() : {})).catch(() => ({}));
  $$(".local").forEach((el) => (el.hidden = !config.local));
  await seasonPicker($("#season"), chooseSeason);
  $$(".tabs button").forEach((b) => b.addEventListener("click", () => openTab(b.dataset.tab)));
  $("#send-otp").addEventListener("click", (e) => sendCode($("#register"), e.target, "otp"));
  $("#send-reset").addEventListener("click", (e) => sendCode($("#reset"), e.target, "password-reset/otp"));
  $$(".captcha img").forEach((img) => img.addEventListener("click", () => newCaptcha(img.closest(".captcha"))));
  $("#forgot").addEventListener("click", () => { $("#reset").phone.value = $("#login").phone.value; openTab("reset"); });
  $("#back-to-login").addEventListener("click", () => openTab("login"));
  $("#reset").addEventListener("submit", resetPassword);
  $("#change-password").addEventListener("submit", changePassword);
  $("#register").addEventListener("submit", register);
  $("#login").addEventListener("submit", login);
  $("#profile").addEventListener("submit", saveProfile);
  $("#profile").addEventListener("change", flagProfile);
  $("#profile").category.addEventListener("change", toggleCompetition);
  $("#submit").addEventListener("click", submitFile);
  $("#ticket").addEventListener("click", () => {
    $("#exam-error").textContent = "";
    state.session.download("/me/ticket", "准考证.pdf").catch((e) => ($("#exam-error").textContent = e.message));
  });
  $("#scores").addEventListener("click", showScores);
  $("#admission").addEventListener("click", showAdmission);
  $("#supplementary").addEventListener("submit", fileSupplementary);
  $("#print-form").addEventListener("click", () => {
    const name = `${state.season.registration_form}.pdf`;
    state.session.download("/me/registration-form", name).catch((e) => ($("#submit-error").textContent = e.message));
  });
  $("#logout").addEventListener("click", logout);
  $("#send-phone-codes").addEventListener("click", (e) => sendPhoneCodes(e.target));
  $("#change-phone").addEventListener("submit", changePhone);
  if (location.hash === "#prefs" && state.session.signedIn) openTab("prefs"); // back from the pay page
  else if (state.session.signedIn) openTab("me"); // a reload keeps the session: my record
  document.body.dataset.ready = "true";
}

start();
