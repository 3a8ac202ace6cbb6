// 招考 · 考务管理 — operators: exam sites, the arrangement run, score import, statistics (R10, R11).
import { $, API, call, html, named, render, seasonPicker } from "./common.js";
import { session, staffSignIn } from "./staff.js";

const desk = { session, season: null };
const base = () => `/seasons/${desk.season}`;

function ready() {
  $("#staff-login").hidden = desk.session.signedIn;
  $("#desk").hidden = !desk.session.signedIn;
}

function report(target, result) {
  // an import's answer: how many rows, or every bad row with its field and reason
  if (!result.problems.length) {
    render(html`<p class="ok">已导入 ${result.imported} 行。</p>`, target);
    return;
  }
  render(html`<p class="bad">共 ${result.rows} 行，${result.problems.length} 处错误，未导入：</p><table><thead><tr><th scope="col">行</th><th scope="col">列</th><th scope="col">问题</th></tr></thead><tbody>${
    result.problems.map((p) => html`<tr><td>${p.row}</td><td>${p.field}</td><td>${p.message}</td></tr>`)}</tbody></table>`, target);
}

async function importFile(input, path, target) {
  const file = input.files[0];
  if (!file) return;
  try {
    report(target, await desk.session.call("POST", path, { csv: await file.text() }));
  } catch (error) {
    render(html`<p class="bad">${error.message}</p>`, target);
  }
  input.value = "";
}

async function arrange() {
  const line = $("#arrange-progress");
  try {
    let run = await desk.session.call("POST", `${base()}/arrangements`);
    while (!["done", "failed"].includes(run.status)) {
      line.textContent = `编排中：已写入 ${run.written} / ${run.seats} 个座位`;
      await new Promise((resolve) => setTimeout(resolve, 500));
      run = await desk.session.call("GET", `${base()}/arrangements/${run.run_id}`);
    }
    line.textContent = run.status === "done"
      ? `编排完成：${run.seats} 个座位（新安排 ${run.new}，保持不变 ${run.kept}，调整 ${run.moved}）${run.unplaced ? `；${run.unplaced} 名考生无法安排，见下方各县区说明` : ""}`
      : `编排失败：${run.error}`;
    line.className = run.status === "failed" || run.unplaced ? "error" : "ok";
    countyNotes(run.notes);
    await seating();
  } catch (error) {
    line.textContent = error.message;
  }
}

function countyNotes(notes) {
  // per county: who sits next door, who has no seat, and why (the run's report)
  const counties = desk.counties || [];
  const rows = notes.map((n) => html`<tr class="${n.host ? "" : "bad"}"><td>${named(counties, n.county)}</td><td>${n.sitters}</td>
      <td>${n.host ? named(counties, n.host) : "无法安排"}</td><td>${n.reason}</td></tr>`);
  render(html`${rows}`, $("#county-notes tbody"));
  $("#county-notes").hidden = !notes.length;
}

async function seating() {
  const seats = await desk.session.call("GET", `${base()}/seating`);
  render(html`${seats.sites.map((s) => html`<tr><td>${s.county}</td><td>${s.name}</td><td>${s.seated}</td></tr>`)}`, $("#seating tbody"));
  $("#seating").hidden = !seats.sites.length;
}

async function stats() {
  const groups = await desk.session.call("GET", `${base()}/scores/statistics`);
  render(html`${groups.map((g) => html`<tr><td>${g.name}</td><td>${g.count}</td><td>${g.mean ?? "—"}</td><td>${g.quartiles.join(" / ")}</td></tr>`)}`, $("#stats-table tbody"));
  $("#stats-table").hidden = !groups.length;
  // the server's SVG as a picture (an <img> runs nothing in it), described by the table above
  const response = await fetch(`${API}${base()}/scores/chart`, { headers: { Authorization: `Bearer ${desk.session.access}` } });
  const picture = response.ok && URL.createObjectURL(await response.blob());
  render(picture ? html`<img src="${picture}" alt="各组总分分布图（数据见上表）">` : html``, $("#chart"));
}

async function start() {
  await seasonPicker($("#season"), async (id) => {
    desk.season = id;
    desk.counties = (await call("GET", `/seasons/${id}`)).counties;
  });
  staffSignIn(ready);
  $("#sites-file").addEventListener("change", (e) => importFile(e.target, `${base()}/exam-sites/sites`, $("#sites-result")));
  $("#scores-file").addEventListener("change", (e) => importFile(e.target, `${base()}/scores`, $("#scores-result")));
  $("#arrange").addEventListener("click", arrange);
  $("#stats").addEventListener("click", stats);
  ready();
  document.body.dataset.ready = "true";
}

start();
