// What every page shares: the API client, the key's powers per app, confirmation dialogs and messages.
import { Api, ApiError } from "./api";
import type { Me } from "./model";
import { html, mount, Html } from "./html";

export type Power = { write: boolean; upload: boolean; reason: string };

export class Console {
  private me: Promise<Me> | null = null;
  /** Stops the current page's refresh loop when the page changes. */
  pageAbort = new AbortController();

  constructor(readonly api: Api) {}

  forget(): void {
    this.me = null;
  }

  /** What the key may do in an app, from its role and app limit (GET /whoami, asked once per sign-in). */
  async power(app: string): Promise<Power> {
    if (!this.me) {
      const asked = this.api.get<Me>("/whoami");
      this.me = asked;
      // A failed answer is not remembered: the next page asks again.
      asked.catch(() => {
        if (this.me === asked) this.me = null;
      });
    }
    const me = await this.me;
    if (me.apps !== null && !me.apps.includes(app)) {
      return { write: false, upload: false, reason: `Read-only: this key is limited to ${me.apps.join(", ") || "no app"}.` };
    }
    const rank = ["read", "upload", "write", "admin"].indexOf(me.role);
    const write = rank >= 2;
    return { write, upload: rank >= 1, reason: write ? "" : `Read-only: this key has the '${me.role}' role; changes need a 'write' key.` };
  }
}

/** Asks before an action; resolves true when confirmed. Keyboard: Enter confirms, Escape cancels. */
export function confirmAction(title: string, body: Html, confirmLabel: string, danger = false): Promise<boolean> {
  return new Promise((resolve) => {
    const dialog = document.createElement("dialog");
    dialog.setAttribute("aria-labelledby", "confirm-title");
    mount(dialog, html`<form method="dialog" class="dialog">
      <h2 id="confirm-title">${title}</h2>
      <div>${body}</div>
      <div class="buttons">
        <button value="cancel" type="submit" class="secondary">Cancel</button>
        <button value="ok" type="submit" class="${danger ? "danger" : "primary"}" autofocus>${confirmLabel}</button>
      </div></form>`);
    document.body.append(dialog);
    dialog.addEventListener("close", () => {
      resolve(dialog.returnValue === "ok");
      dialog.remove();
    });
    dialog.showModal();
  });
}

/** Shows a form in a modal; resolves with its values on submit, null on cancel. */
export function formDialog(title: string, body: Html, submitLabel: string, setup?: (form: HTMLFormElement) => void): Promise<FormData | null> {
  return new Promise((resolve) => {
    const dialog = document.createElement("dialog");
    dialog.setAttribute("aria-labelledby", "form-title");
    mount(dialog, html`<form class="dialog">
      <h2 id="form-title">${title}</h2>
      ${body}
      <div class="buttons">
        <button type="button" class="secondary" data-cancel>Cancel</button>
        <button type="submit" class="primary">${submitLabel}</button>
      </div></form>`);
    document.body.append(dialog);
    const form = dialog.querySelector("form")!;
    let result: FormData | null = null;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      result = new FormData(form);
      dialog.close();
    });
    dialog.querySelector("[data-cancel]")!.addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => {
      resolve(result);
      dialog.remove();
    });
    setup?.(form);
    dialog.showModal();
  });
}

/** A short message at the top of the page (success or error), announced to screen readers. */
export function notify(message: string, tone: "ok" | "bad" = "ok"): void {
  const area = document.getElementById("notice")!;
  area.setAttribute("role", tone === "bad" ? "alert" : "status");
  area.className = `notice ${tone}`;
  area.textContent = message;
}

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return `${error.message} (${error.code}${error.status ? `, HTTP ${error.status}` : ""})`;
  return error instanceof Error ? error.message : String(error);
}

/** Disabled attribute and the reason, for an action the key may not take. */
export function gate(allowed: boolean, reason: string): Html {
  return allowed ? html`` : html` disabled title="${reason}" aria-disabled="true"`;
}
