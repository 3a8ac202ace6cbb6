// 招考 · 录取 — operators: cutoff lines, trial and official runs, each school's list approved;
// a school's admissions office: its own list, letters mailed, new students re-checked (R13-R15).
import {
  $, $$, API, beijing, call, formData, html, render, seasonPicker, showErrors, who, word,
} from "./common.js";
import { claims, session, staffSignIn } from "./staff.js";

const desk = { session, season: null, summary: null, run: null, approving: new Set() };
const base = () => `/seasons/${desk.season}`;

async function ready() {
  const roles = claims().roles || [];
  const operator = roles.includes("operator"), school = roles.includes("school_admissions");
  $("#staff-login").hidden = desk.session.signedIn;
  $("#operator-desk").hidden = !operator;
  $("#school-desk").hidden = !school;
  if (operator) await Promise.all([showLines(), showRuns()]);
  if (school) await showAdmitted();
}

function groupName(level, category) {
  const lv = (desk.summary.levels.find((l) => l.code === level) || {}).name || level || "";
  const c = (desk.summary.subject_categories.find((x) => x.code === category) || {}).name || category;
  return c ? `${lv}·${c}` : lv || "（不分层次科类）";
}

function planTypeName(code) {
  if (code === "ordinary") return "普通计划";
  return (desk.summary.categories.find((c) => c.code === code) || {}).name || code;
}

// -- operators ------------------------------------------------------------------------------
async function showLines() {
  const [{ lines }, runs] = await Promise.all([
    desk.session.call("GET", `${base()}/admission/lines`),
    desk.session.call("GET", `${base()}/admission/runs`),
  ]);
  const proposed = ((runs[0] || {}).summary || {}).proposed_lines || [];
  const groups = new Map();
  for (const l of lines) groups.set(`${l.level}/${l.category}`, { ...l });
  for (const p of proposed) {
    const key = `${p.level}/${p.category}`;
    groups.set(key, { level: p.level, category: p.category, line: "", ...groups.get(key), proposed: p });
  }
  const rows = [...groups.values()].map((g) => html`<tr data-level="${g.level}" data-category="${g.category}">
      <th scope="row">${groupName(g.level, g.category)}</th>
      <td><input type="number" min="0" max="2000" inputmode="numeric" value="${g.line}" aria-label="${groupName(g.level, g.category)}分数线"></td>
      <td>${g.proposed ? `${g.proposed.line ?? "—"}（计划${g.proposed.seats}，达线${g.proposed.reaching}人）` : "—"}</td></tr>`);
  render(rows.length ? html`${rows}` : html`<tr><td colspan="3" class="hint">尚无分数线。先“试算”，按建议填写后保存。</td></tr>`, $("#lines tbody"));
}

async function saveLines(event) {
  event.preventDefault();
  const form = event.target;
  const lines = $$("tbody tr[data-level]", form)
    .filter((tr) => $("input", tr).value !== "")
    .map((tr) => ({ level: tr.dataset.level, category: tr.dataset.category, line: Number($("input", tr).value) }));
  try {
    await desk.session.call("PUT", `${base()}/admission/lines`, { lines });
    showErrors(form, null);
    $("#lines-saved").textContent = "分数线已保存";
  } catch (error) {
    $("#lines-saved").textContent = "";
    showErrors(form, error);
  }
}

async function showRuns() {
  const runs = await desk.session.call("GET", `${base()}/admission/runs`);
  const rows = runs.map((r) => html`<tr><td><button type="button" class="link" data-run="${r.run_id}">${r.run_id}</button></td>
      <td>${r.what_if ? "试算" : r.stage === "supplementary" ? "征集志愿" : "正式"}</td><td>${word("run_status", r.status)}${r.in_force ? html` <strong class="ok">（现行有效）</strong>` : ""}</td>
      <td>${r.summary.admitted ?? "—"}</td><td>${beijing(r.created_at)}</td></tr>`);
  render(rows.length ? html`${rows}` : html`<tr><td colspan="5" class="hint">尚无录取批次</td></tr>`, $("#runs tbody"));
  $$("#runs [data-run]").forEach((b) => b.addEventListener("click", () => follow(b.dataset.run)));
  $("#supplementary").hidden = !(desk.summary.preferences.supplementary_round && runs.some((r) => r.status === "published"));
}

async function start(body, button) {
  $("#run-error").textContent = "";
  button.disabled = true;
  try {
    const run = await desk.session.call("POST", `${base()}/admission/runs`, body);
    await follow(run.run_id);
  } catch (error) {
    $("#run-error").textContent = error.message;
  } finally {
    button.disabled = false;
  }
}

async function follow(runId) {
  // a run's progress until it waits for the operators or ends
  let run = await desk.session.call("GET", `${base()}/admission/runs/${runId}`);
  showRun(run);
  while (run.status === "running" || (run.status === "awaiting_approval" && run.schools.length && run.schools.every((s) => s.approved))) {
    await new Promise((resolve) => setTimeout(resolve, 700));
    run = await desk.session.call("GET", `${base()}/admission/runs/${runId}`);
    showRun(run);
  }
  await Promise.all([showRuns(), showLines()]);
}

function showRun(run) {
  desk.run = run;
  $("#run").hidden = false;
  $("#run-id").textContent = run.run_id;
  const s = run.summary;
  $("#run-state").textContent = `${word("run_status", run.status)}${run.error ? `：${run.error}` : ""}`;
  $("#run-state").className = run.status === "failed" ? "bad" : run.status === "published" || run.status === "done" ? "ok" : "";
  const rounds = Object.entries(s.per_round || {}).map(([r, n]) => `第${r}轮 ${n}`).join("，");
  const left = Object.entries(s.seats_left || {}).map(([t, n]) => `${planTypeName(t)} ${n}`).join("，");
  const summary = s.candidates === undefined ? [] : [["参加录取", `${s.candidates} 人`], ["录取", `${s.admitted} 人（${rounds || "无"}）`],
    ["服从调剂录取", `${s.adjusted} 人`], ["剩余计划", left || "无"]];
  render(html`${summary.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}`, $("#run-summary"));
  render(html`${Object.entries(run.digests).map(([k, v]) => html`<li><code>${k}</code> ${v}</li>`)}`, $("#run-digests"));
  const approving = run.status === "awaiting_approval";
  render(html`${run.schools.map((x) => html`<tr><td>${x.name}（${x.school}）</td><td>${x.admitted}</td>
      <td>${x.approved ? `已通过（${who(x.by)}）` : approving ? html`<button type="button" data-approve="${x.school}">审核通过</button>` : "—"}</td>
      <td><button type="button" data-list="${x.school}">查看名单</button></td></tr>`)}`, $("#run-schools tbody"));
  $$("#run-schools [data-approve]").forEach((b) => b.addEventListener("click", () => approve(b)));
  $$("#run-schools [data-list]").forEach((b) => b.addEventListener("click", () => schoolList(b.dataset.list)));
  $("#reject").hidden = !approving;
  $("#publish-empty").hidden = !(approving && run.schools.length === 0);
}

function publishing(run, school) {
  // what the last approval sets off, said before it is given (it publishes at once); an
  // approval still on its way counts as given
  const open = run.schools.filter((x) => !x.approved && !desk.approving.has(x.school));
  if (open.length !== 1 || open[0].school !== school) return true;
  const total = run.schools.reduce((n, x) => n + x.admitted, 0);
  return confirm(`这是最后一所待审核的院校。审核通过后将立即发布本批次：共录取 ${total} 人，涉及 ${run.schools.length} 所院校，考生随即可以查询并收到短信。确定吗？`);
}

async function publishEmpty(event) {
  const button = event.target;
  if (!confirm("本批次无人录取。发布后，参加本批次的考生都将看到“未录取”。确定发布吗？")) return;
  button.disabled = true;
  try {
    await desk.session.call("POST", `${base()}/admission/runs/${desk.run.run_id}/publication`, { admitted: 0 });
    await follow(desk.run.run_id);
  } catch (error) {
    $("#run-error").textContent = error.message;
  } finally {
    button.disabled = false;
  }
}

async function approve(button) {
  const school = button.dataset.approve;
  if (!publishing(desk.run, school)) return;
  button.disabled = true;
  desk.approving.add(school);
  try {
    await desk.session.call("POST", `${base()}/admission/runs/${desk.run.run_id}/approvals`, { school });
    await follow(desk.run.run_id);
  } catch (error) {
    $("#run-error").textContent = error.message;
    button.disabled = false;
  } finally {
    desk.approving.delete(school);
  }
}

async function reject(event) {
  event.preventDefault();
  try {
    await desk.session.call("POST", `${base()}/admission/runs/${desk.run.run_id}/rejection`, formData(event.target));
    showErrors(event.target, null);
    await follow(desk.run.run_id);
  } catch (error) {
    showErrors(event.target, error);
  }
}

async function schoolList(school) {
  const rows = await desk.session.call("GET", `${base()}/schools/${school}/admitted?run_id=${encodeURIComponent(desk.run.run_id)}`);
  render(html`<h3>${school} 录取名单</h3><div class="table-box"><table><thead><tr><th scope="col">姓名</th><th scope="col">身份证号</th><th scope="col">专业</th><th scope="col">轮次</th><th scope="col">成绩</th></tr></thead><tbody>${
    rows.map((r) => html`<tr><td>${r.name}</td><td>${r.id_masked}</td><td>${r.major_name}${r.adjusted ? "（调剂）" : ""}</td><td>${r.round}</td><td>${r.score ?? "免试"}</td></tr>`)}</tbody></table></div>`, $("#school-list"));
}

async function rechecks() {
  const rows = await desk.session.call("GET", `${base()}/admission/rechecks`);
  const failed = rows.map((r) => html`<tr><td>${r.candidate_id}</td><td>${r.school}</td>
      <td>${r.identity_ok ? "" : "身份不符；"}${r.proofs_ok ? "" : "加分或免试材料不符；"}${r.note}</td><td>${who(r.by)}</td></tr>`);
  render(failed.length ? html`${failed}` : html`<tr><td colspan="4" class="hint">没有复查不通过的新生</td></tr>`, $("#recheck-table tbody"));
  $("#recheck-table").hidden = false;
}

// -- a school's admissions office ---------------------------------------------------------------
async function showAdmitted() {
  const school = claims().unit;
  $("#school-code").textContent = school;
  $("#school-error").textContent = "";
  try {
    const rows = await desk.session.call("GET", `${base()}/schools/${school}/admitted`);
    const checked = (ok) => (ok ? html`checked` : "");
    const admitted = rows.map((r) => html`<tr data-id="${r.candidate_id}"><td>${r.name}</td><td>${r.id_masked}</td>
        <td>${r.major_name}${r.adjusted ? "（调剂）" : ""}</td><td>${r.score ?? "免试"}</td>
        <td><form class="letter" novalidate><input name="carrier" value="${(r.letter || {}).carrier || "中国邮政EMS"}" aria-label="寄递单位">
          <input name="tracking_number" value="${(r.letter || {}).tracking_number}" aria-label="快递单号" placeholder="快递单号">
          <div class="error" data-for="tracking_number"></div><button type="submit">保存</button></form></td>
        <td><form class="recheck" novalidate><label class="check"><input type="checkbox" name="identity_ok" ${checked(!r.recheck || r.recheck.identity_ok)}> 身份一致</label>
          <label class="check"><input type="checkbox" name="proofs_ok" ${checked(!r.recheck || r.recheck.proofs_ok)}> 加分/免试材料一致</label>
          <input name="note" value="${(r.recheck || {}).note}" aria-label="情况说明" placeholder="不一致时写明情况">
          <div class="error" data-for="note"></div><button type="submit">${r.recheck ? "已复查，更新" : "登记复查"}</button></form></td></tr>`);
    render(admitted.length ? html`${admitted}` : html`<tr><td colspan="6" class="hint">录取结果发布后显示本校录取名单</td></tr>`, $("#admitted tbody"));
    $$("#admitted form").forEach((f) => f.addEventListener("submit", note));
  } catch (error) {
    $("#school-error").textContent = error.message;
  }
}

async function note(event) {
  event.preventDefault();
  const form = event.target, id = form.closest("tr").dataset.id, kind = form.className;
  const body = kind === "letter" ? formData(form)
    : { identity_ok: form.identity_ok.checked, proofs_ok: form.proofs_ok.checked, note: form.note.value };
  try {
    await desk.session.call("PUT", `${base()}/schools/${claims().unit}/admitted/${id}/${kind}`, body);
    showErrors(form, null);
    $("button", form).textContent = "已保存";
  } catch (error) {
    showErrors(form, error);
  }
}

async function exportList() {
  const response = await fetch(`${API}${base()}/schools/${claims().unit}/admitted/export`, { headers: { Authorization: `Bearer ${desk.session.access}` } });
  if (!response.ok) { $("#school-error").textContent = "导出失败，请重新登录后再试"; return; }
  const link = Object.assign(document.createElement("a"), { href: URL.createObjectURL(await response.blob()), download: `录取名单-${claims().unit}.csv` });
  document.body.append(link);
  link.click();
  link.remove();
}

async function startPage() {
  await seasonPicker($("#season"), async (id) => {
    desk.season = id;
    desk.summary = await call("GET", `/seasons/${id}`);
    if (desk.session.signedIn) await ready();
  });
  staffSignIn(ready);
  $("#lines").addEventListener("submit", saveLines);
  $("#trial").addEventListener("click", (e) => start({ what_if: true }, e.target));
  $("#official").addEventListener("click", (e) => confirm("正式录取完成后须逐校审核名单，全部通过后发布。确定开始吗？") && start({}, e.target));
  $("#supplementary").addEventListener("click", (e) => start({ stage: "supplementary" }, e.target));
  $("#reject").addEventListener("submit", reject);
  $("#publish-empty-button").addEventListener("click", publishEmpty);
  $("#rechecks").addEventListener("click", rechecks);
  $("#export").addEventListener("click", exportList);
  await ready();
  document.body.dataset.ready = "true";
}

startPage();
