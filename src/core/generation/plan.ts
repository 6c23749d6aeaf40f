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
