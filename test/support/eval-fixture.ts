/**
 * A real eval run for the extension's tests and screenshots: a small repository whose history
 * holds six good commits, evaluated by the real runEval against three scripted models on
 * localhost, each a different kind of student:
 *
 *   'student'  reproduces every commit; on one task it adds an unrelated line (precision < 1)
 *   'base'     reproduces two commits, parts of three others (one below the threshold), and
 *              elsewhere edits something else
 *   'teacher'  looks around and never submits
 */
import { join } from 'node:path';
import { runEval, type EvalSummary } from '../../src/core/eval';
import { makeRepo, type FixtureRepo } from './fixture-repo';
import { startScriptedTeacher, toolCall, type RecordedRequest, type Reply, type ScriptedTeacher } from './scripted-teacher';

const CART = `def add_item(items, name, quantity):
    items.append((name, quantity))
    return items


def remove_item(items, name):
    return [item for item in items if item[0] != name]


def total(items):
    return sum(q for _, q in items)


def describe(items):
    lines = []
    for name, quantity in items:
        lines.append(f"{name}: {quantity}")
    return "\\n".join(lines)
`;

const PRICING = `RATES = {"standard": 1.0, "member": 0.9}


def unit_price(base, customer):
    return base * RATES[customer]


def line_total(base, quantity, customer):
    price = unit_price(base, customer)
    return price * quantity


def discount(total, percent):
    return total - total * percent / 100
`;

type Step = { message: string; file: 'shop/cart.py' | 'shop/pricing.py'; edit: (text: string) => string };

/** Six commits that each make a task (2 to 80 changed source lines, a message that says something). */
const STEPS: Step[] = [
  { message: 'Reject negative quantities in add_item\n\nA negative quantity made the cart total go down.', file: 'shop/cart.py', edit: (t) => t.replace('    items.append((name, quantity))', '    if quantity < 0:\n        raise ValueError("quantity must not be negative")\n    items.append((name, quantity))') },
  { message: 'Fall back to the standard rate for unknown customers', file: 'shop/pricing.py', edit: (t) => t.replace('    return base * RATES[customer]', '    rate = RATES.get(customer, RATES["standard"])\n    return base * rate') },
  { message: 'Count only positive quantities in the cart total', file: 'shop/cart.py', edit: (t) => t.replace('    return sum(q for _, q in items)', '    kept = [q for _, q in items if q > 0]\n    return sum(kept)') },
  {
    message: 'Round line totals to cents and refuse discounts over 100%',
    file: 'shop/pricing.py',
    edit: (t) => t.replace('    return price * quantity', '    return round(price * quantity, 2)').replace('def discount(total, percent):\n', 'def discount(total, percent):\n    if percent > 100:\n        raise ValueError("a discount cannot exceed 100%")\n'),
  },
  { message: 'Remove every line of a name, whatever its case', file: 'shop/cart.py', edit: (t) => t.replace('    return [item for item in items if item[0] != name]', '    wanted = name.lower()\n    return [item for item in items if item[0].lower() != wanted]') },
  { message: 'Describe an empty cart as such instead of a blank string', file: 'shop/cart.py', edit: (t) => t.replace('    lines = []\n', '    if not items:\n        return "(empty cart)"\n    lines = []\n') },
];

export interface EvalFixture {
  repo: FixtureRepo;
  evalDir: string;
  summary: EvalSummary;
  /** Task statement (the commit message) -> reference patch, as the models were taught. */
  references: { statement: string; reference: string }[];
  cleanup(): Promise<void>;
}

/** Applies the reference, then runs `then` (a shell line that spoils or adds to it). */
const apply = (patch: string, then = '') => toolCall('bash', { command: `git apply --whitespace=nowarn - <<'__REFERENCE__'\n${patch}__REFERENCE__\n${then}` });

/** What 'base' gets wrong after applying the reference, task by task (task 2 and 5 it leaves alone). */
const SPOILS: Record<number, string> = {
  1: "sed -i 's/rate = RATES.get(customer, RATES\\[\"standard\"\\])/rate = RATES.get(customer) or 1.0/; s/return base \\* rate/return rate * base/' shop/pricing.py",
  3: "sed -i 's/round(price \\* quantity, 2)/price * quantity/' shop/pricing.py",
  5: "sed -i 's/(empty cart)/empty/' shop/cart.py",
};

/** A scripted model: what it does on its first step for task number `i` (then it submits). */
function model(known: { statement: string; reference: string }[], first: (i: number, reference: string) => Reply | null) {
  return (req: RecordedRequest): Reply => {
    const messages = req.body.messages ?? [];
    const prompt = String(messages[1]?.content ?? '');
    const i = known.findIndex((t) => prompt.includes(t.statement.trim()));
    if (messages.some((m) => m.role === 'assistant')) return toolCall('submit', {});
    return (i >= 0 ? first(i, known[i].reference) : null) ?? toolCall('bash', { command: "echo '# reviewed' >> shop/cart.py" });
  };
}

/** Builds the repository and runs the eval into REPO/.specializer/evals/<evalId>, with the default folder layout the extension discovers. */
export async function makeEvalFixture(o: { evalId?: string; models?: number } = {}): Promise<EvalFixture> {
  const repo = await makeRepo({ 'shop/cart.py': CART, 'shop/pricing.py': PRICING, 'README.md': '# shop\n' }, { prefix: 'rs-evalfx-' });
  const texts: Record<string, string> = { 'shop/cart.py': CART, 'shop/pricing.py': PRICING };
  const references: EvalFixture['references'] = [];
  for (const step of STEPS) {
    texts[step.file] = step.edit(texts[step.file]);
    repo.write({ [step.file]: texts[step.file] });
    const hash = repo.commitAll(step.message);
    references.push({ statement: step.message, reference: repo.git('diff', '--no-ext-diff', `${hash}^`, hash, '--', 'shop/') });
  }
  const servers: ScriptedTeacher[] = [
    await startScriptedTeacher(model(references, (i, ref) => apply(ref, i === 1 ? `echo 'LOG_LEVEL = "debug"' >> shop/pricing.py` : '')), { models: ['student-ft'] }),
    await startScriptedTeacher(model(references, (i, ref) => (i === 0 || i === 4 || SPOILS[i] ? apply(ref, SPOILS[i]) : null)), { models: ['Qwen2.5-Coder-7B'] }),
    await startScriptedTeacher(() => toolCall('bash', { command: 'ls shop' }), { models: ['teacher'] }),
  ];
  const labels = ['student', 'base', 'teacher'];
  const models = servers.slice(0, o.models ?? 3).map((s, i) => ({ label: labels[i], model: ['student-ft', 'Qwen2.5-Coder-7B', 'teacher'][i], baseUrls: [s.url] }));
  const evalDir = join(repo.root, '.specializer', 'evals', o.evalId ?? '2026-12-02_05-10-00');
  try {
    const summary = await runEval({ repo: repo.root, out: evalDir, tasks: { history: {} }, models, sandbox: 'host', maxSteps: 3, concurrency: 6 });
    return {
      repo,
      evalDir,
      summary,
      references,
      cleanup: async () => {
        await repo.cleanup();
      },
    };
  } finally {
    await Promise.all(servers.map((s) => s.close()));
  }
}
