// Staff sign-in, one module for every staff page (R17.2): the password and an authenticator
// code; an account's first sign-in binds its authenticator where the page offers it (#enrol);
// shared PCs sign out when idle; the access token's claims choose the desks shown.
import { $, Session, call, formData, html, idleSignOut, render, showErrors, submitted } from "./common.js";

export const session = new Session("zhaokao.staff");
let binding = null; // a first sign-in's username and password, until its code binds

// The access token's claims (roles, unit), read to choose the desks: the API checks them.
export function claims() {
  if (!session.access) return {};
  const part = session.access.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
  const text = atob(part.padEnd(Math.ceil(part.length / 4) * 4, "="));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(text, (c) => c.charCodeAt(0))));
}

// Fill the page's sign-in form (its heading names who signs in there) and wire it;
// ``changed`` shows the page as it is now, signed in or out: it runs after a sign-in, a
// sign-out (the button or 15 idle minutes) and a binding.
export function staffSignIn(changed) {
  const form = $("#staff-login");
  render(html`<label>用户名<input name="username" autocomplete="username" required></label>
    <label>密码<input name="password" type="password" autocomplete="current-password" required></label>
    <div class="error" data-for="password"></div>
    <label>动态码<input name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="9"></label>
    <p class="hint">身份验证器上的6位动态码；手机不在身边时，可输入一个恢复码。${$("#enrol") ? "首次登录请留空，按提示绑定身份验证器。" : ""}</p>
    <div class="error" data-for="code"></div><div class="error" data-for=""></div>
    <button type="submit" class="primary">登录</button>`, form, { append: true });
  form.addEventListener("submit", (event) => signIn(event, changed));
  if ($("#enrol")) {
    $("#activate").addEventListener("submit", activate);
    $("#recovery-done").addEventListener("click", () => { $("#enrol").hidden = true; changed(); });
  }
  const out = $("#staff-logout");
  if (out) out.addEventListener("click", () => { session.end(); changed(); });
  idleSignOut(session, 15, changed); // shared PCs: nobody stays signed in
}

async function signIn(event, changed) {
  event.preventDefault();
  const form = event.target;
  const data = formData(form);
  if (!data.code) delete data.code;
  try {
    session.save(await call("POST", "/auth/staff-token", data));
    showErrors(form, null);
    await changed();
  } catch (error) {
    if (error.code === "enrolment_required" && $("#enrol")) return startBinding(form, data);
    showErrors(form, error);
  }
}

async function startBinding(form, data) {
  try {
    const offer = await call("POST", "/auth/totp/enrolment", { username: data.username, password: data.password });
    binding = { username: data.username, password: data.password };
    $("#enrol-qr").src = offer.qr_svg;
    $("#enrol-secret").textContent = offer.secret;
    form.hidden = true;
    $("#enrol").hidden = false;
  } catch (error) {
    showErrors(form, error);
  }
}

const activate = submitted(async (form) => {
  const done = await call("POST", "/auth/totp/activation", { ...binding, code: form.code.value });
  binding = null;
  session.save(done);
  form.hidden = true;
  render(html`${done.recovery_codes.map((c) => html`<li><code>${c}</code></li>`)}`, $("#recovery-codes"));
  $("#recovery").hidden = false;
});
