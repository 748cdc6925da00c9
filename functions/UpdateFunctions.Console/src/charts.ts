// Time series charts (uPlot: ~50 KB, canvas, made for time series) with the numbers beside them in a table, so
// every chart is readable without sight and comparable with the API.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface Line {
  label: string;
  values: (number | null)[];
  dash?: boolean;
  stepped?: boolean;
}

export interface ChartSpec {
  title: string;
  times: number[]; // unix seconds
  lines: Line[];
  unit: "percent" | "count" | "rate";
  /** Horizontal lines, e.g. the gate threshold, in the same unit as the values. */
  thresholds?: { label: string; value: number }[];
}

const palette = ["#2563eb", "#d97706", "#059669", "#dc2626", "#7c3aed", "#0891b2", "#be185d", "#65a30d"];
const charts = new Set<uPlot>();

function dark(): boolean {
  return window.matchMedia("(prefers-color-scheme: dark)").matches;
}

/** Draws the chart into the element (replacing any chart there); the element's width decides the chart's. */
export function drawChart(host: HTMLElement, spec: ChartSpec): void {
  host.replaceChildren();
  if (spec.times.length === 0) return;
  const ink = dark() ? "#d1d5db" : "#374151";
  const grid = dark() ? "#374151" : "#e5e7eb";
  const format = (v: number | null | undefined) => (v == null ? "–" : spec.unit === "count" ? String(v) : `${(spec.unit === "rate" ? v * 100 : v).toFixed(1)} %`);
  const single = spec.times.every((t) => t === spec.times[0]);
  const tick = (t: number) => (spec.unit === "count" ? String(t) : `${+(spec.unit === "rate" ? t * 100 : t).toFixed(1)} %`);
  const axis = { stroke: ink, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
  const options: uPlot.Options = {
    title: spec.title,
    width: Math.max(280, host.clientWidth || 600),
    height: 220,
    scales: {
      // One bucket alone would stretch over years: show an hour around it.
      x: single ? { time: true, range: [spec.times[0] - 1800, spec.times[0] + 1800] } : { time: true },
      y: { range: (_u, _min, max) => [0, top(spec, max)] },
    },
    axes: [axis, { ...axis, values: (_u, ticks) => ticks.map(tick), size: 64 }],
    legend: { live: true },
    series: [
      { label: "time", value: (_u, v) => (v == null ? "–" : new Date(v * 1000).toISOString().slice(11, 19) + "Z") },
      ...spec.lines.map((line, i) => ({
        label: line.label,
        stroke: palette[i % palette.length],
        width: 2,
        dash: line.dash ? [6, 4] : undefined,
        points: { show: true, size: 6 },
        paths: line.stepped ? uPlot.paths.stepped!({ align: 1 }) : undefined,
        value: (_u: uPlot, v: number | null) => format(v),
      })),
    ],
    hooks: {
      draw: [
        (u: uPlot) => {
          for (const threshold of spec.thresholds ?? []) {
            const y = u.valToPos(threshold.value, "y", true);
            const ctx = u.ctx;
            ctx.save();
            ctx.strokeStyle = "#dc2626";
            ctx.setLineDash([4, 4]);
            ctx.lineWidth = 1.5 * devicePixelRatio;
            ctx.beginPath();
            ctx.moveTo(u.bbox.left, y);
            ctx.lineTo(u.bbox.left + u.bbox.width, y);
            ctx.stroke();
            ctx.fillStyle = "#dc2626";
            ctx.font = `${11 * devicePixelRatio}px sans-serif`;
            ctx.fillText(threshold.label, u.bbox.left + 4 * devicePixelRatio, y - 4 * devicePixelRatio);
            ctx.restore();
          }
        },
      ],
    },
  };
  const data: uPlot.AlignedData = [spec.times, ...spec.lines.map((l) => l.values)];
  const chart = new uPlot(options, data, host);
  charts.add(chart);
  const canvas = host.querySelector("canvas");
  canvas?.setAttribute("role", "img");
  canvas?.setAttribute("aria-label", `${spec.title}: chart; the numbers are in the table below it`);
}

/** The y axis: counts from 0 to a little over the top; rates up to a little over the larger of the data and the gate. */
function top(spec: ChartSpec, max: number): number {
  if (spec.unit === "percent") return 100;
  const highest = Math.max(max || 0, ...(spec.thresholds ?? []).map((t) => t.value));
  if (spec.unit === "count") return Math.max(1, highest * 1.1);
  return Math.min(1, Math.max(0.1, highest * 1.5));
}

/** Charts follow the window's width (1280 px desk, 390 px phone). */
export function resizeCharts(): void {
  for (const chart of charts) {
    if (!chart.root.isConnected) {
      charts.delete(chart);
      continue;
    }
    const width = chart.root.parentElement?.clientWidth ?? 600;
    chart.setSize({ width: Math.max(280, width), height: 220 });
  }
}

export function forgetCharts(): void {
  for (const chart of charts) chart.destroy();
  charts.clear();
}
