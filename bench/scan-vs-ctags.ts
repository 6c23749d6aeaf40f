/**
 * Function gathering against universal-ctags: how many of the functions and methods ctags lists
 * our scan finds too, and the wall time of each, on the same files.
 *
 *   npm run bench:scan -- [--runs 7] [--warmup 1] [--corpus python|ts|all] [--ts-package NAME|DIR] [--keep]
 *
 * Corpora: the standard library of the machine's python3, and the TypeScript sources of the
 * installed package that ships the most of them (or --ts-package), each copied into a temp git
 * repository. One scan learns which files it parses; ctags is then given exactly those files.
 * Our scan is timed cold (--no-cache, every file parsed) and warm (its scan cache filled, nothing
 * changed), always as a whole process writing its JSON to a file, as a user would run it.
 * Prints a markdown table and writes bench/results/scan.json.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { languageForPath } from '../src/core/functions/languages';
import type { FunctionRecord, LanguageId, SkippedFile } from '../src/core/functions/types';
import { gitFiles, gitRepoFromFolder, largestPackage, type Corpus } from './lib/corpus';
import { checkCtags, ctagsCommand, readCtagsJson } from './lib/ctags';
import { classifyMisses, matchFunctions, NOT_DEFINITIONS, type ClassifiedMiss } from './lib/coverage';
import { ensureBuilt, REPO_ROOT } from './lib/dist';
import { commandLine, peakRssKb, timeCommand, timeInterleaved, type BenchCommand } from './lib/proc';
import { percent, round, type Summary } from './lib/stats';
import { syntaxErrorSpans } from './lib/syntax-errors';
import { markdownTable } from './lib/table';

const COVERAGE_TARGET = 99;
const TIME_RATIO_TARGET = 3;
const MISS_SAMPLE = 20;
const RESULTS = join(REPO_ROOT, 'bench', 'results', 'scan.json');

type CorpusId = 'python' | 'ts';

interface ScanJson {
  root: string;
  functions: FunctionRecord[];
  skipped: SkippedFile[];
}

interface CorpusResult {
  id: CorpusId;
  /** Where the result sits in scan.json: the corpus id, or `ts:NAME` for a --ts-package corpus, so it does not replace the default one. */
  key: string;
  name: string;
  source: string;
  measuredAt: string;
  files: number;
  bytes: number;
  /** Files in which our grammars found syntax errors (functions after an error may be lost). */
  filesWithSyntaxErrors: number;
  languages: LanguageId[];
  commands: { ctags: string; oursCold: string; oursWarm: string };
  ctags: { functions: number; seconds: Summary; peakRssKb?: number };
  ours: { functions: number; cold: Summary; warm: Summary; peakRssKbCold?: number; peakRssKbWarm?: number; warmOutputMatchesCold: boolean };
  coverage: {
    matched: number;
    percent: number;
    /** Leaving out ctags entries that are not definitions with code (TypeScript signatures, ctags misreadings). */
    percentOfDefinitions: number;
    missesByKind: Record<string, number>;
    oursOnly: number;
  };
  ratio: { cold: number; warm: number };
  misses: ClassifiedMiss[];
  oursOnlySample: { file: string; qualifiedName: string; startLine: number; signature: string }[];
}

function usage(): string {
  return 'usage: npm run bench:scan -- [--runs N] [--warmup N] [--corpus python|ts|all] [--ts-package NAME|DIR] [--keep]';
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function fail(message: string, code = 2): never {
  process.stderr.write(`bench:scan: ${message}\n`);
  process.exit(code);
}

const TS_SOURCE = (name: string) => /\.(?:[cm]?ts|tsx)$/.test(name) && !/\.d\.[cm]?ts$/.test(name);

function pythonCorpus(): Corpus {
  let stdlib: string;
  let version: string;
  try {
    const out = execFileSync('python3', ['-c', "import sys,sysconfig;print(sysconfig.get_paths()['stdlib']);print('%d.%d.%d'%sys.version_info[:3])"], { encoding: 'utf8' });
    [stdlib, version] = out.trim().split('\n');
  } catch {
    fail('python3 was not found; the Python corpus is its standard library. Install python3 (apt-get install -y python3) or run with --corpus ts.');
  }
  log(`copying the Python ${version} standard library from ${stdlib} (without site-packages and __pycache__)`);
  return gitRepoFromFolder(`python ${version} stdlib`, stdlib, { dir: (_rel, name) => name !== 'site-packages' && name !== '__pycache__' }, 'bench-py-stdlib-');
}

function tsCorpus(pkg: string | undefined): Corpus {
  const nodeModules = join(REPO_ROOT, 'node_modules');
  let dir: string;
  let label: string;
  if (pkg && existsSync(pkg)) {
    dir = resolve(pkg);
    label = dir;
  } else if (pkg) {
    dir = join(nodeModules, pkg);
    if (!existsSync(dir)) fail(`${pkg} is neither a folder nor a package in ${nodeModules}; install it or give a folder of TypeScript sources.`);
    label = pkg;
  } else {
    const best = largestPackage(nodeModules, TS_SOURCE);
    if (!best) fail(`no package in ${nodeModules} ships TypeScript sources; run npm install, or pass --ts-package DIR.`);
    dir = best.dir;
    label = best.name;
  }
  let version = '';
  try {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
    version = manifest.version ?? '';
    if (manifest.name) label = manifest.name;
  } catch {
    // a plain folder has no package.json
  }
  const name = `${label}${version ? `@${version}` : ''} TS sources`;
  log(`copying the TypeScript sources of ${label}${version ? `@${version}` : ''} from ${dir}`);
  return gitRepoFromFolder(name, dir, { dir: (_rel, n) => n !== 'node_modules', file: (_rel, n) => TS_SOURCE(n) }, 'bench-ts-src-');
}

async function benchCorpus(id: CorpusId, key: string, corpus: Corpus, cli: string, runs: number, warmup: number): Promise<CorpusResult> {
  const work = mkdtempSync(join(tmpdir(), 'bench-scan-work-'));
  try {
    // Our scan cache goes to a private folder, so the user's cache is neither used nor filled.
    const env = { ...process.env, XDG_CACHE_HOME: join(work, 'cache') };
    const oursCold: BenchCommand = { cmd: process.execPath, args: [cli, 'scan', corpus.dir, '--json', '--no-cache'], env, stdoutFile: join(work, 'ours-cold.json') };
    const oursWarm: BenchCommand = { cmd: process.execPath, args: [cli, 'scan', corpus.dir, '--json'], env, stdoutFile: join(work, 'ours-warm.json') };

    log(`${corpus.name}: ${corpus.files} files, ${(corpus.bytes / 1e6).toFixed(1)} MB; a first scan learns which files it parses`);
    timeCommand(oursCold);
    const first = JSON.parse(readFileSync(oursCold.stdoutFile!, 'utf8')) as ScanJson;
    const skipped = new Set(first.skipped.map((s) => s.file));
    const parsed = gitFiles(corpus.dir).filter((f) => !skipped.has(f)).sort();
    const missingFromList = first.functions.filter((fn) => !parsed.includes(fn.file));
    if (missingFromList.length) throw new Error(`the scan reported functions in ${missingFromList[0].file}, which git does not list; the file list would be wrong.`);
    const languages = [...new Set(parsed.map((f) => languageForPath(f)?.id).filter((l): l is LanguageId => !!l))].sort();
    const listFile = join(work, 'files.list');
    writeFileSync(listFile, parsed.join('\n') + '\n');
    const tagsFile = join(work, 'ctags.json');
    const ctags = ctagsCommand(languages, listFile, tagsFile, corpus.dir);
    const parsedBytes = parsed.reduce((sum, f) => sum + readFileSync(join(corpus.dir, f)).length, 0);
    log(`${corpus.name}: the scan parses ${parsed.length} files (${(parsedBytes / 1e6).toFixed(1)} MB, ${languages.join(', ')}); ctags gets the same list`);

    timeCommand(oursWarm); // fills the cache the warm runs read
    log(`${corpus.name}: ${warmup} warm-up round(s), then ${runs} timed rounds of ctags, ours cold and ours warm, taking turns`);
    const timing = timeInterleaved({ ctags, oursCold, oursWarm }, runs, warmup, (round, s) =>
      log(`  round ${round + 1}/${runs}: ctags ${s.ctags.toFixed(3)} s, ours cold ${s.oursCold.toFixed(3)} s, ours warm ${s.oursWarm.toFixed(3)} s`),
    );
    log(`${corpus.name}: measuring peak RSS with /usr/bin/time`);
    const rss = { ctags: peakRssKb(ctags), cold: peakRssKb(oursCold), warm: peakRssKb(oursWarm) };

    const coldText = readFileSync(oursCold.stdoutFile!, 'utf8');
    const ours = JSON.parse(coldText) as ScanJson;
    const warmOutputMatchesCold = readFileSync(oursWarm.stdoutFile!, 'utf8') === coldText;
    if (!warmOutputMatchesCold) log(`${corpus.name}: WARNING the warm (cached) scan printed different JSON from the cold one`);
    const tags = readCtagsJson(tagsFile);
    const match = matchFunctions(ours.functions, tags);
    log(`${corpus.name}: parsing every file once more to find syntax errors, and classifying ${match.misses.length} misses`);
    const errorSpans = await syntaxErrorSpans(corpus.dir, parsed);
    const misses = classifyMisses(corpus.dir, match.misses, errorSpans);
    const missesByKind: Record<string, number> = {};
    for (const m of misses) missesByKind[m.why] = (missesByKind[m.why] ?? 0) + 1;
    const notDefinitions = misses.filter((m) => NOT_DEFINITIONS.has(m.why)).length;

    return {
      id,
      key,
      name: corpus.name,
      source: corpus.source,
      measuredAt: new Date().toISOString(),
      files: parsed.length,
      bytes: parsedBytes,
      filesWithSyntaxErrors: errorSpans.size,
      languages,
      commands: {
        ctags: `cd <corpus> && ${commandLine({ cmd: ctags.cmd, args: ctags.args.map((a) => (a === listFile ? 'files.list' : a)), stdoutFile: 'ctags.json' })}`,
        oursCold: `node dist/cli.js scan <corpus> --json --no-cache > out.json`,
        oursWarm: `node dist/cli.js scan <corpus> --json > out.json   # after one scan filled the cache`,
      },
      ctags: { functions: tags.length, seconds: strip(timing.ctags), peakRssKb: rss.ctags },
      ours: {
        functions: ours.functions.length,
        cold: strip(timing.oursCold),
        warm: strip(timing.oursWarm),
        peakRssKbCold: rss.cold,
        peakRssKbWarm: rss.warm,
        warmOutputMatchesCold,
      },
      coverage: {
        matched: match.matched.length,
        percent: percent(match.matched.length, tags.length),
        percentOfDefinitions: percent(match.matched.length, tags.length - notDefinitions),
        missesByKind,
        oursOnly: match.oursOnly.length,
      },
      ratio: { cold: round(timing.oursCold.median / timing.ctags.median, 2), warm: round(timing.oursWarm.median / timing.ctags.median, 2) },
      misses: misses.slice(0, 500),
      oursOnlySample: match.oursOnly.slice(0, 30).map((fn) => ({ file: fn.file, qualifiedName: fn.qualifiedName, startLine: fn.startLine, signature: fn.signature })),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Rounded seconds; the raw samples stay in the JSON so a reader can judge the spread. */
function strip(s: Summary & { samples: number[] }): Summary & { samples: number[] } {
  return {
    runs: s.runs,
    median: round(s.median, 3),
    min: round(s.min, 3),
    max: round(s.max, 3),
    mean: round(s.mean, 3),
    samples: s.samples.map((x) => round(x, 3)),
  };
}

const mb = (kb: number | undefined) => (kb === undefined ? undefined : round(kb / 1024, 0));

function report(results: CorpusResult[]): string {
  const table = markdownTable(
    ['corpus', 'files', 'MB', 'syntax err files', 'ctags fns', 'ours', 'coverage %', 'of defs %', 'ours only', 'ctags s', 'ours cold s', 'cold ratio', 'ours warm s', 'warm ratio', 'ours RSS MB', 'ctags RSS MB'],
    results.map((r) => [
      r.name,
      r.files,
      round(r.bytes / 1e6, 1),
      r.filesWithSyntaxErrors,
      r.ctags.functions,
      r.ours.functions,
      r.coverage.percent,
      r.coverage.percentOfDefinitions,
      r.coverage.oursOnly,
      r.ctags.seconds.median,
      r.ours.cold.median,
      r.ratio.cold,
      r.ours.warm.median,
      r.ratio.warm,
      mb(r.ours.peakRssKbCold),
      mb(r.ctags.peakRssKb),
    ]),
  );
  const lines = [table, ''];
  lines.push(
    `Times are whole-process wall seconds, median of ${results[0]?.ctags.seconds.runs ?? 0} interleaved runs (min-max below); ratio = ours / ctags; targets: coverage >= ${COVERAGE_TARGET}%, time <= ${TIME_RATIO_TARGET}x.`,
    `"of defs" leaves out ctags entries that are not definitions with code: TypeScript declarations without a body (interface members, abstract methods, overload signatures) and names TypeScript's own parser finds no declaration of. "ours only" = our functions no ctags entry matched. "syntax err files" = files where our grammar found syntax errors. RSS = peak resident set size (GNU time), ours on the cold scan.`,
    `Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, Node ${process.version}.`,
    '',
  );
  for (const r of results) {
    const s = (x: Summary) => `${x.median.toFixed(3)} s (${x.min.toFixed(3)}-${x.max.toFixed(3)})`;
    const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
    lines.push(`## ${r.name}`);
    lines.push(`- ctags ${s(r.ctags.seconds)}; ours cold ${s(r.ours.cold)}; ours warm ${s(r.ours.warm)}${r.ours.warmOutputMatchesCold ? '' : ' (warm output DIFFERS from cold)'}`);
    lines.push(
      `- coverage ${r.coverage.percent}% (${r.coverage.matched}/${r.ctags.functions}), ${r.coverage.percentOfDefinitions}% of definitions with code: ${verdict(r.coverage.percentOfDefinitions >= COVERAGE_TARGET)}; ` +
        `time cold ${r.ratio.cold}x: ${verdict(r.ratio.cold <= TIME_RATIO_TARGET)}, warm ${r.ratio.warm}x: ${verdict(r.ratio.warm <= TIME_RATIO_TARGET)}`,
    );
    lines.push(`- misses by kind: ${Object.entries(r.coverage.missesByKind).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}; ours only: ${r.coverage.oursOnly}`);
    lines.push(`- ctags: \`${r.commands.ctags}\``);
    // Real gaps first: definitions with code that we did not gather.
    const order: Record<string, number> = { function: 0, 'parse-error': 1, lambda: 2, 'ctags-artifact': 3, 'no-body': 4 };
    const sample = [...r.misses].sort((a, b) => order[a.why] - order[b.why]).slice(0, MISS_SAMPLE);
    if (sample.length) {
      lines.push('', `First ${sample.length} misses (file:line kind scope name [why] source):`, '```');
      for (const m of sample) lines.push(`${m.file}:${m.line} ${m.kind}${m.scope ? ` ${m.scope}` : ''} ${m.name} [${m.why}]  ${m.source.slice(0, 100)}`);
      lines.push('```');
    }
    lines.push('');
  }
  return lines.join('\n');
}

function saveResults(results: CorpusResult[], runs: number, ctagsVersion: string): void {
  let previous: { corpora?: Record<string, CorpusResult> } = {};
  try {
    previous = JSON.parse(readFileSync(RESULTS, 'utf8'));
  } catch {
    // first run, or an unreadable file: start over
  }
  // Keep the other corpus from an earlier run when only one is measured now.
  const corpora: Record<string, CorpusResult> = { ...(previous.corpora ?? {}) };
  for (const r of results) corpora[r.key] = r;
  mkdirSync(join(RESULTS, '..'), { recursive: true });
  writeFileSync(
    RESULTS,
    JSON.stringify(
      {
        benchmark: 'scan-vs-ctags',
        lastRun: new Date().toISOString(),
        runs,
        machine: { cpu: cpus()[0]?.model, cores: availableParallelism(), node: process.version, platform: process.platform },
        ctags: ctagsVersion,
        corpora,
      },
      null,
      2,
    ) + '\n',
  );
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        runs: { type: 'string', default: '7' },
        warmup: { type: 'string', default: '1' },
        corpus: { type: 'string', default: 'all' },
        'ts-package': { type: 'string' },
        keep: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    fail(`${(error as Error).message}\n${usage()}`);
  }
  if (values.help) {
    process.stdout.write(`${usage()}\n`);
    return;
  }
  const runs = Number(values.runs);
  const warmup = Number(values.warmup);
  if (!Number.isInteger(runs) || runs < 1) fail(`--runs must be a whole number of at least 1, not ${values.runs}.\n${usage()}`);
  if (!Number.isInteger(warmup) || warmup < 0) fail(`--warmup must be a whole number, 0 or more, not ${values.warmup}.\n${usage()}`);
  const wanted: CorpusId[] = values.corpus === 'all' ? ['python', 'ts'] : values.corpus === 'python' || values.corpus === 'ts' ? [values.corpus] : fail(`--corpus must be python, ts or all, not ${values.corpus}.\n${usage()}`);

  const ctagsCheck = checkCtags();
  if ('error' in ctagsCheck) fail(ctagsCheck.error);
  const cli = ensureBuilt();

  const results: CorpusResult[] = [];
  for (const id of wanted) {
    const corpus = id === 'python' ? pythonCorpus() : tsCorpus(values['ts-package']);
    try {
      const key = id === 'ts' && values['ts-package'] ? `ts:${corpus.name.replace(/ TS sources$/, '')}` : id;
      results.push(await benchCorpus(id, key, corpus, cli, runs, warmup));
    } finally {
      if (values.keep) log(`kept the ${corpus.name} corpus at ${corpus.dir}`);
      else corpus.cleanup();
    }
  }
  process.stdout.write(`${report(results)}\n`);
  saveResults(results, runs, ctagsCheck.version);
  log(`wrote ${RESULTS}`);
}

main().catch((error: unknown) => fail((error as Error)?.message ?? String(error), 1));
