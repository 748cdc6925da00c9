// The management API client: the key lives in sessionStorage only and travels in the Authorization header.
// GETs remember their last answer, so an outage shows the last data under a banner instead of a blank page.

const keyName = "updatefunctions.key";

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export interface Outage {
  message: string;
  lastSuccess: Date | null;
}

type Listener = (outage: Outage | null) => void;

export class Api {
  private readonly cache = new Map<string, unknown>();
  private lastSuccess: Date | null = null;
  private listener: Listener = () => {};
  onAuthFailure: (message: string) => void = () => {};

  constructor(readonly base: string) {}

  get key(): string | null {
    return sessionStorage.getItem(keyName);
  }

  signIn(key: string): void {
    sessionStorage.setItem(keyName, key);
    this.cache.clear();
  }

  signOut(): void {
    sessionStorage.removeItem(keyName);
    this.cache.clear();
  }

  onOutage(listener: Listener): void {
    this.listener = listener;
  }

  async get<T>(path: string): Promise<T> {
    try {
      const value = await this.send<T>("GET", path);
      this.cache.set(path, value);
      return value;
    } catch (error) {
      if (isOutage(error) && this.cache.has(path)) return this.cache.get(path) as T;
      throw error;
    }
  }

  /** A change: never answered from the cache, and a 403 is the caller's to explain (the key lacks the role). */
  send<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.request<T>(method, path, body);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json" };
    const key = this.key;
    if (key) headers.Authorization = `Bearer ${key}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response: Response;
    try {
      response = await fetch(this.base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: "no-store",
        credentials: "omit",
      });
    } catch {
      const error = new ApiError(0, "unreachable", "The service cannot be reached.");
      this.listener({ message: error.message, lastSuccess: this.lastSuccess });
      throw error;
    }
    if (response.status === 204) {
      this.succeeded();
      return undefined as T;
    }
    const text = await response.text();
    let json: unknown = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (response.ok) {
      this.succeeded();
      return json as T;
    }
    const problem = (json ?? {}) as { error?: string; message?: string };
    const error = new ApiError(response.status, problem.error ?? `http_${response.status}`, problem.message ?? `${response.status} ${response.statusText}`);
    if (response.status === 503 || response.status === 502 || response.status === 504) {
      this.listener({ message: error.message, lastSuccess: this.lastSuccess });
    } else if (response.status === 401 || (response.status === 403 && method === "GET")) {
      this.onAuthFailure(response.status === 401 ? "The key was refused: it is unknown, expired or revoked. Sign in again." : `This key may not see that: ${error.message}`);
    }
    throw error;
  }

  private succeeded(): void {
    this.lastSuccess = new Date();
    this.listener(null);
  }
}

export function isOutage(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 0 || error.status >= 502);
}

export function apiBase(): string {
  const meta = document.querySelector('meta[name="updatefunctions-api"]');
  return (meta?.getAttribute("content") || "/api/v1").replace(/\/$/, "");
}
