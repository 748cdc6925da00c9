import { html, mount, seg, Html } from "./html";
import { Console, confirmAction, errorText, formDialog, gate, notify, Power } from "./shell";
import { duration, gateStatus, percent, relative, when } from "./format";
import type { App, Bundle, Channel, Rollout, Segment, SegmentVerdict } from "./model";
import { changed, keepFresh, refreshInterval } from "./refresh";
import { startRolloutDialog } from "./start-rollout";

export async function overviewPage(ctx: Console, appId: string, signal: AbortSignal): Promise<void> {
  const main = document.getElementById("main")!;
  const a = encodeURIComponent(appId);
  mount(main, html`<h1>${appId}</h1><p class="muted">Loading…</p>`);
  const render = async () => {
    const [app, channels, rollouts, power] = await Promise.all([
      ctx.api.get<App>(`/apps/${a}`),
      ctx.api.get<Channel[]>(`/apps/${a}/channels`),
      ctx.api.get<Rollout[]>(`/apps/${a}/rollouts`),
      ctx.power(appId),
    ]);
    const active = await Promise.all(
      channels.filter((c) => c.activeRollout).map((c) => ctx.api.get<Rollout>(`/apps/${a}/rollouts/${encodeURIComponent(c.activeRollout!)}`)),
    );
    if (signal.aborted || !changed(main, [app, channels, rollouts, active, power])) return;
    document.title = `${app.name} · UpdateFunctions console`;
    const byChannel = new Map(active.map((r) => [r.channel, r]));
    mount(main, html`<h1>${app.name} <span class="muted">${app.id}</span></h1>
      ${power.write ? "" : html`<p class="notice wait" id="read-only">${power.reason}</p>`}
      <h2>Channels</h2>
      ${channels.length === 0 ? html`<div class="empty">No channel yet: create one with <code>updatectl channel create</code>.</div>` : ""}
      <div class="channels">${channels.map((c) => channelCard(appId, app, c, byChannel.get(c.name), power))}</div>
      <h2>Rollouts</h2>
      ${rollouts.length === 0
        ? html`<div class="empty">No rollout yet. Start one from a channel above.</div>`
        : html`<div class="scroll"><table><caption class="sr-only">Rollouts, newest first</caption>
            <thead><tr><th scope="col">rollout</th><th scope="col">channel</th><th scope="col">bundles</th><th scope="col">state</th><th scope="col">percent</th><th scope="col">created</th></tr></thead>
            <tbody>${rollouts.map((r) => html`<tr><td><a href="#/apps/${seg(appId)}/rollouts/${seg(r.id)}">${r.id}</a></td><td>${r.channel}</td>
              <td>${r.baselineBundle} → ${r.targetBundle}</td><td><span class="state ${r.state}">${r.state}</span></td><td>${r.percent} %</td><td>${when(r.createdAt)}</td></tr>`)}</tbody></table></div>`}`);
    wire(ctx, appId, main, channels);
  };
  try {
    await keepFresh(signal, refreshInterval(), render);
  } catch (error) {
    if (!signal.aborted) mount(main, html`<h1>${appId}</h1><p class="notice bad" role="alert">Could not load the app: ${errorText(error)}</p>`);
  }
}

function channelCard(appId: string, app: App, c: Channel, rollout: Rollout | undefined, power: Power): Html {
  const platforms = [c.ios && "iOS", c.android && "Android", c.electron && "Electron"].filter(Boolean).join(", ") || "none";
  return html`<section class="card" aria-labelledby="ch-${c.id}" data-channel="${c.name}">
    <h3 id="ch-${c.id}">${c.name} ${app.defaultChannel === c.name ? html`<span class="tag">default</span>` : ""}</h3>
    <dl class="facts">
      <dt>bundle</dt><dd data-field="bundle">${c.bundle ?? "none"}</dd>
      <dt>platforms</dt><dd>${platforms}</dd>
      <dt>self-assign</dt><dd>${c.allowDeviceSelfSet ? "allowed" : "no"}</dd>
      <dt>policy</dt><dd>${c.disableAutoUpdate === "none" ? "no fence" : `no ${c.disableAutoUpdate} upgrades`}${c.disableAutoUpdateUnderNative ? ", nothing under native" : ""}${c.partialUpdates ? ", partial updates" : ""}</dd>
    </dl>
    ${rollout ? rolloutSummary(appId, rollout) : html`<p class="muted">No active rollout.</p>`}
    <div class="buttons">
      <button type="button" data-action="start-rollout" data-channel="${c.name}"${gate(power.write && !rollout && !!c.bundle, power.write ? (rollout ? "A rollout already holds this channel." : "The channel serves no bundle to roll out from.") : power.reason)}>Start rollout…</button>
      <button type="button" class="secondary" data-action="set-bundle" data-channel="${c.name}"${gate(power.write, power.reason)}>Set bundle…</button>
    </div>
  </section>`;
}

export function rolloutSummary(appId: string, r: Rollout): Html {
  const health = r.status?.health ?? [];
  const step = r.stepIndex >= 0 ? `step ${r.stepIndex + 1} of ${r.steps.length}` : "not started";
  const windows = Object.entries(r.windows ?? {});
  return html`<div class="rollout-summary" data-rollout="${r.id}">
    <p><a href="#/apps/${seg(appId)}/rollouts/${seg(r.id)}">Rollout ${r.id}</a>: ${r.baselineBundle} → ${r.targetBundle},
      <span class="state ${r.state}">${r.state}</span>, ${step}, <strong data-field="percent">${r.percent} %</strong>
      (steps ${r.steps.join(" → ")} %).</p>
    <p>Next advancement: ${r.state === "running" ? (r.status?.earliestNextStep ? html`not before ${when(r.status.earliestNextStep)} (${relative(r.status.earliestNextStep)})` : "when the gates pass") : `none while ${r.state}`}.
      Gates: ${r.gates.minSamples} attempts, failure rate ≤ ${percent(r.gates.maxFailureRate)}, step ≥ ${duration(r.gates.minStepDuration)}${r.gates.compareWithBaseline ? ", not worse than the baseline" : ""}.</p>
    ${r.status?.preview ? html`<p class="why" data-field="why">Now: <strong>${r.status.preview.kind}</strong> — ${r.status.preview.detail}</p>` : ""}
    ${windows.length ? html`<p>Maintenance windows: ${windows.map(([s, w]) => html`<span class="tag">${s}: ${w.days.join(", ")} ${w.start}–${w.end} ${w.timeZoneId}</span> `)}</p>` : ""}
    ${health.length ? gateTable(health, r.gates.maxFailureRate) : ""}
  </div>`;
}

export function gateTable(health: SegmentVerdict[], gateRate: number): Html {
  return html`<div class="scroll"><table class="gates"><caption>Gate status by segment (failure rate gate ${percent(gateRate)})</caption>
    <thead><tr><th scope="col">segment</th><th scope="col">status</th><th scope="col">candidate</th><th scope="col">baseline</th><th scope="col">z</th></tr></thead>
    <tbody>${health.map((h) => {
      const g = gateStatus(h.outcome);
      return html`<tr data-segment="${h.segment}"><th scope="row">${h.segment}</th><td><span class="status ${g.tone}">${g.label}</span></td>
        <td>${h.targetFailures}/${h.targetAttempts} failed (${percent(h.targetFailureRate)})</td>
        <td>${h.baselineFailures}/${h.baselineAttempts} failed (${percent(h.baselineFailureRate)})</td>
        <td>${h.zScore == null ? "–" : h.zScore.toFixed(2)}</td></tr>`;
    })}</tbody></table></div>`;
}

function wire(ctx: Console, appId: string, main: HTMLElement, channels: Channel[]): void {
  const a = encodeURIComponent(appId);
  for (const button of main.querySelectorAll<HTMLButtonElement>("button[data-action]")) {
    const channel = channels.find((c) => c.name === button.dataset.channel)!;
    button.addEventListener("click", async () => {
      if (button.dataset.action === "start-rollout") {
        const created = await startRolloutDialog(ctx, appId, channel);
        if (created) location.hash = `#/apps/${seg(appId)}/rollouts/${seg(created.id)}`;
        return;
      }
      const bundles = await ctx.api.get<Bundle[]>(`/apps/${a}/bundles`);
      const form = await formDialog(`Set the bundle of ${channel.name}`, html`
        <p>Every device on <strong>${channel.name}</strong> is offered this bundle at its next check (also the one-call rollback).</p>
        <label for="set-version">Bundle</label>
        <select id="set-version" name="version">${bundles.map((b) => html`<option${b.version === channel.bundle ? html` selected` : ""}>${b.version}</option>`)}<option value="builtin">builtin (the app's own)</option></select>`, "Continue");
      if (!form) return;
      const version = String(form.get("version"));
      if (!(await confirmAction("Set the channel's bundle?", html`<p><strong>${channel.name}</strong>: ${channel.bundle ?? "none"} → <strong>${version}</strong>, for every device on it.</p>`, "Set bundle", true))) return;
      try {
        await ctx.api.send("PUT", `/apps/${a}/channels/${encodeURIComponent(channel.name)}/bundle`, { version });
        window.dispatchEvent(new HashChangeEvent("hashchange"));
        notify(`${channel.name} now serves ${version}.`);
      } catch (error) {
        notify(`Could not set the bundle: ${errorText(error)}`, "bad");
      }
    });
  }
}

export type { Segment };
