// 招考 · 资格审核工作台 — a unit's queue, a candidate's file, decisions, batch approval (R6).
import {
  $, $$, API, LABELS, beijing, call, checksList, html, named, render, seasonPicker,
  showErrors, who, word,
} from "./common.js";
import { session, staffSignIn } from "./staff.js";

const desk = { session, season: null, page: null, open: null };

async function chooseSeason(id) {
  desk.season = await call("GET", `/seasons/${id}`);
  const category = $("#category");
  category.length = 1;
  for (const c of desk.season.categories) category.add(new Option(c.name, c.code));
  $("#file").hidden = true;
  if (desk.session.signedIn) await loadQueue();
}

// Signed in, the unit's queue; signed out, the sign-in form alone.
async function showDesk() {
  if (desk.session.signedIn) return loadQueue();
  $("#queue").hidden = true;
  $("#file").hidden = true;
  $("#staff-login").hidden = false;
}

async function loadQueue(more = false) {
  const params = new URLSearchParams({ state: $("#state").value, limit: "20" });
  if ($("#category").value) params.set("category", $("#category").value);
  if ($("#on-site").value) params.set("on_site", $("#on-site").value);
  if (more && desk.page) params.set("page", desk.page);
  let data;
  try {
    data = await desk.session.call("GET", `/seasons/${desk.season.season_id}/review/items?${params}`);
  } catch (error) {
    $("#staff-login").hidden = false;
    $("#queue").hidden = true;
    showErrors($("#staff-login"), error.status === 401 ? { field: "", message: "请先登录" } : error);
    return;
  }
  $("#staff-login").hidden = true;
  $("#queue").hidden = false;
  const period = desk.season.windows.find((w) => w.name === (data.unit === "province" ? "special_review" : "review"));
  $("#unit").textContent = `审核单位：${data.unit in LABELS.units ? word("units", data.unit) : named(desk.season.registration_unit === "county" ? desk.season.counties : desk.season.colleges, data.unit)}`
    + (period ? `；审核时间：${period.text}` : "");
  desk.page = data.next_page;
  render(html`${data.items.map((i) => itemRow(i, i.on_site ? "须现场审核" : ""))}`, $("#items"), { append: more });
  $("#search-clear").hidden = true;
  showCounts();
  $("#empty").hidden = $("#items").children.length > 0;
  $("#more").hidden = !desk.page;
  $("#batch").hidden = $("#state").value !== "pending";
  $$("#items a.open").forEach((a) => a.addEventListener("click", (e) => { e.preventDefault(); openFile(a.closest("tr").dataset.id); }));
}

// A row of the queue or of a search: a file to open, to tick for batch approval unless it
// must be seen on site (or is not waiting: a search's rows)
function itemRow(i, flag, tickable = !i.on_site) {
  return html`<tr data-id="${i.candidate_id}" data-version="${i.candidate_version}">
      <td><input type="checkbox" aria-label="选择${i.name}" ${tickable ? "" : html`disabled`}></td>
      <td><a href="#" class="open">${i.name}</a></td><td>${i.id_number}</td>
      <td>${i.category_name}</td><td>${beijing(i.queued_at)}</td>
      <td class="flags">${flag} ${i.flags.join("；")}</td></tr>`;
}

const COUNTED = ["pending", "approved", "rejected", "returned", "category_refused"];

async function showCounts() {
  const { counts } = await desk.session.call("GET", `/seasons/${desk.season.season_id}/review/counts`);
  $("#counts").textContent = COUNTED.map((state) => `${word("review_states", state)} ${counts[state] || 0}`).join("　");
}

async function search(event) {
  event.preventDefault();
  const q = event.target.q.value.trim();
  $("#search-error").textContent = "";
  if (!q) return loadQueue();
  try {
    const data = await desk.session.call("GET", `/seasons/${desk.season.season_id}/review/search?${new URLSearchParams({ q })}`);
    render(html`${data.items.map((i) => itemRow(i, word("review_states", i.state), false))}`, $("#items"));
    $("#empty").hidden = data.items.length > 0;
    $("#empty").textContent = data.items.length ? "" : "本单位没有找到该考生。身份证号请输入完整的18位。";
    $("#more").hidden = true;
    $("#search-clear").hidden = false;
    $$("#items a.open").forEach((a) => a.addEventListener("click", (e) => { e.preventDefault(); openFile(a.closest("tr").dataset.id); }));
  } catch (error) {
    $("#search-error").textContent = error.message;
  }
}

async function exportList() {
  const response = await fetch(`${API}/seasons/${desk.season.season_id}/review/export`, { headers: { Authorization: `Bearer ${desk.session.access}` } });
  if (!response.ok) { $("#search-error").textContent = "导出失败，请重新登录后再试"; return; }
  const link = Object.assign(document.createElement("a"), { href: URL.createObjectURL(await response.blob()), download: "审核名单.csv" });
  document.body.append(link);
  link.click();
  link.remove();
}

function neighbour(step) {
  // the file before or after the open one in the list as shown
  const ids = $$("#items tr[data-id]").map((tr) => tr.dataset.id);
  const at = ids.indexOf(desk.open && desk.open.candidate.candidate_id);
  return at < 0 ? undefined : ids[at + step];
}

async function openFile(candidateId) {
  const file = await desk.session.call("GET", `/seasons/${desk.season.season_id}/review/candidates/${candidateId}`);
  desk.open = file;
  const c = file.candidate;
  const p = c.profile || {};
  const category = desk.season.categories.find((x) => x.code === (p.category || "ordinary"));
  const rows = [
    ["姓名", c.name], ["身份证号", c.id_number], ["手机号", c.phone],
    ["院校", c.college_code && named(desk.season.colleges, c.college_code)],
    ["专业", c.major_code && named(desk.season.majors, c.major_code)],
    ["报名县（市、区）", c.county_code && named(desk.season.counties, c.county_code)],
    ["报考类别", category && category.name], ["报考层次", p.level && named(desk.season.levels, p.level)],
    ["籍贯", p.native_place], ["邮寄地址", p.mailing_address && `${p.mailing_address.province}${p.mailing_address.city}${p.mailing_address.address}`],
    ["照顾政策", (p.bonus_claims || []).map((b) => named(desk.season.bonus, b)).join("、")],
    ["竞赛获奖", p.competition && `${p.competition.event} ${p.competition.item} ${p.competition.award_level}（${p.competition.award_date}）`],
    ["各单位审核", Object.entries(file.units).map(([u, s]) => `${word("units", u)}：${word("review_states", s)}`).join("；")],
  ];
  render(html`${rows.filter(([, v]) => v).map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}`, $("#file-record"));
  $("#file-status").textContent = word("status", c.status);
  $("#file-status").dataset.status = c.status;
  render(file.checks.length ? html`${checksList(file.checks)}` : html`<li class="hint">无</li>`, $("#file-checks"));
  const docs = Object.entries(c.documents).map(([code, d]) => {
    if (d.status !== "accepted") return html`<p>${d.name || code}：<span class="bad">未通过检查（${d.reason}）</span></p>`;
    const image = (d.content_type || "").startsWith("image/");
    return html`<p>${d.name || code}：${image && html`<img class="doc-photo" alt="${d.name || code}" src="${d.url}">`}<a href="${d.url}" target="_blank" rel="noopener">查看原件</a>（链接5分钟内有效）</p>`;
  });
  render(docs.length ? html`${docs}` : html`<p class="hint">无须上传的材料（照片由院校随学籍导入）</p>`, $("#file-docs"));
  render(html`${file.history.map((h) => html`<li><time>${beijing(h.at)}</time> ${h.label}（${h.actor_name}）${h.reason && `：${h.reason}`}</li>`)}`, $("#file-history"));
  renderChain(file);
  $("#decision-ok").hidden = true;
  showErrors($("#decision"), null);
  $("#decision").hidden = file.work_item.state !== "pending";
  $("#refuse-category").hidden = file.work_item.category === "ordinary"; // only a special category is refused alone
  $("#file").hidden = false;
  $("#prev-file").disabled = !neighbour(-1);
  $("#next-file").disabled = !neighbour(1);
  $("#file").scrollIntoView();
}

function renderChain(file) {
  const done = file.candidate.on_site_steps || {};
  const steps = Object.entries(file.chain);
  $("#file-chain").hidden = !steps.length;
  $("#step-error").textContent = "";
  render(html`${steps.map(([code, name]) => done[code]
    ? html`<li class="pass">${name}：已记录（${who(done[code].by)}，${beijing(done[code].at)}）</li>`
    : html`<li>${name} <button type="button" class="record-step" data-step="${code}">记录</button></li>`)}`, $("#chain-steps"));
  $$("#chain-steps .record-step").forEach((b) => b.addEventListener("click", () => recordStep(b.dataset.step)));
}

async function recordStep(step) {
  const c = desk.open.candidate;
  try {
    await desk.session.call("POST", `/seasons/${desk.season.season_id}/review/candidates/${c.candidate_id}/steps`, { step, version: c.version });
    await openFile(c.candidate_id);
  } catch (error) {
    $("#step-error").textContent = error.message;
  }
}

async function decide(event) {
  event.preventDefault();
  const form = event.target;
  const c = desk.open.candidate;
  const body = { decision: form.decision.value, reason: form.reason.value || null, version: c.version };
  try {
    const done = await desk.session.call("POST", `/seasons/${desk.season.season_id}/review/candidates/${c.candidate_id}/decision`, body);
    showErrors(form, null);
    $("#decision-ok").hidden = false;
    $("#decision-ok").textContent = `已提交：${word("decisions", body.decision)}。考生当前状态：${word("status", done.status)}`;
    form.reason.value = "";
    const message = $("#decision-ok").textContent;
    await Promise.all([loadQueue(), openFile(c.candidate_id)]);
    $("#decision-ok").hidden = false;
    $("#decision-ok").textContent = message;
  } catch (error) {
    showErrors(form, error);
  }
}

async function batchApprove() {
  const items = $$("#items input:checked").map((box) => {
    const row = box.closest("tr");
    return { candidate_id: row.dataset.id, version: Number(row.dataset.version) };
  });
  if (!items.length) { $("#batch-result").textContent = "请先选择考生"; return; }
  const button = $("#batch");
  button.disabled = true;
  try {
    const { results } = await desk.session.call("POST", `/seasons/${desk.season.season_id}/review/batch-approval`, { items });
    const failed = results.filter((r) => !r.ok);
    $("#batch-result").textContent = `已通过 ${results.length - failed.length} 人` + (failed.length ? `；${failed.length} 人未处理：${failed.map((f) => f.error.message).join("；")}` : "");
    await loadQueue();
  } catch (error) {
    $("#batch-result").textContent = `批量通过失败：${error.message}`; // every failure said on screen
  } finally {
    button.disabled = false;
  }
}

async function start() {
  await seasonPicker($("#season"), chooseSeason);
  staffSignIn(showDesk);
  for (const id of ["#state", "#category", "#on-site"]) $(id).addEventListener("change", () => loadQueue());
  $("#more").addEventListener("click", () => loadQueue(true));
  $("#search").addEventListener("submit", search);
  $("#search-clear").addEventListener("click", () => { $("#search").reset(); loadQueue(); });
  $("#export").addEventListener("click", exportList);
  $("#prev-file").addEventListener("click", () => neighbour(-1) && openFile(neighbour(-1)));
  $("#next-file").addEventListener("click", () => neighbour(1) && openFile(neighbour(1)));
  $("#all").addEventListener("change", (e) => $$("#items input:not(:disabled)").forEach((b) => (b.checked = e.target.checked)));
  $("#batch").addEventListener("click", batchApprove);
  $("#decision").addEventListener("submit", decide);
  document.body.dataset.ready = "true";
}

start();
