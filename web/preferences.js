// 招考 · 志愿与缴费 — the rules, the plan catalogue, the choice and its history, the fee.
import { $, $$, beijing, html, render, showErrors } from "./common.js";
import { state } from "./state.js";

const prefs = { view: null, draft: null, search: { q: "", offset: 0, limit: 10 }, items: [] };

function rulesOf() { return state.season.preferences; }
function windowOf(name) { return state.season.windows.find((w) => w.name === name); }
function categoryName(code) { return (state.season.categories.find((c) => c.code === code) || {}).name || code; }
function subjectName(code) { return (state.season.subject_categories.find((c) => c.code === code) || {}).name || code; }
function levelName(code) { return (state.season.levels.find((l) => l.code === code) || {}).name || code; }

export async function showPreferences() {
  const signedIn = state.session.signedIn;
  $("#prefs-empty").hidden = signedIn;
  $("#prefs-body").hidden = !signedIn;
  if (!signedIn) return;
  try {
    [state.me, prefs.view] = await Promise.all([
      state.session.call("GET", "/me"), state.session.call("GET", "/me/preferences"),
    ]);
  } catch (error) {
    if (error.status === 401) { state.session.end(); state.me = null; } // signed out elsewhere
    $("#prefs-empty").hidden = false;
    $("#prefs-empty").textContent = error.message;
    return;
  }
  prefs.draft = draftOf(prefs.view.choice, prefs.view.labels);
  renderRules();
  renderChoice();
  renderHistory();
  const paying = sessionStorage.getItem("zhaokao.paying"); // back from the pay page
  sessionStorage.removeItem("zhaokao.paying");
  await Promise.all([searchPlans(), renderPayment(!!paying)]);
}

function draftOf(choice, labels) {
  const c = choice || {};
  const schools = (c.schools || []).map((s) => ({
    school: s.school, name: labels[s.school] || s.school,
    majors: s.majors.map((m) => ({ code: m, name: labels[`${s.school}/${m}`] || m })),
  }));
  return { plan_type: c.plan_type || "", subject_category: c.subject_category || "", schools };
}

function renderRules() {
  const w = windowOf("preferences");
  $("#prefs-window").textContent = w ? `志愿填报时间：${w.text}${w.open ? "（正在进行）" : "（当前不在填报时间内）"}` : "";
  render(html`${prefs.view.rules.map((r) => html`<li>${r}</li>`)}`, $("#rules"));
}

function editable() {
  const w = windowOf("preferences");
  return !!(w && w.open) && !prefs.view.confirmed;
}

function renderChoice() {
  const v = prefs.view, form = $("#choice"), rules = rulesOf();
  const badge = $("#prefs-state");
  badge.textContent = v.confirmed ? "已确认" : v.saved ? `已保存第${v.saved}版` : "未填报";
  badge.dataset.status = v.confirmed ? "approved" : "";
  const planType = form.plan_type;
  planType.length = 0;
  $(".plan-type", form).hidden = !rules.plan_type_choice;
  if (rules.plan_type_choice) {
    planType.add(new Option(v.offered_plan_types.length ? "请选择" : "资格审核通过后方可填报", ""));
    for (const t of v.offered_plan_types) planType.add(new Option(categoryName(t), t));
    planType.value = prefs.draft.plan_type;
  }
  $(".adjust", form).hidden = !rules.asks_adjustment;
  form.adjust.checked = Boolean((v.choice || {}).adjust);
  const level = (state.me.profile || {}).level;
  $("#level-line").hidden = !state.season.levels.length;
  $("#level-line").textContent = level ? `报考层次：${levelName(level)}（与报名信息一致）` : "请先在“我的报名”中选择报考层次";
  const subject = form.subject_category;
  $(".subject", form).hidden = level !== "zsb" || !state.season.subject_categories.length;
  subject.length = 1;
  for (const c of state.season.subject_categories) subject.add(new Option(c.name, c.code));
  subject.value = prefs.draft.subject_category;
  renderSlots();
  const open = editable();
  $$("select, button", form).forEach((el) => (el.disabled = !open));
  $("#confirm-choice").hidden = !rules.confirm_locks || v.confirmed;
  $("#confirm-choice").disabled = !open || !v.saved;
  $("#save-choice").hidden = v.confirmed;
}

const ORDINAL = ["一", "二", "三", "四", "五"];

function renderSlots() {
  const rules = rulesOf(), open = editable();
  const slots = prefs.draft.schools.map((s, i) => html`<li>
      <div><strong>第${ORDINAL[i]}志愿院校：${s.name}（${s.school}）</strong>
        ${open && i > 0 && html`<button type="button" class="link" data-up="${i}">上移</button>`}
        ${open && html`<button type="button" class="link" data-drop="${i}">移除院校</button>`}</div>
      <div class="error" data-for="schools.${i}.school"></div>
      <ol class="majors">${s.majors.map((m, j) => html`<li>专业${ORDINAL[j]}：${m.name}（${m.code}）
        ${open && j > 0 && html`<button type="button" class="link" data-up="${i}/${j}">上移</button>`}
        ${open && html`<button type="button" class="link" data-drop="${i}/${j}">移除</button>`}
        <div class="error" data-for="schools.${i}.majors.${j}"></div></li>`)}</ol>
      <div class="error" data-for="schools.${i}.majors"></div></li>`);
  render(slots.length ? html`${slots}`
    : html`<li class="hint">尚未选择。请在下方“招生计划查询”中点“选入志愿”，最多${rules.schools}所院校、每所${rules.majors_per_school}个专业。</li>`, $("#slots"));
}

// Unsaved changes: said under the buttons, and leaving the page asks first.
function changed(dirty = true) {
  prefs.dirty = dirty;
  $("#unsaved").hidden = !dirty;
}

function moveUp(target) {
  // choices are ordered: a school or a major one place earlier
  const [i, j] = target.split("/").map(Number);
  const list = j === undefined ? prefs.draft.schools : prefs.draft.schools[i].majors;
  const k = j === undefined ? i : j;
  [list[k - 1], list[k]] = [list[k], list[k - 1]];
  changed();
  renderSlots();
}

function dropSlot(event) {
  if (event.target.dataset.up !== undefined) return moveUp(event.target.dataset.up);
  const target = event.target.dataset.drop;
  if (target === undefined) return;
  changed();
  const [i, j] = target.split("/").map(Number);
  if (j === undefined) prefs.draft.schools.splice(i, 1);
  else {
    prefs.draft.schools[i].majors.splice(j, 1);
    if (!prefs.draft.schools[i].majors.length) prefs.draft.schools.splice(i, 1);
  }
  renderSlots();
}

// A pick answers where it was tapped: "已选入", or why not, beside the button.
function pick(plan, button) {
  const rules = rulesOf(), schools = prefs.draft.schools, form = $("#choice");
  showErrors(form, null);
  const answer = (text, ok) => {
    const note = button.nextElementSibling;
    note.textContent = text;
    note.className = `pick-note ${ok ? "ok" : "bad"}`;
    if (!ok) showErrors(form, { field: "schools", message: text });
  };
  if (rules.schools === 1 && rules.majors_per_school === 1) schools.length = 0; // one choice: replace it
  let slot = schools.find((s) => s.school === plan.school_code);
  if (!slot) {
    if (schools.length >= rules.schools) return answer(`最多填报${rules.schools}所院校，请先移除一所`, false);
    slot = { school: plan.school_code, name: plan.school_name, majors: [] };
    schools.push(slot);
  }
  if (slot.majors.some((m) => m.code === plan.major_code)) return answer("该专业已在志愿中", false);
  if (slot.majors.length >= rules.majors_per_school) return answer(`每所院校最多填报${rules.majors_per_school}个专业`, false);
  slot.majors.push({ code: plan.major_code, name: plan.major_name });
  changed();
  answer("已选入，保存后生效", true);
  if (rules.plan_type_choice && !prefs.draft.plan_type && prefs.view.offered_plan_types.includes(plan.plan_type)) {
    prefs.draft.plan_type = plan.plan_type;
    form.plan_type.value = plan.plan_type;
  }
  renderSlots();
}

function choiceBody() {
  const form = $("#choice"), body = { version: prefs.view.version };
  body.schools = prefs.draft.schools.map((s) => ({ school: s.school, majors: s.majors.map((m) => m.code) }));
  if (rulesOf().asks_adjustment) body.adjust = form.adjust.checked;
  if (rulesOf().plan_type_choice) body.plan_type = form.plan_type.value || null;
  else {
    body.level = (state.me.profile || {}).level || null;
    if (body.level === "zsb") body.subject_category = form.subject_category.value || null;
  }
  return body;
}

async function saveChoice(event) {
  event.preventDefault();
  await changeChoice("PUT", "/me/preferences", choiceBody(), "志愿已保存");
}

async function confirmChoice() {
  if (!confirm("确认后志愿不能再修改，确定确认吗？")) return;
  await changeChoice("POST", "/me/preferences/confirmation", { version: prefs.view.version }, "志愿已确认");
}

async function restoreVersion(no) {
  await changeChoice("POST", "/me/preferences/restore", { no, version: prefs.view.version }, `已恢复为第${no}版`);
}

async function changeChoice(method, path, body, done) {
  const form = $("#choice");
  try {
    await state.session.call(method, path, body);
    showErrors(form, null);
    changed(false);
    await showPreferences();
    const ok = $("#choice-ok");
    ok.textContent = done;
    ok.hidden = false;
    setTimeout(() => (ok.hidden = true), 3000);
  } catch (error) {
    showErrors(form, error);
  }
}

function describeChoice(choice, labels) {
  if (!choice) return "";
  const head = choice.plan_type ? categoryName(choice.plan_type) + "：" :
    choice.level ? levelName(choice.level) + (choice.subject_category ? `·${subjectName(choice.subject_category)}` : "") + "：" : "";
  return head + choice.schools.map((s) =>
    `${labels[s.school] || s.school}（${s.majors.map((m) => labels[`${s.school}/${m}`] || m).join("、")}）`).join("；");
}

function renderHistory() {
  const v = prefs.view, open = editable();
  const rows = v.history.map((h, i) => html`<tr>
      <td>第${h.no}版${h.restored_from && html`<div class="hint">由第${h.restored_from}版恢复</div>`}${i === 0 && html`<div class="hint">当前</div>`}</td>
      <td>${beijing(h.saved_at)}</td><td class="${h.by === "本人" ? "" : "bad"}">${h.by}</td>
      <td>${describeChoice(h.choice, v.labels)}</td>
      <td>${open && i > 0 && html`<button type="button" data-restore="${h.no}">恢复此版本</button>`}</td></tr>`);
  render(rows.length ? html`${rows}` : html`<tr><td colspan="5" class="hint">尚无保存记录</td></tr>`, $("#history tbody"));
}

// -- the plan catalogue (专业计划信息查询) -------------------------------------------
async function searchPlans() {
  const s = prefs.search, form = $("#choice"), params = new URLSearchParams({ offset: s.offset, limit: s.limit });
  if (s.q) params.set("q", s.q);
  const level = (state.me.profile || {}).level;
  if (state.season.levels.length && level) params.set("level", level);
  const kind = rulesOf().plan_type_choice ? form.plan_type.value : level === "zsb" ? form.subject_category.value : "";
  if (kind) params.set("plan_type", kind);
  const page = await state.session.call("GET", `/me/catalogue?${params}`); // marked for this candidate
  const open = editable();
  $("#plans-total").textContent = `共${page.total}条` + (kind ? `（${rulesOf().plan_type_choice ? categoryName(kind) : subjectName(kind)}）` : "");
  const rows = page.items.map((p, i) => html`<tr>
      <td>${p.school_name}<div class="hint">${p.school_code}</div></td>
      <td>${p.major_name}<div class="hint">${p.major_code}${p.medical ? " · 医学类" : ""}</div>
        ${p.not_allowed ? html`<div class="bad small">不可填报：${p.not_allowed}</div>` : rulesOf().same_or_close && html`<div class="ok small">与本人专科专业相同或相近</div>`}</td>
      <td>${p.plan_type ? (rulesOf().plan_type_choice ? categoryName(p.plan_type) : subjectName(p.plan_type)) : levelName(p.level)}</td>
      <td>${p.seats}</td>
      <td>${open && !p.not_allowed && html`<button type="button" data-pick="${i}">选入志愿</button><span class="pick-note" aria-live="polite"></span>`}</td></tr>`);
  render(rows.length ? html`${rows}` : html`<tr><td colspan="5" class="hint">没有符合条件的招生计划</td></tr>`, $("#plans tbody"));
  prefs.items = page.items;
  $("#plans-prev").disabled = s.offset === 0;
  $("#plans-next").disabled = s.offset + s.limit >= page.total;
}

function pageBy(step) {
  prefs.search.offset = Math.max(0, prefs.search.offset + step * prefs.search.limit);
  searchPlans();
}

// -- the fee (R9) and the receipt ----------------------------------------------------
async function renderPayment(waitForPaid = false) {
  const v = prefs.view, button = $("#pay-start");
  const w = windowOf("payment");
  let payment = await state.session.call("GET", "/me/payment");
  for (let i = 0; waitForPaid && payment.status === "PENDING" && i < 40; i++) {
    render(html`<p class="hint">正在确认支付结果…</p>`, $("#fee"));
    await new Promise((r) => setTimeout(r, 500));
    payment = await state.session.call("GET", "/me/payment");
  }
  button.hidden = true;
  $("#receipt").hidden = payment.status !== "PAID";
  if (payment.status === "PAID") {
    render(html`<p class="ok">缴费成功</p>`, $("#fee"));
    return renderReceipt(payment);
  }
  // whether paying is open, and if not why, is the server's answer (the same rules as the order)
  const due = v.fee > 0 && html`<p>应缴报名考试费：<strong>${v.fee}元</strong>${
    w && html`<div class="hint">缴费时间：${w.text}。${state.season.texts.fee_note}</div>`}</p>`;
  const note = payment.blocked || (payment.status === "PENDING" ? `订单 ${payment.out_trade_no} 尚未支付。` : "");
  render(html`${due}${note && html`<p class="hint">${note}</p>`}`, $("#fee"));
  button.hidden = !!payment.blocked;
  button.textContent = `去缴费（¥${v.fee.toFixed(2)}）`;
}

async function startPayment() {
  try {
    const order = await state.session.call("POST", "/me/payment");
    const back = location.href.split("#")[0] + "#prefs";
    sessionStorage.setItem("zhaokao.paying", order.out_trade_no);
    location.href = `${order.pay_url}?return=${encodeURIComponent(back)}`;
  } catch (error) {
    $("#pay-error").textContent = error.message;
    if (error.code === "already_paid") renderPayment();
  }
}

function renderReceipt(p) {
  const me = state.me;
  const rows = [
    ["考生姓名", me.name], ["身份证号", me.id_number], ["考试季", state.season.name],
    ["收款单位", state.season.fees.payee], ["缴费项目", "报名考试费"], ["金额", `¥${p.amount_yuan.toFixed(2)}`], ["订单号", p.out_trade_no],
    ["支付交易号", p.transaction_id], ["缴费时间", beijing(p.paid_at)],
  ];
  render(html`<h4>缴费凭证</h4><dl>${rows.filter(([, v]) => v).map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>
    <p class="hint">${state.season.texts.fee_note}请妥善保存本凭证。</p><button type="button" class="print">打印凭证</button>`, $("#receipt"));
  $("#receipt .print").addEventListener("click", () => window.print());
  $("#receipt").scrollIntoView({ block: "nearest" }); // after payment: the receipt in view
}

function startPreferences() {
  $("#choice").addEventListener("submit", saveChoice);
  $("#confirm-choice").addEventListener("click", confirmChoice);
  $("#slots").addEventListener("click", dropSlot);
  $("#choice").plan_type.addEventListener("change", (e) => { prefs.draft.plan_type = e.target.value; prefs.search.offset = 0; searchPlans(); });
  $("#choice").subject_category.addEventListener("change", (e) => { prefs.draft.subject_category = e.target.value; prefs.search.offset = 0; searchPlans(); });
  $("#search").addEventListener("submit", (e) => { e.preventDefault(); prefs.search = { ...prefs.search, q: e.target.q.value.trim(), offset: 0 }; searchPlans(); });
  $("#plans").addEventListener("click", (e) => { const i = e.target.dataset.pick; if (i !== undefined) pick(prefs.items[Number(i)], e.target); });
  window.addEventListener("beforeunload", (e) => { if (prefs.dirty) { e.preventDefault(); e.returnValue = ""; } }); // unsaved: ask first
  $("#history").addEventListener("click", (e) => { const no = e.target.dataset.restore; if (no) restoreVersion(Number(no)); });
  $("#plans-prev").addEventListener("click", () => pageBy(-1));
  $("#plans-next").addEventListener("click", () => pageBy(1));
  $("#pay-start").addEventListener("click", startPayment);
}

startPreferences();
