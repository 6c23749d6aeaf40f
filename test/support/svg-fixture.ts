import { makeRepo, type FixtureRepo } from './fixture-repo';
import type { Scenario } from './svg-teacher';

/** A small Python repository with one function per scenario (each in its own file, so per-file caps do not interfere). */
export async function makeScenarioRepo(scenarios: Scenario[]): Promise<FixtureRepo> {
  const files: Record<string, string> = { 'README.md': '# fixture\n', 'app/__init__.py': '' };
  for (const s of scenarios) {
    const fn = `${s.replace(/-/g, '_')}_total`;
    files[`app/${s.replace(/-/g, '_')}.py`] = `def ${fn}(items):\n    result = 0\n    for item in items:\n        result += item\n    return result\n`;
  }
  return makeRepo(files);
}
