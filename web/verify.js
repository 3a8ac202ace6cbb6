// 招考 · 准考证核验 — an invigilator reads a ticket's QR code (R10.3): who must hold it, where.
import { $, html, render, seasonPicker, showErrors, word } from "./common.js";
import { session, staffSignIn } from "./staff.js";

const check = { session, season: null };

function ready() {
  $("#staff-login").hidden = check.session.signedIn;
  $("#check").hidden = !check.session.signedIn;
}

function seasonOf(token) {
  // the season the ticket names (its token's payload): a ticket of any season verifies
  try {
    const body = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(body.padEnd(Math.ceil(body.length / 4) * 4, "="))).s || null;
  } catch {
    return null;
  }
}

async function verify(event) {
  event.preventDefault();
  const form = event.target;
  $("#holder").hidden = true;
  const token = form.token.value.trim().split("#").pop(); // the QR code's link, or its token
  const season = seasonOf(token) || check.season;
  try {
    const r = await check.session.call("GET", `/seasons/${season}/tickets/verify?token=${encodeURIComponent(token)}`);
    showErrors(form, null);
    $("#holder-photo").src = r.photo_url || "";
    $("#holder-photo").hidden = !r.photo_url;
    const seated = r.room !== null; // a void ticket (cancelled, withdrawn) has no seat
    const rows = [["姓名", r.name], ["身份证号后4位", r.id_last4], ["准考证号", r.exam_number],
      ["考点", seated ? r.place : "—"], ["考场", seated ? `第${r.room}考场` : "—"],
      ["座位号", seated ? String(r.seat).padStart(2, "0") : "—"], ["报名状态", word("status", r.status)]];
    render(html`${rows.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}`, $("#holder-record"));
    const valid = r.status === "approved";
    $("#holder-verdict").textContent = valid ? "核验通过" : `该准考证无效：${word("status", r.status)}，不得入场`;
    $("#holder-verdict").className = valid ? "ok" : "error";
    $("#holder").hidden = false;
  } catch (error) {
    if (error.status === 401) { check.session.end(); ready(); }
    showErrors(form, error);
  }
}

async function start() {
  await seasonPicker($("#season"), async (id) => { check.season = id; });
  staffSignIn(ready);
  $("#check").addEventListener("submit", verify);
  const fromLink = decodeURIComponent(location.hash.slice(1));
  if (fromLink) $("#check").token.value = fromLink; // a link from the QR code's text
  ready();
  document.body.dataset.ready = "true";
}

start();
