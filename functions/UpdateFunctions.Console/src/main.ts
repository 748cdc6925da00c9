// The release console: hash routes (so a static host serves it as one file), each rendering from the management API.
import "./styles.css";
import { Api, apiBase } from "./api";
import { html, mount, seg } from "./html";
import { Console, errorText } from "./shell";
import { resizeCharts, forgetCharts } from "./charts";
import { when } from "./format";
import { forgetShown } from "./refresh";
import type { App } from "./model";
import { overviewPage } from "./overview";
import { rolloutPage } from "./rollout";
import { metricsPage } from "./metrics";
import { auditPage } from "./audit";
import { toolsPage } from "./tools";

const api = new Api(apiBase());
const app = new Console(api);
const main = document.getElementById("main")!;
let signInMessage = "";

api.onAuthFailure = (message) => {
  api.signOut();
  app.forget();
  signInMessage = message;
  location.hash = "#/sign-in";
  route();
};

api.onOutage((outage) => {
  const banner = document.getElementById("banner")!;
  if (!outage) {
    banner.replaceChildren();
    banner.className = "";
    return;
  }
  banner.className = "banner";
  mount(banner, html`<strong>The service is unavailable</strong>: ${outage.message}
    ${outage.lastSuccess ? html`Showing the last data, from ${when(outage.lastSuccess.toISOString())}; it refreshes on its own.` : "Nothing could be loaded yet."}`);
});

function header(appId?: string): void {
  const top = document.getElementById("top")!;
  if (!api.key) {
    mount(top, html`<span class="brand">UpdateFunctions console</span>`);
    return;
  }
  const a = appId ? seg(appId) : "";
  mount(top, html`<a class="brand" href="#/apps">UpdateFunctions console</a>
    <nav aria-label="Sections">
      <a href="#/apps">Apps</a>
      ${appId ? html`<a href="#/apps/${a}">Overview</a><a href="#/apps/${a}/metrics">Metrics</a><a href="#/apps/${a}/audit">Audit log</a><a href="#/apps/${a}/tools">Bundles &amp; devices</a>` : ""}
    </nav>
    <button type="button" id="sign-out" class="secondary">Sign out</button>`);
  top.querySelector("#sign-out")!.addEventListener("click", () => {
    api.signOut();
    app.forget();
    signInMessage = "Signed out.";
    location.hash = "#/sign-in";
  });
}

function signInPage(): void {
  header();
  document.title = "Sign in · UpdateFunctions console";
  mount(main, html`<section class="narrow">
    <h1>Sign in</h1>
    ${signInMessage ? html`<p class="notice bad" role="alert" id="sign-in-message">${signInMessage}</p>` : ""}
    <p>Use a management API key (<code>./run.sh</code> prints its bootstrap key and writes it to <code>.run/bootstrap-key</code>).
      The key stays in this tab's session storage; it is never put in a URL.</p>
    <form id="sign-in" class="stack">
      <label for="key">API key</label>
      <input id="key" name="key" type="password" autocomplete="off" required spellcheck="false">
      <button type="submit" class="primary">Sign in</button>
    </form></section>`);
  const form = main.querySelector<HTMLFormElement>("#sign-in")!;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const key = String(new FormData(form).get("key") ?? "").trim();
    if (!key) return;
    api.signIn(key);
    signInMessage = "";
    location.hash = "#/apps";
  });
  main.querySelector<HTMLInputElement>("#key")!.focus();
}

async function appsPage(signal: AbortSignal): Promise<void> {
  header();
  document.title = "Apps · UpdateFunctions console";
  mount(main, html`<h1>Apps</h1><p class="muted">Loading…</p>`);
  try {
    const apps = await api.get<App[]>("/apps");
    if (signal.aborted) return;
    mount(main, html`<h1>Apps</h1>
      ${apps.length === 0
        ? html`<div class="empty"><p>No app yet.</p><p>Create one with <code>updatectl app create com.acme.app --default-channel production</code>
            or <code>POST /api/v1/apps</code>; it shows here at once.</p></div>`
        : html`<ul class="cards">${apps.map((a) => html`<li><a href="#/apps/${seg(a.id)}"><strong>${a.name}</strong><span class="muted">${a.id}</span>
            <span>default channel: ${a.defaultChannel ?? "none"}</span></a></li>`)}</ul>`}`);
  } catch (error) {
    if (!signal.aborted) mount(main, html`<h1>Apps</h1><p class="notice bad" role="alert">Could not load the apps: ${errorText(error)}</p>`);
  }
}

function route(): void {
  app.pageAbort.abort();
  app.pageAbort = new AbortController();
  forgetCharts();
  forgetShown(main);
  const notice = document.getElementById("notice")!;
  notice.replaceChildren();
  notice.className = "";
  const signal = app.pageAbort.signal;
  const hash = location.hash.startsWith("#/") ? location.hash.slice(2) : "";
  const [path, query = ""] = hash.split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  if (!api.key || parts[0] === "sign-in") {
    if (api.key && parts[0] === "sign-in") signInMessage = "";
    signInPage();
    return;
  }
  const params = new URLSearchParams(query);
  const [first, appId, section, id] = parts;
  if (first !== "apps" || !appId) {
    void appsPage(signal);
    return;
  }
  header(appId);
  const page =
    section === "rollouts" && id ? rolloutPage(app, appId, id, signal)
    : section === "metrics" ? metricsPage(app, appId, params, signal)
    : section === "audit" ? auditPage(app, appId, params, signal)
    : section === "tools" ? toolsPage(app, appId, signal)
    : overviewPage(app, appId, signal);
  void page.then(() => {
    if (!signal.aborted) main.focus({ preventScroll: true });
  });
}

window.addEventListener("hashchange", route);
let resizeTimer = 0;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = window.setTimeout(resizeCharts, 100);
});
route();
