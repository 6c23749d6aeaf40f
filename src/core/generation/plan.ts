import { createHash } from 'node:crypto';
import type { FunctionRecord } from '../functions/types';
import { hash32, sampleStartFunctions } from '../functions/sample';
import type { PlannedSample } from '../store';
import type { Demonstration } from './demonstration-bank';
import { pickDemonstration } from './demonstrations';
import type { InstructionTemplate } from './instruction-bank';
import { pickTemplate, renderInstruction, type Neighbours } from './instructions';

export interface Shard {
  index: number;
  count: number;
}

/** Parses "i/N" (0-based i) into a shard; the message says what a valid value looks like. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index >= count) throw new Error(`--shard must be i/N with 0 <= i < N, e.g. 0/4; got "${text}".`);
  return { index, count };
}

/** A function belongs to exactly one shard, decided by its id alone, so N machines never overlap. */
export function inShard(fn: FunctionRecord, shard: Shard | null): boolean {
  return !shard || hash32(`shard:${fn.id}`) % shard.count === shard.index;
}

export function sampleId(seed: string, fn: FunctionRecord, instance: number): string {
  return createHash('sha1').update(`${seed}\0${fn.id}\0${instance}`).digest('hex').slice(0, 12);
}

export interface PlanOptions {
  samples: number;
  seed: string;
  shard: Shard | null;
  perFileCap: number;
  instancesPerFunction: number;
  minFunctionLines: number;
  bank: InstructionTemplate[];
  demonstrations: Demonstration[];
}

/** Chooses the start functions and gives each sample its instruction and demonstration, reproducibly from the seed. */
export function planSamples(functions: FunctionRecord[], options: PlanOptions): PlannedSample[] {
  const byId = new Map(functions.map((f) => [f.id, f]));
  const callers = new Map<string, FunctionRecord[]>();
  for (const fn of functions) {
    for (const callee of fn.calls) {
      const list = callers.get(callee) ?? [];
      list.push(fn);
      callers.set(callee, list);
    }
  }
  const eligible = functions.filter((f) => inShard(f, options.shard));
  const starts = sampleStartFunctions(eligible, {
    count: options.samples,
    seed: options.seed,
    perFileCap: options.perFileCap,
    instancesPerFunction: options.instancesPerFunction,
    minLines: options.minFunctionLines,
  });
  return starts.map(({ function: fn, instance }) => {
    const id = sampleId(options.seed, fn, instance);
    const neighbours: Neighbours = {
      callers: callers.get(fn.id) ?? [],
      callees: fn.calls.map((c) => byId.get(c)).filter((f): f is FunctionRecord => Boolean(f)),
    };
    const template = pickTemplate(options.bank, id);
    return {
      id,
      function: { id: fn.id, file: fn.file, name: fn.name, qualifiedName: fn.qualifiedName, language: fn.language, startLine: fn.startLine, endLine: fn.endLine },
      instance,
      instruction: { templateId: template.id, area: template.area, text: renderInstruction(template, fn, neighbours) },
      demonstrationId: pickDemonstration(options.demonstrations, id).id,
    };
  });
}

/**
 * Why a plan holds fewer samples than were asked for, in words the user can act on: how many
 * functions there were, how many the minimum size and the per-file cap left, and which option
 * gives more. Empty when the plan is full.
 */
export function explainShortfall(functions: FunctionRecord[], options: Pick<PlanOptions, 'samples' | 'shard' | 'perFileCap' | 'instancesPerFunction' | 'minFunctionLines'>, planned: number): string {
  if (planned >= options.samples) return '';
  const inShardFns = functions.filter((f) => inShard(f, options.shard));
  const bigEnough = inShardFns.filter((f) => f.endLine - f.startLine + 1 >= options.minFunctionLines);
  const perFile = new Map<string, number>();
  for (const f of bigEnough) perFile.set(f.file, (perFile.get(f.file) ?? 0) + 1);
  const capped = [...perFile.values()].reduce((sum, n) => sum + Math.min(n, options.perFileCap), 0);
  const count = (n: number, one: string) => `${n.toLocaleString('en-US')} ${n === 1 ? one : `${one}s`}`;
  const parts = [`${options.samples.toLocaleString('en-US')} asked for, but ${count(inShardFns.length, 'function')} ${options.shard ? `${inShardFns.length === 1 ? 'falls' : 'fall'} in shard ${options.shard.index}/${options.shard.count}` : inShardFns.length === 1 ? 'was found' : 'were found'}`];
  const short = inShardFns.length - bigEnough.length;
  if (short) parts.push(`${short.toLocaleString('en-US')} ${short === 1 ? 'is' : 'are'} shorter than ${options.minFunctionLines} lines`);
  if (capped < bigEnough.length) parts.push(`at most ${options.perFileCap} per file (--per-file-cap) leaves ${count(capped, 'function')} in ${count(perFile.size, 'file')}`);
  const instances = options.instancesPerFunction;
  const more = capped < bigEnough.length ? 'raise --per-file-cap or --instances-per-function for more' : 'raise --instances-per-function for more, or widen --include';
  return `${parts.join('; ')}${instances > 1 ? `, ${instances} samples each` : ''}; ${more}`;
}
