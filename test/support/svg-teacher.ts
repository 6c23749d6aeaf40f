/**
 * A scripted teacher that plays whole SVG samples: it recognises which stage a request belongs
 * to (rollout 1, the PR writer, the judge, rollout 2) from the request itself, so it works with
 * any concurrency and across process restarts. Behaviour per start function is chosen by the
 * function's name, so one fixture repository can hold every scenario at once.
 */
import type { RecordedRequest, Reply } from './scripted-teacher';
import { httpError, say, toolCall } from './scripted-teacher';

export type Scenario =
  | 'reproduce' // rollout 2 makes the same change: recall 1
  | 'half' // rollout 2 makes half of it: recall 0.5
  | 'elsewhere' // rollout 2 edits another file: recall 0
  | 'leak' // the PR writer quotes the change; the text must be cleaned or rejected
  | 'leak-always' // the PR writer cannot stop quoting the change
  | 'no-submit' // rollout 1 never submits
  | 'empty-p1' // rollout 1 submits without a change
  | 'pr-error' // the PR writer gets a teacher error
  | 'judge-no' // the judge says no
  | 'empty-p2' // rollout 2 changes nothing
  | 'r1-error'; // rollout 1 hits a non-retryable teacher error

/** The two lines rollout 1 adds to a function, recognisable per function. */
export function addedLines(fn: string): [string, string] {
  return [`    # guard added for ${fn}`, `    check_inputs_of_${fn}()`];
}

function stageOf(req: RecordedRequest): 'rollout1' | 'rollout2' | 'pr' | 'judge' {
  const messages = req.body.messages ?? [];
  const system = String(messages[0]?.content ?? '');
  if (system.startsWith('You write issue reports')) return 'pr';
  if (system.startsWith('You review code changes')) return 'judge';
  const task = String(messages[1]?.content ?? '');
  return task.includes('ISSUE-FROM-PR-WRITER') ? 'rollout2' : 'rollout1';
}

function functionIn(text: string): { fn: string; file: string } {
  const fn = /`(?:[\w.]*\.)?(\w+)`/.exec(text)?.[1] ?? /function (\w+)/.exec(text)?.[1] ?? 'unknown';
  const file = /\b([\w/]+\.(?:py|ts|js|go|rs|rb|java|php|cs|cpp))\b/.exec(text)?.[1] ?? 'app/core.py';
  return { fn, file };
}

/** Scenario by the start function's name: a function named e.g. `half_total` plays 'half'. */
export function scenarioOf(fn: string, fallback: Scenario = 'reproduce'): Scenario {
  const names: Scenario[] = ['leak-always', 'no-submit', 'empty-p1', 'pr-error', 'judge-no', 'empty-p2', 'r1-error', 'reproduce', 'half', 'elsewhere', 'leak'];
  for (const n of names) if (fn.startsWith(n.replace(/-/g, '_') + '_')) return n;
  return fallback;
}

export function svgTeacher(opts: { fallback?: Scenario } = {}) {
  return (req: RecordedRequest): Reply => {
    const messages = req.body.messages ?? [];
    const stage = stageOf(req);
    if (stage === 'pr') {
      const prompt = String(messages[1]?.content ?? '');
      const { fn, file } = functionIn(prompt.split('What the developer was asked to look into:')[1] ?? prompt);
      const scenario = scenarioOf(fn, opts.fallback);
      if (scenario === 'pr-error') return httpError(400, 'the scripted PR writer refuses');
      const quote = scenario === 'leak' && !prompt.includes('was not usable') ? `\n\nThe code should read:\n${addedLines(fn)[1].trim()}` : '';
      if (scenario === 'leak-always') return say(`<issue>\`\`\`diff\n--- a/${file}\n+++ b/${file}\n@@ -1,2 +1,4 @@\n+${addedLines(fn)[1]}\n\`\`\`\nFixed.</issue>`);
      return say(`<issue>ISSUE-FROM-PR-WRITER: calling \`${fn}\` in ${file} with missing inputs fails much later with a confusing error instead of being rejected early. To reproduce, call ${fn} with None.${quote}</issue>`);
    }
    if (stage === 'judge') {
      const { fn } = functionIn(String(messages[1]?.content ?? ''));
      return say(scenarioOf(fn, opts.fallback) === 'judge-no' ? 'NO. The change does not address the request.' : 'YES. It is a coherent change.');
    }
    const task = String(messages[1]?.content ?? '');
    const { fn, file } = functionIn(task);
    const scenario = scenarioOf(fn, opts.fallback);
    const step = messages.filter((m) => m.role === 'assistant').length;
    const [first, second] = addedLines(fn);
    // Inserts the lines after the line that defines the function, whatever the language; sed
    // works the same on the host and inside bubblewrap.
    const edit = (lines: string[]) =>
      toolCall('bash', {
        command: `sed -i -E '/(def|function|func|fn) +${fn} *\\(/a\\${lines.join('\\n')}' ${file}`,
      });
    if (stage === 'rollout1') {
      if (scenario === 'r1-error') return httpError(403, 'scripted: this project is not allowed');
      if (scenario === 'no-submit') return toolCall('bash', { command: 'ls' });
      if (step === 0 && scenario !== 'empty-p1') return edit([first, second]);
      return toolCall('submit', {});
    }
    if (step === 0) {
      if (scenario === 'empty-p2') return toolCall('bash', { command: 'ls' });
      if (scenario === 'half') return edit([first, '    pass']);
      if (scenario === 'elsewhere') return toolCall('bash', { command: `echo 'note about ${fn}' >> README.md` });
      return edit([first, second]);
    }
    return toolCall('submit', {});
  };
}
