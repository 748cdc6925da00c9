import { html, mount, seg, Html } from "./html";
import { Console, confirmAction, errorText, gate, notify, Power } from "./shell";
import { gateStatus, percent, when } from "./format";
import type { AuditEntry, MetricsReport, Rollout, SegmentVerdict } from "./model";
import { changed, keepFresh, refreshInterval } from "./refresh";
import { drawChart, forgetCharts } from "./charts";
import { rolloutSummary } from "./overview";

const actions: { action: string; label: string; states: string[]; danger?: boolean; explain: string }[] = [
  { action: "start", label: "Start", states: ["draft"], explain: "Devices in the first step's bucket start getting the target." },
  { action: "pause", label: "Pause", states: ["running"], explain: "The percentage stays where it is and the timer stops widening it (it still halts on a breach)." },
  { action: "resume", label: "Resume", states: ["paused"], explain: "The timer judges and widens the rollout again." },
  { action: "advance", label: "Advance now", states: ["running", "paused"], explain: "Widen to the next step now, without waiting for the gates." },
  { action: "halt", label: "Halt", states: ["running", "paused"], danger: true, explain: "Stop the rollout: the percentage freezes; roll back next to return devices to the baseline." },
  { action: "rollback", label: "Roll back", states: ["running", "paused", "halted"], danger: true, explain: "Every device goes back to the baseline bundle (offered as a downgrade)." },
];

interface Snapshot { rollout: Rollout; adoption: MetricsReport | null; audit: AuditEntry[]; power: Power }

export async function rolloutPage(ctx: Console, appId: string, rolloutId: string, signal: AbortSignal): Promise<void> {
  const main = document.getElementById("main")!;
  const a = encodeURIComponent(appId);
  const path = `/apps/${a}/rollouts/${encodeURIComponent(rolloutId)}`;
  mount(main, html`<h1>Rollout ${rolloutId}</h1><p class="muted">Loading…</p>`);
  const render = async () => {
    const [rollout, power, audit] = await Promise.all([
      ctx.api.get<Rollout>(path),
      ctx.power(appId),
      ctx.api.get<AuditEntry[]>(`/audit?app=${a}&top=200`).catch(() => [] as AuditEntry[]),
    ]);
    const adoption = await adoptionOf(ctx, a, rollout).catch(() => null);
    if (signal.aborted) return;
    const snapshot: Snapshot = { rollout, adoption, audit: audit.filter((e) => e.resource.includes(rollout.id)), power };
    if (!changed(main, snapshot)) return;
    document.title = `Rollout ${rollout.id} · UpdateFunctions console`;
    forgetCharts();
    mount(main, page(appId, snapshot));
    draw(main, snapshot);
    wire(ctx, path, main, rollout);
  };
  try {
    await keepFresh(signal, refreshInterval(), render);
  } catch (error) {
    if (!signal.aborted) mount(main, html`<h1>Rollout ${rolloutId}</h1><p class="notice bad" role="alert">Could not load the rollout: ${errorText(error)}</p>
      <p><a href="#/apps/${seg(appId)}">Back to the app</a></p>`);
  }
}

/** Unique devices per bundle on the rollout's channel, hourly, since the hour before it started. */
async function adoptionOf(ctx: Console, a: string, r: Rollout): Promise<MetricsReport | null> {
  if (!r.startedAt) return null;
  const from = new Date(new Date(r.startedAt).getTime() - 3600_000);
  from.setUTCMinutes(0, 0, 0);
  const span = Date.now() - from.getTime();
  const interval = span > 13 * 86400_000 ? "day" : "hour";
  const report = await ctx.api.get<MetricsReport>(`/apps/${a}/metrics?groupBy=channel,bundle&interval=${interval}&from=${encodeURIComponent(from.toISOString())}`);
  return { ...report, series: report.series.filter((s) => s.channel === r.channel) };
}

function page(appId: string, s: Snapshot): Html {
  const r = s.rollout;
  const segments = segmentNames(r);
  return html`<p class="crumbs"><a href="#/apps/${seg(appId)}">${appId}</a> › rollouts</p>
    <h1>Rollout ${r.id} <span class="state ${r.state}" id="rollout-state">${r.state}</span></h1>
    <p><strong>${r.channel}</strong>: ${r.baselineBundle} (baseline) → ${r.targetBundle} (candidate) at <strong id="rollout-percent">${r.percent} %</strong>
      ${r.segments.length ? html`for segments ${r.segments.join(", ")}` : "for every device of the channel"}.</p>
    ${s.power.write ? "" : html`<p class="notice wait" id="read-only">${s.power.reason}</p>`}
    <div class="buttons" role="group" aria-label="Rollout actions">
      ${actions.map((x) => {
        const possible = x.states.includes(r.state);
        return html`<button type="button" data-rollout-action="${x.action}" class="${x.danger ? "danger" : "secondary"}"${gate(s.power.write && possible, s.power.write ? `Not possible while ${r.state}.` : s.power.reason)}>${x.label}</button>`;
      })}
    </div>
    ${rolloutSummary(appId, r)}
    <h2>Percentage over time</h2>
    <div class="chart" id="chart-percent"></div>
    <h2>Candidate against baseline, per segment</h2>
    <p class="muted">Failure rate of update attempts at each decision of the timer and now (install success rate = 100 % − failure rate); the dashed red line is the gate (${percent(r.gates.maxFailureRate)}).</p>
    ${segments.length === 0 ? html`<div class="empty" id="no-health">No health numbers yet: they appear at the timer's first tick after the rollout starts.</div>` : ""}
    ${segments.map((name, i) => html`<section class="segment" data-segment="${name}"><h3>${name}</h3><div class="chart" id="chart-seg-${i}"></div>${verdictTable(name, healthSeries(r, name))}</section>`)}
    <h2>Adoption (unique devices per bundle on ${r.channel})</h2>
    ${adoptionBlock(s.adoption)}
    <h2>History</h2>
    ${historyTable(r)}
    <h2>Audit entries for this rollout</h2>
    ${s.audit.length === 0 ? html`<div class="empty">No audit entry names this rollout.</div>`
      : html`<div class="scroll"><table><thead><tr><th scope="col">when</th><th scope="col">action</th><th scope="col">key</th><th scope="col">resource</th></tr></thead>
        <tbody>${s.audit.map((e) => html`<tr><td>${when(e.at)}</td><td>${e.action}</td><td>${e.keyId}</td><td>${e.resource}</td></tr>`)}</tbody></table></div>`}
    <p><a href="#/apps/${seg(appId)}/audit?q=${seg(r.id)}">Open the audit log filtered on this rollout</a></p>`;
}

function segmentNames(r: Rollout): string[] {
  const names = new Set<string>();
  for (const h of r.history) for (const v of h.segments ?? []) names.add(v.segment);
  for (const v of r.status?.health ?? []) names.add(v.segment);
  return [...names];
}

/** Each decision's verdict for the segment, then the live one: the per-segment series. */
function healthSeries(r: Rollout, segment: string): { at: string; v: SegmentVerdict }[] {
  const points: { at: string; v: SegmentVerdict }[] = [];
  for (const h of [...r.history].sort((x, y) => x.at.localeCompare(y.at))) {
    const v = h.segments?.find((x) => x.segment === segment);
    if (v) points.push({ at: h.at, v });
  }
  const live = r.status?.health.find((x) => x.segment === segment);
  if (live && r.status) points.push({ at: r.status.at, v: live });
  return points;
}

/** The chart's numbers: each decision's verdict for the segment and the live one, newest first. */
function verdictTable(segment: string, points: { at: string; v: SegmentVerdict }[]): Html {
  if (points.length === 0) return html``;
  const success = (failures: number, attempts: number) => (attempts ? percent((attempts - failures) / attempts) : "–");
  const rows = [...points].reverse().slice(0, 20);
  return html`<div class="scroll"><table class="numbers"><caption>${segment}: the chart's numbers (attempts since the step started)</caption>
    <thead><tr><th scope="col">when</th><th scope="col">candidate attempts</th><th scope="col">failures</th><th scope="col">failure rate</th><th scope="col">success rate</th>
      <th scope="col">baseline attempts</th><th scope="col">failures</th><th scope="col">failure rate</th><th scope="col">status</th></tr></thead>
    <tbody>${rows.map(({ at, v }, i) => html`<tr${i === 0 ? html` class="live"` : ""}><th scope="row">${when(at)}</th>
      <td data-field="candidate-attempts">${v.targetAttempts}</td><td>${v.targetFailures}</td><td>${percent(v.targetFailureRate)}</td><td>${success(v.targetFailures, v.targetAttempts)}</td>
      <td>${v.baselineAttempts}</td><td>${v.baselineFailures}</td><td>${percent(v.baselineFailureRate)}</td><td>${gateStatus(v.outcome).label}</td></tr>`)}</tbody></table></div>`;
}

function adoptionBlock(report: MetricsReport | null): Html {
  if (!report) return html`<div class="empty">The rollout has not started.</div>`;
  if (report.series.length === 0) return html`<div class="empty" id="no-adoption">No data yet: devices have not reported on this channel since the rollout started.</div>`;
  return html`<div class="chart" id="chart-adoption"></div>
    <div class="scroll"><table class="numbers" id="adoption-table"><caption>Unique devices per bundle (total over the range)</caption>
    <thead><tr><th scope="col">bundle</th><th scope="col">unique devices</th><th scope="col">installs</th><th scope="col">failures</th></tr></thead>
    <tbody>${report.series.map((s) => html`<tr><th scope="row">${s.bundle ?? "–"}</th><td>${s.total.uniqueDevices}</td><td>${s.total.installs}</td><td>${s.total.failures}</td></tr>`)}</tbody></table></div>`;
}

function historyTable(r: Rollout): Html {
  if (r.history.length === 0) return html`<div class="empty">Nothing has happened yet.</div>`;
  return html`<div class="scroll"><table id="history"><thead><tr><th scope="col">when</th><th scope="col">what</th><th scope="col">why</th><th scope="col">percent</th><th scope="col">who</th><th scope="col">detail</th></tr></thead>
    <tbody>${[...r.history].reverse().map((h) => html`<tr data-kind="${h.kind}"><td>${when(h.at)}</td><td>${h.kind}${h.repeated && h.repeated > 1 ? ` ×${h.repeated}` : ""}</td>
      <td>${h.reason}</td><td>${h.fromPercent} % → ${h.toPercent} %</td><td>${h.by ?? "timer"}</td><td>${h.detail}</td></tr>`)}</tbody></table></div>`;
}

function seconds(iso: string): number {
  return Math.floor(new Date(iso).getTime() / 1000);
}

function draw(main: HTMLElement, s: Snapshot): void {
  const r = s.rollout;
  // The percentage steps at each decision; the last point is now, so the line reaches the present.
  const steps = [...r.history].sort((x, y) => x.at.localeCompare(y.at));
  const times: number[] = [];
  const values: number[] = [];
  if (r.startedAt) {
    times.push(seconds(r.startedAt) - 1);
    values.push(0);
  }
  for (const h of steps) {
    const t = Math.max(seconds(h.at), (times[times.length - 1] ?? 0) + 1);
    times.push(t);
    values.push(h.toPercent);
  }
  const now = Math.max(Math.floor(Date.now() / 1000), (times[times.length - 1] ?? 0) + 1);
  times.push(now);
  values.push(r.percent);
  drawChart(main.querySelector<HTMLElement>("#chart-percent")!, { title: "Rollout percentage", times, lines: [{ label: "percent on the candidate", values, stepped: true }], unit: "percent" });

  segmentNames(r).forEach((name, i) => {
    const points = healthSeries(r, name);
    const host = main.querySelector<HTMLElement>(`#chart-seg-${i}`);
    if (!host || points.length === 0) return;
    const ts: number[] = [];
    for (const p of points) ts.push(Math.max(seconds(p.at), (ts[ts.length - 1] ?? 0) + 1));
    drawChart(host, {
      title: `${name}: failure rate`,
      times: ts,
      lines: [
        { label: `candidate ${r.targetBundle}`, values: points.map((p) => p.v.targetFailureRate ?? null) },
        { label: `baseline ${r.baselineBundle}`, values: points.map((p) => p.v.baselineFailureRate ?? null), dash: true },
      ],
      unit: "rate",
      thresholds: [{ label: `gate ${percent(r.gates.maxFailureRate)}`, value: r.gates.maxFailureRate }],
    });
  });

  const adoptionHost = main.querySelector<HTMLElement>("#chart-adoption");
  if (adoptionHost && s.adoption) {
    const buckets = [...new Set(s.adoption.series.flatMap((x) => x.points.map((p) => p.bucket!)))].sort();
    drawChart(adoptionHost, {
      title: "Unique devices per bundle",
      times: buckets.map(seconds),
      lines: s.adoption.series.map((x) => ({ label: x.bundle ?? "–", values: buckets.map((b) => x.points.find((p) => p.bucket === b)?.uniqueDevices ?? null) })),
      unit: "count",
    });
  }
}

function wire(ctx: Console, path: string, main: HTMLElement, r: Rollout): void {
  for (const button of main.querySelectorAll<HTMLButtonElement>("button[data-rollout-action]")) {
    const spec = actions.find((x) => x.action === button.dataset.rolloutAction)!;
    button.addEventListener("click", async () => {
      const ok = await confirmAction(`${spec.label}: rollout ${r.id}?`, html`<p>${spec.explain}</p><p>${r.channel}: ${r.baselineBundle} → ${r.targetBundle}, now ${r.percent} % (${r.state}).</p>`, spec.label, spec.danger);
      if (!ok) return;
      try {
        const updated = await ctx.api.send<Rollout>("POST", `${path}/${spec.action}`);
        window.dispatchEvent(new HashChangeEvent("hashchange"));
        notify(`Rollout ${r.id}: ${spec.action} done, now ${updated.state} at ${updated.percent} %.`);
      } catch (error) {
        notify(`Could not ${spec.action} the rollout: ${errorText(error)}`, "bad");
      }
    });
  }
}
