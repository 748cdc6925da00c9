import { html, mount, Html } from "./html";
import { Console, confirmAction, errorText, gate, notify } from "./shell";
import type { Bundle, Channel, Segment } from "./model";
import { bytes, when } from "./format";

export async function toolsPage(ctx: Console, appId: string, signal: AbortSignal): Promise<void> {
  const main = document.getElementById("main")!;
  const a = encodeURIComponent(appId);
  document.title = `Bundles & devices · ${appId} · UpdateFunctions console`;
  mount(main, html`<h1>Bundles &amp; devices</h1><p class="muted">Loading…</p>`);
  let bundles: Bundle[], channels: Channel[], segments: Segment[];
  try {
    [bundles, channels, segments] = await Promise.all([
      ctx.api.get<Bundle[]>(`/apps/${a}/bundles`), ctx.api.get<Channel[]>(`/apps/${a}/channels`), ctx.api.get<Segment[]>(`/apps/${a}/segments`),
    ]);
  } catch (error) {
    if (!signal.aborted) mount(main, html`<h1>Bundles &amp; devices</h1><p class="notice bad" role="alert">Could not load: ${errorText(error)}</p>`);
    return;
  }
  const power = await ctx.power(appId);
  if (signal.aborted) return;
  mount(main, html`<h1>Bundles &amp; devices <span class="muted">${appId}</span></h1>
    ${power.write ? "" : html`<p class="notice wait" id="read-only">${power.reason}</p>`}
    <section aria-labelledby="upload-title"><h2 id="upload-title">Upload a bundle</h2>
      <form id="upload" class="stack">
        <div id="drop" class="drop" tabindex="-1">Drop a bundle zip here, or
          <label for="upload-file" class="inline">choose a file</label> <input id="upload-file" name="file" type="file" accept=".zip,application/zip"${gate(power.upload, power.reason)}></div>
        <label for="upload-version">Version (semver)</label><input id="upload-version" name="version" required placeholder="1.2.3"${gate(power.upload, power.reason)}>
        <label for="upload-comment">Comment (optional)</label><input id="upload-comment" name="comment">
        <button type="submit" class="primary"${gate(power.upload, power.reason)}>Upload</button>
        <progress id="upload-progress" max="100" value="0" aria-label="Upload progress"></progress>
        <p id="upload-result" role="status"></p>
      </form></section>
    <section aria-labelledby="bundles-title"><h2 id="bundles-title">Bundles</h2>
      ${bundles.length === 0 ? html`<div class="empty">No bundle yet.</div>` : html`<div class="scroll"><table><thead><tr><th scope="col">version</th><th scope="col">size</th><th scope="col">SHA-256</th><th scope="col">created</th></tr></thead>
        <tbody>${bundles.map((b) => html`<tr><td>${b.version}</td><td>${bytes(b.size)}</td><td><code class="hash">${b.checksum}</code></td><td>${when(b.createdAt)}</td></tr>`)}</tbody></table></div>`}</section>
    <section aria-labelledby="device-title"><h2 id="device-title">Device override</h2>
      <form id="device" class="grid">
        <label for="device-id">Device id</label><input id="device-id" name="deviceId" required spellcheck="false">
        <label for="device-channel">Channel override</label><select id="device-channel" name="channel"><option value="">no override</option>${channels.map((c) => html`<option>${c.name}</option>`)}</select>
        <label for="device-bundle">Pinned bundle</label><select id="device-bundle" name="bundle"><option value="">no pin</option>${bundles.map((b) => html`<option>${b.version}</option>`)}</select>
        <div class="buttons span"><button type="button" data-device="show" class="secondary">Look up</button>
          <button type="button" data-device="set"${gate(power.write, power.reason)}>Set override</button>
          <button type="button" data-device="clear" class="danger"${gate(power.write, power.reason)}>Clear override</button></div>
      </form><div id="device-result" role="status"></div></section>
    <section aria-labelledby="match-title"><h2 id="match-title">Which segments does a device match?</h2>
      <form id="match" class="grid">
        <label for="match-segment">Segment</label><select id="match-segment" name="segment"><option value="*">every segment</option>${segments.map((s) => html`<option>${s.name}</option>`)}</select>
        <label for="match-device">Device id</label><input id="match-device" name="device_id" required value="0c0ffee0-0000-4000-8000-000000000001">
        <label for="match-platform">Platform</label><select id="match-platform" name="platform"><option>android</option><option>ios</option><option>electron</option></select>
        <label for="match-build">Native version (version_build)</label><input id="match-build" name="version_build" value="1.0.0">
        <label for="match-name">Bundle (version_name)</label><input id="match-name" name="version_name" value="builtin">
        <label for="match-custom">custom_id</label><input id="match-custom" name="custom_id">
        <label for="match-channel">defaultChannel</label><input id="match-channel" name="defaultChannel">
        <div class="buttons span"><button type="submit" class="secondary">Explain</button></div>
      </form><div id="match-result" role="status"></div></section>`);
  wireUpload(ctx, a, main);
  wireDevice(ctx, a, main);
  wireMatch(ctx, a, main, segments);
}

async function sha256(file: File): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** PUTs straight to the blob's SAS URL (the bytes never pass through the service), reporting progress. */
function putBlob(url: string, file: File, progress: HTMLProgressElement): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", url);
    xhr.setRequestHeader("x-ms-blob-type", "BlockBlob");
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) progress.value = Math.round((e.loaded / e.total) * 100);
    });
    xhr.addEventListener("load", () => (xhr.status < 300 ? resolve() : reject(new Error(`Blob storage answered ${xhr.status}`))));
    xhr.addEventListener("error", () => reject(new Error("Blob storage could not be reached (is CORS allowed for this origin?)")));
    xhr.send(file);
  });
}

function wireUpload(ctx: Console, a: string, main: HTMLElement): void {
  const form = main.querySelector<HTMLFormElement>("#upload")!;
  const input = main.querySelector<HTMLInputElement>("#upload-file")!;
  const drop = main.querySelector<HTMLElement>("#drop")!;
  const result = main.querySelector<HTMLElement>("#upload-result")!;
  const progress = main.querySelector<HTMLProgressElement>("#upload-progress")!;
  let file: File | null = null;
  const pick = (f: File | undefined) => {
    file = f ?? null;
    result.textContent = file ? `${file.name}, ${bytes(file.size)}` : "";
  };
  input.addEventListener("change", () => pick(input.files?.[0]));
  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    if (!input.disabled) pick(e.dataTransfer?.files[0]);
  });
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (!file) {
      result.textContent = "Choose or drop a zip first.";
      return;
    }
    const version = String(new FormData(form).get("version")).trim();
    const comment = String(new FormData(form).get("comment") ?? "").trim();
    result.textContent = "Computing the SHA-256…";
    const checksum = await sha256(file);
    const ok = await confirmAction("Upload this bundle?", html`<p>${file.name} (${bytes(file.size)}) as version <strong>${version}</strong>.</p><p>SHA-256 <code class="hash">${checksum}</code></p>`, "Upload");
    if (!ok) {
      result.textContent = "";
      return;
    }
    try {
      const ticket = await ctx.api.send<{ uploadUrl?: string; version: string; checksum?: string }>("POST", `/apps/${a}/bundles`,
        { version, size: file.size, sha256: checksum, ...(comment ? { comment } : {}) });
      if (ticket.uploadUrl) {
        result.textContent = "Uploading to blob storage…";
        await putBlob(ticket.uploadUrl, file, progress);
        await ctx.api.send("POST", `/apps/${a}/bundles/${encodeURIComponent(version)}/commit`);
      }
      progress.value = 100;
      mount(result, html`Bundle <strong>${version}</strong> committed; SHA-256 <code class="hash" id="upload-checksum">${checksum}</code>.`);
      notify(`Bundle ${version} uploaded.`);
    } catch (error) {
      result.textContent = `Upload failed: ${errorText(error)}`;
    }
  });
}

function wireDevice(ctx: Console, a: string, main: HTMLElement): void {
  const form = main.querySelector<HTMLFormElement>("#device")!;
  const out = main.querySelector<HTMLElement>("#device-result")!;
  const showDevice = (d: Record<string, unknown>): Html =>
    html`<dl class="facts">${Object.entries(d).map(([k, v]) => html`<dt>${k}</dt><dd>${v == null ? "–" : String(v)}</dd>`)}</dl>`;
  for (const button of form.querySelectorAll<HTMLButtonElement>("button[data-device]")) {
    button.addEventListener("click", async () => {
      if (!form.reportValidity()) return;
      const data = new FormData(form);
      const id = String(data.get("deviceId")).trim();
      const path = `/apps/${a}/devices/${encodeURIComponent(id)}`;
      try {
        if (button.dataset.device === "show") {
          mount(out, showDevice(await ctx.api.send<Record<string, unknown>>("GET", path)));
        } else if (button.dataset.device === "set") {
          const body: Record<string, string> = {};
          if (data.get("channel")) body.channel = String(data.get("channel"));
          if (data.get("bundle")) body.bundle = String(data.get("bundle"));
          if (!Object.keys(body).length) return void (out.textContent = "Choose a channel or a bundle.");
          if (!(await confirmAction("Set the device's override?", html`<p>${id}: ${body.channel ? `channel ${body.channel}` : ""} ${body.bundle ? `bundle ${body.bundle}` : ""}</p>`, "Set override"))) return;
          mount(out, showDevice(await ctx.api.send<Record<string, unknown>>("PUT", path, body)));
        } else {
          if (!(await confirmAction("Clear the device's override?", html`<p>${id} goes back to its own or the default channel (a self-assignment stays).</p>`, "Clear", true))) return;
          await ctx.api.send("DELETE", path);
          out.textContent = `Override of ${id} cleared.`;
        }
      } catch (error) {
        out.textContent = errorText(error);
      }
    });
  }
}

function wireMatch(ctx: Console, a: string, main: HTMLElement, segments: Segment[]): void {
  const form = main.querySelector<HTMLFormElement>("#match")!;
  const out = main.querySelector<HTMLElement>("#match-result")!;
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const data = new FormData(form);
    const body: Record<string, unknown> = { app_id: decodeURIComponent(a), is_emulator: false, is_prod: true };
    for (const k of ["device_id", "platform", "version_build", "version_name", "custom_id", "defaultChannel"]) if (data.get(k)) body[k] = String(data.get(k));
    const names = data.get("segment") === "*" ? segments.map((s) => s.name) : [String(data.get("segment"))];
    try {
      const answers = await Promise.all(names.map((n) => ctx.api.send<{ segment: string; matched: boolean; channel: string | null; conditions: { condition: string; holds: boolean }[] }>("POST", `/apps/${a}/segments/${encodeURIComponent(n)}/match`, body)));
      mount(out, answers.length === 0 ? html`<p>The app has no segments.</p>` : html`${answers.map((m) => html`<h3>${m.segment}: ${m.matched ? "matches" : "does not match"}</h3>
        <p class="muted">resolves to channel ${m.channel ?? "none"}</p>
        <ul>${m.conditions.map((c) => html`<li>${c.holds ? "✔" : "✘"} ${c.condition}</li>`)}</ul>`)}`);
    } catch (error) {
      out.textContent = errorText(error);
    }
  });
}
