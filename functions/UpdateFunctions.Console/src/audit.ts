import { html, mount, Html } from "./html";
import { Console, errorText } from "./shell";
import type { AuditEntry } from "./model";
import { changed, keepFresh, refreshInterval } from "./refresh";
import { when } from "./format";

export async function auditPage(ctx: Console, appId: string, params: URLSearchParams, signal: AbortSignal): Promise<void> {
  const main = document.getElementById("main")!;
  document.title = `Audit log · ${appId} · UpdateFunctions console`;
  mount(main, html`<h1>Audit log</h1><p class="muted">Loading…</p>`);
  const top = params.get("top") ?? "200";
  const render = async () => {
    const entries = await ctx.api.get<AuditEntry[]>(`/audit?app=${encodeURIComponent(appId)}&top=${encodeURIComponent(top)}`);
    if (signal.aborted || !changed(main, entries)) return;
    const action = params.get("action") ?? "";
    const key = params.get("key") ?? "";
    const q = (params.get("q") ?? "").toLowerCase();
    const shown = entries.filter((e) => (!action || e.action === action) && (!key || e.keyId === key) &&
      (!q || `${e.action} ${e.resource} ${e.keyId}`.toLowerCase().includes(q)));
    const actions = [...new Set(entries.map((e) => e.action))].sort();
    const keys = [...new Set(entries.map((e) => e.keyId))].sort();
    mount(main, html`<h1>Audit log <span class="muted">${appId}</span></h1>
      <form id="audit-filters" class="pickers" aria-label="Filters">
        <div><label for="f-action">Action</label><select id="f-action" name="action"><option value="">any action</option>${actions.map((x) => html`<option${x === action ? html` selected` : ""}>${x}</option>`)}</select></div>
        <div><label for="f-key">Key</label><select id="f-key" name="key"><option value="">any key</option>${keys.map((x) => html`<option${x === key ? html` selected` : ""}>${x}</option>`)}</select></div>
        <div><label for="f-q">Contains</label><input id="f-q" name="q" type="search" value="${params.get("q") ?? ""}"></div>
        <div><label for="f-top">Newest</label><select id="f-top" name="top">${["50", "200", "1000"].map((x) => html`<option${x === top ? html` selected` : ""}>${x}</option>`)}</select></div>
      </form>
      <p class="muted" id="audit-count">${shown.length} of the ${entries.length} newest entries.</p>
      ${shown.length === 0 ? html`<div class="empty">No entry matches.</div>` : html`<div class="scroll"><table id="audit-table">
        <thead><tr><th scope="col">when</th><th scope="col">action</th><th scope="col">key</th><th scope="col">resource</th><th scope="col">change</th></tr></thead>
        <tbody>${shown.map(row)}</tbody></table></div>`}`);
    const form = main.querySelector<HTMLFormElement>("#audit-filters")!;
    const apply = () => {
      const next = new URLSearchParams();
      for (const [k, v] of new FormData(form)) if (v) next.set(k, String(v));
      location.hash = `#/apps/${encodeURIComponent(appId)}/audit?${next}`;
    };
    form.addEventListener("change", apply);
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      apply();
    });
  };
  try {
    await keepFresh(signal, refreshInterval() * 2, render);
  } catch (error) {
    if (!signal.aborted) mount(main, html`<h1>Audit log</h1><p class="notice bad" role="alert">Could not load the audit log: ${errorText(error)}</p>`);
  }
}

function row(e: AuditEntry): Html {
  return html`<tr data-action="${e.action}"><td>${when(e.at)}</td><td>${e.action}</td><td>${e.keyId}</td><td>${e.resource}</td>
    <td><details><summary>before / after</summary><pre>${JSON.stringify(e.before, null, 1)}</pre><pre>${JSON.stringify(e.after, null, 1)}</pre></details></td></tr>`;
}
