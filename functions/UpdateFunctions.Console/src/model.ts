// The management API's JSON, as far as the console reads it (docs/management-api.md).

/** The signed-in key, from GET /whoami (never its secret); apps null = every app. */
export interface Me { id: string; name: string | null; role: "read" | "upload" | "write" | "admin"; apps: string[] | null; expiresAt: string | null }

export interface App { id: string; name: string; defaultChannel: string | null; createdAt?: string }

export interface Channel {
  name: string; id: number; bundle: string | null; public: boolean;
  ios: boolean; android: boolean; electron: boolean; allowDeviceSelfSet: boolean;
  allowEmulator: boolean; allowDevice: boolean; allowDev: boolean; allowProd: boolean;
  disableAutoUpdate: string; disableAutoUpdateUnderNative: boolean; partialUpdates?: boolean;
  activeRollout?: string | null;
}

export interface Bundle { version: string; checksum: string; size: number; createdAt: string; comment?: string | null }

export interface SegmentVerdict {
  segment: string; targetAttempts: number; targetFailures: number; targetFailureRate: number | null;
  baselineAttempts: number; baselineFailures: number; baselineFailureRate: number | null;
  zScore: number | null; outcome: string;
  /** Attempts the segment needs before its gate passes or fails; failed update checks, shown but never judged. */
  minSamples?: number; targetCheckFailures?: number; baselineCheckFailures?: number;
}

export interface Decision {
  at: string; kind: string; reason: string; detail: string; fromPercent: number; toPercent: number;
  state: string; segments: SegmentVerdict[]; by?: string | null; repeated?: number;
}

export interface Window { days: (string | number)[]; start: string; end: string; timeZoneId: string }

export interface Rollout {
  id: string; channel: string; baselineBundle: string; targetBundle: string; segments: string[]; steps: number[];
  stepIndex: number; percent: number; state: string;
  gates: { minStepDuration: string; minSamples: number; maxFailureRate: number; compareWithBaseline: boolean };
  windows: Record<string, Window>; createdAt: string; startedAt: string | null; stepStartedAt: string | null;
  history: Decision[];
  status?: { health: SegmentVerdict[]; preview?: { kind: string; reason: string; detail: string; toPercent: number } | null; earliestNextStep?: string | null; at: string };
}

export interface Segment { name: string; match: string; description?: string | null; conditions: unknown[] }

export interface AuditEntry { id: string; at: string; keyId: string; action: string; app: string | null; resource: string; before: unknown; after: unknown }

export interface MetricsPoint {
  bucket: string | null; installs: number; attempts: number; failures: number; failureRate: number | null;
  successRate: number | null; uniqueDevices: number; adoption: number | null; downloads: number; launches: number;
  sessions: number; crashes: number; other: number; events: number;
  /** Failed update checks of devices running the bundle (a 429, a 503, no network): not failures of the bundle. */
  checkFailures?: number;
  /** The kinds that make up `failures`. */
  downloadFailures?: number; installFailures?: number; rollbacks?: number;
  [name: string]: unknown;
}

export interface MetricsSeries { channel: string | null; platform: string | null; bundle: string | null; segment: string; total: MetricsPoint; points: MetricsPoint[] }

export interface MetricsReport { appId: string; from: string; to: string; interval: string; groupBy: string[]; series: MetricsSeries[] }

export const activeStates = ["draft", "running", "paused"];
