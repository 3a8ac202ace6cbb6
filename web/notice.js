// 招考 · 资格公示 — the public notice and its complaint channel (R7).
import { $, $$, beijing, call, formData, html, render, seasonPicker, submitted } from "./common.js";

const board = { season: null, entry: null };

async function chooseSeason(id) {
  board.season = id;
  const notice = await call("GET", `/seasons/${id}/notices`);
  $("#title").textContent = notice.title;
  $("#channel").textContent = `受理举报单位：${notice.complaint_unit}。${notice.complaint_note || ""}`;
  render(html`${notice.entries.map((e) => html`<tr data-entry="${e.entry_id}">
      <td>${e.name}</td><td>${e.category}</td><td>${e.qualification}</td>
      <td>${e.intended_major}</td><td>${e.bonus_points || "—"}</td>
      <td>${e.published} 至 ${e.last_day}</td><td class="phase-${e.phase}">${e.phase_name}</td>
      <td>${e.phase !== "revoked" && html`<button type="button" class="complain">举报</button>`}</td></tr>`)}`, $("#entries"));
  $("#none").hidden = notice.entries.length > 0;
  $("#complaint").hidden = true;
  $$("#entries .complain").forEach((b) => b.addEventListener("click", () => {
    const row = b.closest("tr");
    board.entry = row.dataset.entry;
    $("#about").textContent = `被举报人：${row.cells[0].textContent}（${row.cells[2].textContent}）`;
    $("#filed").hidden = true;
    $("#complaint").hidden = false;
    $("#complaint").scrollIntoView();
  }));
}

const complain = submitted(async (form) => {
  const filed = await call("POST", `/seasons/${board.season}/notices/${board.entry}/complaints`, formData(form));
  form.reset();
  $("#filed").hidden = false;
  $("#filed").textContent = `举报已受理，编号 ${filed.complaint_id}，请凭编号查询处理进度。`;
});

const track = submitted(async (form) => {
  const c = await call("GET", `/seasons/${board.season}/complaints/${encodeURIComponent(form.complaint_id.value.trim())}`);
  $("#tracked").textContent = `${c.state_name}${c.resolution ? `：${c.resolution}` : ""}（受理时间 ${beijing(c.filed_at)}）`;
});

async function start() {
  await seasonPicker($("#season"), chooseSeason);
  $("#complaint").addEventListener("submit", complain);
  $("#track").addEventListener("submit", track);
  document.body.dataset.ready = "true";
}

start();
