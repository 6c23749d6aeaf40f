/**
 * The extension's settings as the engine needs them, validated. Kept free of the VS Code API so
 * it can be tested directly; `read` is any function returning a setting's raw value.
 */
import { DEFAULT_BASE_URL, RUN_DEFAULTS } from '../../core/defaults';

export type SandboxSetting = 'auto' | 'bwrap' | 'docker' | 'host' | 'off';

export interface ExtensionSettings {
  baseUrls: string[];
  model: string;
  temperature: number;
  maxTokens: number | undefined;
  /** One teacher answer's longest wait, per attempt. */
  requestTimeoutMs: number;
  concurrency: number;
  threshold: number;
  maxSteps: number;
  /** One rollout's wall-time budget. */
  rolloutWallMs: number;
  perFileCap: number;
  instancesPerFunction: number;
  samples: number;
  sandbox: SandboxSetting;
  dockerImage: string;
  include: string[];
  exclude: string[];
  demonstrations: string;
  judge: boolean;
  runsFolder: string;
}

export interface SettingProblem {
  /** Full setting id, e.g. repoSpecializer.generation.threshold. */
  setting: string;
  message: string;
}

export const SECTION = 'repoSpecializer';

export const SETTING_DEFAULTS = {
  'teacher.baseUrls': [DEFAULT_BASE_URL],
  'teacher.model': '',
  'teacher.temperature': RUN_DEFAULTS.temperature,
  'teacher.maxTokens': 0,
  'teacher.requestTimeoutSeconds': 600,
  'generation.samples': 20,
  'generation.concurrency': RUN_DEFAULTS.concurrency,
  'generation.threshold': RUN_DEFAULTS.threshold,
  'generation.maxSteps': RUN_DEFAULTS.maxSteps,
  'generation.rolloutMinutes': 60,
  'generation.perFileCap': RUN_DEFAULTS.perFileCap,
  'generation.instancesPerFunction': RUN_DEFAULTS.instancesPerFunction,
  'generation.judge': false,
  'generation.demonstrations': RUN_DEFAULTS.demonstrations,
  'sandbox.mode': 'auto',
  'sandbox.dockerImage': 'python:3.12-slim',
  'scan.include': [] as string[],
  'scan.exclude': [] as string[],
  'runsFolder': '',
} as const;

type Key = keyof typeof SETTING_DEFAULTS;

export function validateSettings(read: (key: Key) => unknown): { settings: ExtensionSettings; problems: SettingProblem[] } {
  const problems: SettingProblem[] = [];
  const problem = (key: Key, message: string) => problems.push({ setting: `${SECTION}.${key}`, message: `${SECTION}.${key} ${message}` });
  const value = <K extends Key>(key: K): unknown => {
    const raw = read(key);
    return raw === undefined || raw === null ? SETTING_DEFAULTS[key] : raw;
  };
  const stringList = (key: Key): string[] => {
    const raw = value(key);
    if (!Array.isArray(raw) || raw.some((v) => typeof v !== 'string')) {
      problem(key, 'must be a list of strings.');
      return [...(SETTING_DEFAULTS[key] as readonly string[])];
    }
    return raw.map((v: string) => v.trim()).filter(Boolean);
  };
  const number = (key: Key, min: number, max: number, integer: boolean): number => {
    const raw = value(key);
    const fallback = SETTING_DEFAULTS[key] as number;
    if (typeof raw !== 'number' || Number.isNaN(raw) || raw < min || raw > max || (integer && !Number.isInteger(raw))) {
      problem(key, `must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}; got ${JSON.stringify(raw)}. Using ${fallback}.`);
      return fallback;
    }
    return raw;
  };

  const baseUrls = stringList('teacher.baseUrls').map((u) => u.replace(/\/+$/, ''));
  for (const url of baseUrls) {
    try {
      const parsed = new URL(url);
      if (!/^https?:$/.test(parsed.protocol)) throw new Error('protocol');
    } catch {
      problem('teacher.baseUrls', `has "${url}", which is not an http(s) URL such as http://localhost:11434/v1.`);
    }
  }
  if (!baseUrls.length) problem('teacher.baseUrls', 'is empty; add the URL of an OpenAI-compatible endpoint such as http://localhost:11434/v1.');
  const model = value('teacher.model');
  const sandbox = value('sandbox.mode');
  const sandboxModes: SandboxSetting[] = ['auto', 'bwrap', 'docker', 'host', 'off'];
  if (!sandboxModes.includes(sandbox as SandboxSetting)) problem('sandbox.mode', `must be one of ${sandboxModes.join(', ')}; got ${JSON.stringify(sandbox)}.`);
  const maxTokens = number('teacher.maxTokens', 0, 1_000_000, true);
  const demonstrations = value('generation.demonstrations');
  const runsFolder = value('runsFolder');
  const dockerImage = value('sandbox.dockerImage');
  const settings: ExtensionSettings = {
    baseUrls,
    model: typeof model === 'string' ? model.trim() : '',
    temperature: number('teacher.temperature', 0, 2, false),
    maxTokens: maxTokens > 0 ? maxTokens : undefined,
    requestTimeoutMs: number('teacher.requestTimeoutSeconds', 1, 86_400, true) * 1000,
    concurrency: number('generation.concurrency', 1, 256, true),
    threshold: number('generation.threshold', 0, 1, false),
    maxSteps: number('generation.maxSteps', 1, 1000, true),
    rolloutWallMs: Math.round(number('generation.rolloutMinutes', 1, 10_080, false) * 60_000),
    perFileCap: number('generation.perFileCap', 1, 10_000, true),
    instancesPerFunction: number('generation.instancesPerFunction', 1, 100, true),
    samples: number('generation.samples', 1, 100_000, true),
    sandbox: sandboxModes.includes(sandbox as SandboxSetting) ? (sandbox as SandboxSetting) : 'auto',
    dockerImage: typeof dockerImage === 'string' && dockerImage.trim() ? dockerImage.trim() : SETTING_DEFAULTS['sandbox.dockerImage'],
    include: stringList('scan.include'),
    exclude: stringList('scan.exclude'),
    demonstrations: typeof demonstrations === 'string' && demonstrations.trim() ? demonstrations.trim() : 'builtin',
    judge: value('generation.judge') === true,
    runsFolder: typeof runsFolder === 'string' ? runsFolder.trim() : '',
  };
  if (typeof model !== 'string') problem('teacher.model', 'must be a model name (text).');
  return { settings, problems };
}
