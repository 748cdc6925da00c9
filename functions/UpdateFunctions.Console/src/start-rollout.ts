import { html } from "./html";
import { Console, confirmAction, errorText, formDialog, notify } from "./shell";
import type { Bundle, Channel, Rollout, Segment } from "./model";

const days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/** The form behind "Start rollout…": bundle, steps, segments, gates and a maintenance window; then a confirmation. */
export async function startRolloutDialog(ctx: Console, appId: string, channel: Channel): Promise<Rollout | null> {
  const a = encodeURIComponent(appId);
  const [bundles, segments] = await Promise.all([ctx.api.get<Bundle[]>(`/apps/${a}/bundles`), ctx.api.get<Segment[]>(`/apps/${a}/segments`)]);
  const targets = bundles.filter((b) => b.version !== channel.bundle);
  const form = await formDialog(`Start a rollout on ${channel.name}`, html`
    <p>From the channel's bundle <strong>${channel.bundle}</strong> (the baseline) to a target, step by step.</p>
    <div class="grid">
      <label for="ro-target">Target bundle</label>
      <select id="ro-target" name="target" required>${targets.map((b) => html`<option>${b.version}</option>`)}</select>
      <label for="ro-steps">Steps (%)</label>
      <input id="ro-steps" name="steps" value="1,5,25,50,100" pattern="[0-9 ,]+" required>
      <label for="ro-duration">Each step holds at least</label>
      <input id="ro-duration" name="minStepDuration" value="1h" required>
      <label for="ro-samples">Attempts needed per segment</label>
      <input id="ro-samples" name="minSamples" type="number" min="1" value="50" required>
      <label for="ro-rate">Failure rate gate (%)</label>
      <input id="ro-rate" name="maxFailureRate" type="number" min="0" max="100" step="0.1" value="5" required>
      <label for="ro-compare">Hold when worse than the baseline</label>
      <input id="ro-compare" name="compareWithBaseline" type="checkbox" checked>
      <label for="ro-id">Rollout id (optional)</label>
      <input id="ro-id" name="id" pattern="[a-z0-9][a-z0-9\\-]*" placeholder="generated">
    </div>
    <fieldset><legend>Segments (none = every device of the channel)</legend>
      ${segments.length ? segments.map((s, i) => html`<label class="check"><input type="checkbox" name="segments" value="${s.name}" id="ro-seg-${i}"> ${s.name}</label>`) : html`<p class="muted">The app has no segments.</p>`}
    </fieldset>
    <fieldset><legend>Maintenance window (optional)</legend>
      <div class="grid">
        <label for="ro-win-seg">Applies to</label>
        <select id="ro-win-seg" name="windowSegment"><option value="">no window</option><option value="all">all (no segments)</option>${segments.map((s) => html`<option>${s.name}</option>`)}</select>
        <label for="ro-win-start">From (HH:mm)</label><input id="ro-win-start" name="windowStart" placeholder="01:00" pattern="[0-2][0-9]:[0-5][0-9]">
        <label for="ro-win-end">To (HH:mm)</label><input id="ro-win-end" name="windowEnd" placeholder="05:00" pattern="[0-2][0-9]:[0-5][0-9]">
        <label for="ro-win-tz">Time zone</label><input id="ro-win-tz" name="windowZone" value="${Intl.DateTimeFormat().resolvedOptions().timeZone}">
      </div>
      ${days.map((d) => html`<label class="check"><input type="checkbox" name="windowDays" value="${d}"> ${d}</label>`)}
    </fieldset>
    <label class="check"><input type="checkbox" name="start" checked> Start now (otherwise a draft)</label>`, "Review");
  if (!form) return null;

  const steps = String(form.get("steps")).split(",").map((s) => Number(s.trim())).filter((n) => n > 0);
  const chosen = form.getAll("segments").map(String);
  const body: Record<string, unknown> = {
    channel: channel.name,
    target: String(form.get("target")),
    steps,
    segments: chosen,
    gates: {
      minStepDuration: String(form.get("minStepDuration")),
      minSamples: Number(form.get("minSamples")),
      maxFailureRate: Number(form.get("maxFailureRate")) / 100,
      compareWithBaseline: form.get("compareWithBaseline") === "on",
    },
    start: form.get("start") === "on",
  };
  const id = String(form.get("id") ?? "").trim();
  if (id) body.id = id;
  const windowSegment = String(form.get("windowSegment") ?? "");
  if (windowSegment) {
    body.windows = {
      [windowSegment]: { days: form.getAll("windowDays").map(String), start: String(form.get("windowStart")), end: String(form.get("windowEnd")), timeZone: String(form.get("windowZone")) },
    };
  }
  const ok = await confirmAction("Start this rollout?", html`<p><strong>${channel.name}</strong>: ${channel.bundle} → <strong>${String(body.target)}</strong>
    in steps ${steps.join(" → ")} %, for ${chosen.length ? chosen.join(", ") : "every device"}; ${body.start ? "starting now" : "as a draft"}.</p>`, body.start ? "Start rollout" : "Create draft");
  if (!ok) return null;
  try {
    const created = await ctx.api.send<Rollout>("POST", `/apps/${a}/rollouts`, body);
    notify(`Rollout ${created.id} ${created.state}.`);
    return created;
  } catch (error) {
    notify(`Could not start the rollout: ${errorText(error)}`, "bad");
    return null;
  }
}
