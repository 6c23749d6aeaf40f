import { makeRepo, type FixtureRepo } from './fixture-repo';

/** One commit of the history fixture and what task selection must make of it. */
export interface HistoryCommit {
  message: string;
  /** Files written by the commit (whole contents). */
  files: Record<string, string>;
  /** Changed non-blank source lines the reference must have, or the reason the commit is left out. */
  expect: { lines: number } | { skip: string };
  hash?: string;
}

const lines = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}_${i} = ${i}`).join('\n') + '\n';

const BASE_INVOICE = 'def add_item(items, name, quantity):\n    items.append((name, quantity))\n    return items\n\n\ndef total(items):\n    return sum(q for _, q in items)\n';

/**
 * A repository whose commits (oldest first) cover every rule of history task selection: the
 * root commit, messages that say nothing, version bumps, test-only and docs-only changes, a
 * change too large and one too small, and two good commits of known size.
 */
export function historyCommits(): HistoryCommit[] {
  return [
    { message: 'Initial import of the invoice package', files: { 'shop/invoice.py': BASE_INVOICE, 'shop/version.py': "VERSION = '1.0.0'\n", 'README.md': '# shop\n' }, expect: { skip: 'root-commit' } },
    {
      message: 'Reject negative quantities in add_item (#12)\n\nA negative quantity made the invoice total go down; add_item now refuses it with a ValueError.',
      files: { 'shop/invoice.py': BASE_INVOICE.replace('    items.append', '    if quantity < 0:\n        raise ValueError("quantity must not be negative")\n    items.append') },
      expect: { lines: 2 },
    },
    { message: 'wip', files: { 'shop/invoice.py': BASE_INVOICE.replace('    items.append', '    if quantity < 0:\n        raise ValueError("quantity must not be negative")\n\n    items.append') + '# wip\n' }, expect: { skip: 'work-in-progress' } },
    { message: 'Bump version to 1.1.0', files: { 'shop/version.py': "VERSION = '1.1.0'\n" }, expect: { skip: 'version-bump' } },
    { message: 'Add tests for the total of an empty invoice', files: { 'tests/test_invoice.py': 'def test_empty():\n    assert True\n' }, expect: { skip: 'no-source-change' } },
    { message: 'Explain in the README how invoices are totalled', files: { 'README.md': '# shop\n\nTotals are sums of quantities.\n' }, expect: { skip: 'no-source-change' } },
    { message: 'Add the table of tax rates for every region we ship to', files: { 'shop/rates.py': lines('RATE', 200) }, expect: { skip: 'too-large' } },
    { message: 'Fix it', files: { 'shop/rates.py': lines('RATE', 200).replace('RATE_0 = 0', 'RATE_0 = 0.5').replace('RATE_1 = 1', 'RATE_1 = 1.5') }, expect: { skip: 'message-too-short' } },
    { message: 'Round rates to one decimal place when they are printed', files: { 'shop/rates.py': lines('RATE', 200).replace('RATE_0 = 0', 'RATE_0 = 0.5').replace('RATE_1 = 1', 'RATE_1 = 1.5') + 'ROUNDING_DIGITS = 1\n' }, expect: { skip: 'too-small' } },
    {
      message: 'Count only positive quantities in total\n\nReturned goods are booked as separate lines, so total must skip them; see #7.',
      files: {
        'shop/invoice.py': BASE_INVOICE.replace('    items.append', '    if quantity < 0:\n        raise ValueError("quantity must not be negative")\n    items.append').replace('    return sum(q for _, q in items)\n', '    kept = [q for _, q in items if q > 0]\n    return sum(kept)\n') + '# wip\n',
        'tests/test_invoice.py': 'def test_empty():\n    assert True\n\n\ndef test_positive():\n    assert True\n',
      },
      expect: { lines: 3 },
    },
  ];
}

/** The fixture repository, with each commit's hash filled in. */
export async function makeHistoryRepo(): Promise<{ repo: FixtureRepo; commits: HistoryCommit[] }> {
  const commits = historyCommits();
  const repo = await makeRepo(commits[0].files, { commit: false, prefix: 'rs-history-' });
  repo.git('init', '--quiet', '--initial-branch=main');
  commits[0].hash = repo.commitAll(commits[0].message);
  for (const c of commits.slice(1)) {
    repo.write(c.files);
    c.hash = repo.commitAll(c.message);
  }
  return { repo, commits };
}
