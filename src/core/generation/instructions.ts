import { readFileSync } from 'node:fs';
import type { FunctionRecord } from '../functions/types';
import { seededRandom } from '../functions/sample';
import { BUILTIN_INSTRUCTIONS, type InstructionTemplate } from './instruction-bank';

/** A user's bank that cannot be used; the message names the file and what to fix. */
export class BankError extends Error {}

/**
 * Reads a user's instruction bank: a JSON array, or JSON Lines, of
 * `{"id": "...", "area": "...", "text": "..."}` whose text contains `{{function}}` or
 * `{{qualifiedName}}`, and `{{file}}`.
 */
export function loadInstructionBank(path: string): InstructionTemplate[] {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (error) {
    throw new BankError(`Cannot read the instruction bank ${path} (${(error as NodeJS.ErrnoException).code ?? error}).`);
  }
  let items: unknown[];
  const trimmed = raw.trim();
  try {
    items = trimmed.startsWith('[') ? JSON.parse(trimmed) : trimmed.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  } catch (error) {
    throw new BankError(`The instruction bank ${path} is not a JSON array or JSON Lines file: ${(error as Error).message}.`);
  }
  return items.map((item, i) => {
    const t = item as Partial<InstructionTemplate>;
    const where = `${path}, entry ${i + 1}`;
    if (!t || typeof t.text !== 'string' || !t.text.trim()) throw new BankError(`${where} has no "text".`);
    if (!/\{\{(function|qualifiedName)\}\}/.test(t.text)) throw new BankError(`${where}: the text must name the function with {{function}} or {{qualifiedName}}.`);
    if (!t.text.includes('{{file}}')) throw new BankError(`${where}: the text must name the file with {{file}}.`);
    return { id: typeof t.id === 'string' && t.id ? t.id : `user-${i + 1}`, area: typeof t.area === 'string' ? t.area : 'custom', nonBug: Boolean(t.nonBug), text: t.text };
  });
}

export interface Neighbours {
  callers: FunctionRecord[];
  callees: FunctionRecord[];
}

function neighbourSentence({ callers, callees }: Neighbours): string {
  const names = (list: FunctionRecord[]) => list.slice(0, 3).map((f) => `\`${f.qualifiedName}\``).join(', ');
  const parts: string[] = [];
  if (callers.length) parts.push(`it is called from ${names(callers)}`);
  if (callees.length) parts.push(`it calls ${names(callees)}`);
  return parts.length ? `For orientation: ${parts.join('; ')}.` : '';
}

export function renderInstruction(template: InstructionTemplate, fn: FunctionRecord, neighbours: Neighbours): string {
  const values: Record<string, string> = {
    function: fn.name,
    qualifiedName: fn.qualifiedName,
    file: fn.file,
    language: fn.language,
    neighbours: neighbourSentence(neighbours),
  };
  return template.text.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole).replace(/\s+$/g, '').replace(/ +/g, ' ');
}

/** The same sample id always gets the same template, whatever order samples run in. */
export function pickTemplate(bank: InstructionTemplate[], sampleKey: string): InstructionTemplate {
  if (!bank.length) throw new BankError('The instruction bank is empty.');
  return bank[Math.floor(seededRandom(sampleKey)() * bank.length)];
}

export function instructionBank(userBankPath?: string, builtin = true): InstructionTemplate[] {
  const user = userBankPath ? loadInstructionBank(userBankPath) : [];
  return builtin ? [...BUILTIN_INSTRUCTIONS, ...user] : user;
}
