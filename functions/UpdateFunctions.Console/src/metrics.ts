import { html, mount, Html } from "./html";
import { Console, errorText } from "./shell";
import type { Bundle, Channel, MetricsPoint, MetricsReport, MetricsSeries, Segment } from "./model";
import { changed, keepFresh, refreshInterval } from "./refresh";
import { drawChart, forgetCharts } from "./charts";

const labels: Record<string, string> = {
  uniqueDevices: "active devices (unique)", adoption: "adoption (share of active devices)", installs: "installs",
  attempts: "update attempts", failures: "failures (all kinds)", failureRate: "failure rate", successRate: "install success rate",
  downloads: "downloads", launches: "launches", sessions: "sessions", crashes: "crashes", other: "other events", events: "events",
  checkFailures: "check failures (failed update checks)",
  downloadFailures: "failures: downloads", installFailures: "failures: installs (set_fail)", rollbacks: "failures: rolled back (update_fail)",
};
const rates = new Set(["adoption", "failureRate", "successRate"]);
const ranges: Record<string, number> = { "6h": 6, "24h": 24, "7d": 168, "14d": 336, "30d": 720 };

/** Every numeric field of a point, nested counters flattened as parent.child (new counters show up by themselves). */
export function metricNames(points: MetricsPoint[]): string[] {
  const names = new Set<string>(Object.keys(labels));
  for (const p of points)
    for (const [k, v] of Object.entries(p)) {
      if (typeof v === "number") names.add(k);
      else if (v && typeof v === "object") for (const [k2, v2] of Object.entries(v)) if (typeof v2 === "number") names.add(`${k}.${k2}`);
    }
  return [...names];
}

function valueOf(p: MetricsPoint | undefined, name: string): number | null {
  if (!p) return null;
  const [a, b] = name.split(".");
  const v = b ? (p[a] as Record<string, unknown> | null | undefined)?.[b] : p[a];
  return typeof v === "number" ? v : null;
}

function show(value: number | null, metric: string): string {
  if (value === null) return "–";
  return rates.has(metric) ? `${(value * 100).toFixed(1)} %` : String(value);
}

export function seriesLabel(s: MetricsSeries): string {
  return [s.segment !== "all" || !s.channel ? `segment ${s.segment}` : "", s.channel && `channel ${s.channel}`, s.platform && `platform ${s.platform}`, s.bundle && `bundle ${s.bundle}`]
    .filter(Boolean).join(", ") || "everything";
}

/** The API query the pickers describe: fixed from/to (whole hours), so the page and the API can be compared. */
export function metricsQuery(p: URLSearchParams, now = Date.now()): string {
  const hours = ranges[p.get("range") ?? "24h"] ?? 24;
  const to = new Date(Math.ceil(now / 3600_000) * 3600_000);
  const from = new Date(to.getTime() - hours * 3600_000);
  const groupBy: string[] = [];
  if (p.get("channel")) groupBy.push("channel");
  if (p.get("platform")) groupBy.push("platform");
  if ((p.get("bundle") ?? "each") !== "") groupBy.push("bundle");
  const segment = p.get("segment") ?? "all";
  if (segment === "*") groupBy.push("segment");
  const q = new URLSearchParams({ from: from.toISOString(), to: to.toISOString(), interval: p.get("interval") ?? (hours > 336 ? "day" : "hour") });
  if (groupBy.length) q.set("groupBy", groupBy.join(","));
  if (segment !== "*") q.set("segment", segment);
  return q.toString();
}

export async function metricsPage(ctx: Console, appId: string, params: URLSearchParams, signal: AbortSignal): Promise<void> {
  const main = document.getElementById("main")!;
  const a = encodeURIComponent(appId);
  document.title = `Metrics · ${appId} · UpdateFunctions console`;
  mount(main, html`<h1>Metrics</h1><p class="muted">Loading…</p>`);
  const render = async () => {
    const query = metricsQuery(params);
    const [report, channels, bundles, segments] = await Promise.all([
      ctx.api.get<MetricsReport>(`/apps/${a}/metrics?${query}`),
      ctx.api.get<Channel[]>(`/apps/${a}/channels`),
      ctx.api.get<Bundle[]>(`/apps/${a}/bundles`),
      ctx.api.get<Segment[]>(`/apps/${a}/segments`),
    ]);
    if (signal.aborted || !changed(main, [report, channels, bundles, segments])) return;
    const metric = params.get("metric") ?? "uniqueDevices";
    const shown = report.series.filter((s) =>
      (!params.get("channel") || s.channel === params.get("channel")) &&
      (!params.get("platform") || s.platform === params.get("platform")) &&
      (!params.get("bundle") || params.get("bundle") === "each" || s.bundle === params.get("bundle")));
    const buckets = [...new Set(shown.flatMap((s) => s.points.map((p) => p.bucket!)))].sort();
    forgetCharts();
    mount(main, html`<h1>Metrics <span class="muted">${appId}</span></h1>
      ${pickers(params, metric, metricNames(shown.flatMap((s) => s.points)), channels, bundles, segments)}
      <p class="muted">API query: <code id="metrics-query">GET ${ctx.api.base}/apps/${appId}/metrics?${query}</code></p>
      ${shown.length === 0 || buckets.length === 0
        ? html`<div class="empty" id="no-data">No data yet for this choice: devices report installs, failures and sessions through <code>/api/stats</code>; try a longer range or another segment.</div>`
        : html`<div class="chart" id="chart-metrics"></div>${numbers(shown, buckets, metric)}`}`);
    if (buckets.length && shown.length) {
      drawChart(main.querySelector<HTMLElement>("#chart-metrics")!, {
        title: labels[metric] ?? metric,
        times: buckets.map((b) => Math.floor(new Date(b).getTime() / 1000)),
        lines: shown.map((s) => ({ label: seriesLabel(s), values: buckets.map((b) => valueOf(s.points.find((p) => p.bucket === b), metric)) })),
        unit: rates.has(metric) ? "rate" : "count",
      });
    }
    const form = main.querySelector<HTMLFormElement>("#pickers")!;
    form.addEventListener("change", () => {
      const next = new URLSearchParams();
      for (const [k, v] of new FormData(form)) next.set(k, String(v));
      location.hash = `#/apps/${encodeURIComponent(appId)}/metrics?${next}`;
    });
  };
  try {
    await keepFresh(signal, refreshInterval() * 3, render);
  } catch (error) {
    if (!signal.aborted) mount(main, html`<h1>Metrics</h1><p class="notice bad" role="alert">Could not load metrics: ${errorText(error)}</p>`);
  }
}

function select(id: string, label: string, name: string, current: string, options: [string, string][]): Html {
  return html`<div><label for="${id}">${label}</label><select id="${id}" name="${name}">${options.map(([v, text]) => html`<option value="${v}"${v === current ? html` selected` : ""}>${text}</option>`)}</select></div>`;
}

function pickers(p: URLSearchParams, metric: string, metrics: string[], channels: Channel[], bundles: Bundle[], segments: Segment[]): Html {
  return html`<form id="pickers" class="pickers" aria-label="What to show">
    ${select("pick-metric", "Metric", "metric", metric, metrics.map((m) => [m, labels[m] ?? m]))}
    ${select("pick-segment", "Segment", "segment", p.get("segment") ?? "all", [["all", "all devices"], ["*", "each segment"], ...segments.map((s): [string, string] => [s.name, s.name])])}
    ${select("pick-channel", "Channel", "channel", p.get("channel") ?? "", [["", "all channels"], ...channels.map((c): [string, string] => [c.name, c.name])])}
    ${select("pick-platform", "Platform", "platform", p.get("platform") ?? "", [["", "all platforms"], ["ios", "iOS"], ["android", "Android"], ["electron", "Electron"]])}
    ${select("pick-bundle", "Bundle", "bundle", p.get("bundle") ?? "each", [["each", "each bundle"], ["", "all bundles together"], ...bundles.map((b): [string, string] => [b.version, b.version])])}
    ${select("pick-range", "Time range", "range", p.get("range") ?? "24h", Object.keys(ranges).map((r): [string, string] => [r, `last ${r}`]))}
    ${select("pick-interval", "Interval", "interval", p.get("interval") ?? "hour", [["hour", "hourly"], ["day", "daily"]])}
  </form>`;
}

function numbers(series: MetricsSeries[], buckets: string[], metric: string): Html {
  return html`<div class="scroll"><table class="numbers" id="metrics-table"><caption>${labels[metric] ?? metric}: the chart's numbers</caption>
    <thead><tr><th scope="col">bucket</th>${series.map((s) => html`<th scope="col">${seriesLabel(s)}</th>`)}</tr></thead>
    <tbody>${buckets.map((b) => html`<tr data-bucket="${b}"><th scope="row">${b.replace("T", " ").replace(":00:00Z", ":00Z").replace("+00:00", "Z")}</th>${series.map((s, i) => {
      const v = valueOf(s.points.find((p) => p.bucket === b), metric);
      return html`<td data-series="${i}" data-value="${v ?? ""}">${show(v, metric)}</td>`;
    })}</tr>`)}
    <tr class="total"><th scope="row">total</th>${series.map((s, i) => html`<td data-series="${i}" data-value="${valueOf(s.total, metric) ?? ""}">${show(valueOf(s.total, metric), metric)}</td>`)}</tr></tbody></table></div>`;
}
