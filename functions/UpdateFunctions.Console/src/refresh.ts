/** Runs `load` now and then every `ms` until the page changes; a failed round keeps what is shown. */
export async function keepFresh(signal: AbortSignal, ms: number, load: () => Promise<void>): Promise<void> {
  await load();
  const loop = async () => {
    while (!signal.aborted) {
      await new Promise((r) => setTimeout(r, ms));
      if (signal.aborted || document.querySelector("dialog[open]")) continue;
      try {
        await load();
      } catch {
        // The banner already says the service is down; the last render stays.
      }
    }
  };
  void loop();
}

/** How often live pages ask again: ?refresh=ms in the page's own query, else 5 s. */
export function refreshInterval(): number {
  const asked = Number(new URLSearchParams(location.hash.split("?")[1] ?? "").get("refresh"));
  return Number.isFinite(asked) && asked >= 500 ? asked : 5000;
}

const shown = new WeakMap<Element, string>();

/**
 * Whether the data differs from what the element shows (the `at` of a live status aside): a refresh that changes
 * nothing does not re-render, so focus and scroll stay where the reader left them.
 */
export function changed(host: Element, data: unknown): boolean {
  const signature = JSON.stringify(data, (key, value) => (key === "at" && typeof value === "string" ? undefined : value));
  if (shown.get(host) === signature) return false;
  shown.set(host, signature);
  return true;
}

export function forgetShown(host: Element): void {
  shown.delete(host);
}
