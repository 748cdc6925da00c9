export function percent(rate: number | null | undefined, digits = 1): string {
  return rate === null || rate === undefined ? "–" : `${(rate * 100).toFixed(digits)} %`;
}

export function when(iso: string | null | undefined): string {
  if (!iso) return "–";
  const d = new Date(iso);
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)}Z`;
}

export function relative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return "–";
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  const text = abs < 90 ? `${abs} s` : abs < 5400 ? `${Math.round(abs / 60)} min` : `${(abs / 3600).toFixed(1)} h`;
  return seconds >= 0 ? `in ${text}` : `${text} ago`;
}

export function bytes(n: number): string {
  return n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1048576).toFixed(1)} MiB`;
}

/** hh:mm:ss (or d.hh:mm:ss) as the API writes a TimeSpan → "1 h", "30 min". */
export function duration(span: string): string {
  const m = /^(?:(\d+)\.)?(\d+):(\d+):(\d+)/.exec(span);
  if (!m) return span;
  const seconds = ((Number(m[1] ?? 0) * 24 + Number(m[2])) * 60 + Number(m[3])) * 60 + Number(m[4]);
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  return seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

/** The gate status a person reads, from a segment verdict's outcome. */
export function gateStatus(outcome: string): { label: string; tone: "ok" | "wait" | "bad" } {
  switch (outcome) {
    case "healthy": return { label: "healthy", tone: "ok" };
    case "insufficient_samples":
    case "waiting_for_samples": return { label: "waiting for samples", tone: "wait" };
    case "worse_than_baseline": return { label: "failing: worse than baseline", tone: "bad" };
    case "gate_breached": return { label: "failing: over the gate", tone: "bad" };
    default: return { label: outcome.replace(/_/g, " "), tone: "wait" };
  }
}
