/** The shape of the suite's results file (apps/bench/results/latest.json) and its scenarios. */

export interface MetricDef {
  readonly key: string;
  readonly label: string;
  readonly unit: string;
  readonly better: 'lower' | 'higher';
  /** Drawn in the scenario's chart (one chart per scenario, the first such metric). */
  readonly chart?: boolean;
}

export interface ServerDef {
  readonly id: string;
  readonly label: string;
  /** The entry module under apps/bench/dist/servers, a path from the repository root, or an absolute path. */
  readonly entry: string;
}

export type ScenarioKind = 'wrk' | 'sse' | 'idle' | 'cold' | 'cpu';

export interface ScenarioDef {
  readonly id: string;
  readonly title: string;
  readonly kind: ScenarioKind;
  readonly description: string;
  readonly servers: readonly string[];
  /** Servers left out, and why. */
  readonly skipped: Readonly<Record<string, string>>;
  readonly metrics: readonly MetricDef[];
}

export type Figures = Record<string, number>;

export interface ServerResult {
  readonly id: string;
  readonly label: string;
  /** One entry per round. */
  readonly rounds: Figures[];
  /** Medians over the rounds. */
  readonly median: Figures;
  /** Median over the rounds of this server's figure over Fastify's in the same round. */
  readonly vsFastify: Figures;
  /** Rounds that failed, with the reason. */
  readonly errors?: string[];
}

export interface ScenarioResult extends ScenarioDef {
  readonly results: ServerResult[];
}

/** How long and how hard each scenario loads a server: the results record them (suite/settings.ts). */
export interface LoadSettings {
  readonly warmupSeconds: number;
  readonly seconds: number;
  readonly connections: number;
  readonly sseClients: number;
  readonly idleConnections: number;
  readonly coldStartSamples: number;
}

export interface SuiteMeta extends LoadSettings {
  readonly mode: 'full' | 'smoke';
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly node: string;
  readonly cpu: string;
  readonly rounds: number;
  readonly loadAverage: { readonly before: string; readonly after: string };
  readonly command: string;
}

export interface SuiteResults {
  readonly meta: SuiteMeta;
  readonly scenarios: ScenarioResult[];
}
