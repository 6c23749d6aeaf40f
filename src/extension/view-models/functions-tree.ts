import type { FunctionRecord } from '../../core/functions/types';
import { statsForDefinitions, type SampleGroups } from './codelens';

export type FunctionTreeNode =
  | { kind: 'folder'; path: string; label: string; children: FunctionTreeNode[]; functions: number; samples: number }
  | { kind: 'file'; path: string; label: string; children: FunctionTreeNode[]; functions: number; samples: number }
  | { kind: 'function'; path: string; label: string; fn: FunctionRecord; samples: number; bestRecall: number | null; checked: boolean };

/**
 * Folders, then files, then functions in source order; single-child folder chains are joined
 * ("src/core/utils") as VS Code's explorer does in compact mode.
 */
export function buildFunctionTree(functions: FunctionRecord[], groups: SampleGroups, excluded: Set<string>): FunctionTreeNode[] {
  type Folder = { folders: Map<string, Folder>; files: Map<string, FunctionRecord[]> };
  const root: Folder = { folders: new Map(), files: new Map() };
  for (const fn of functions) {
    const parts = fn.file.split('/');
    const fileName = parts.pop()!;
    let folder = root;
    for (const part of parts) {
      let next = folder.folders.get(part);
      if (!next) {
        next = { folders: new Map(), files: new Map() };
        folder.folders.set(part, next);
      }
      folder = next;
    }
    const list = folder.files.get(fileName) ?? [];
    list.push(fn);
    folder.files.set(fileName, list);
  }

  const toNodes = (folder: Folder, prefix: string): FunctionTreeNode[] => {
    const nodes: FunctionTreeNode[] = [];
    for (const [name, sub] of [...folder.folders].sort((a, b) => a[0].localeCompare(b[0]))) {
      let label = name;
      let path = prefix ? `${prefix}/${name}` : name;
      let current = sub;
      while (current.files.size === 0 && current.folders.size === 1) {
        const [childName, child] = [...current.folders][0];
        label = `${label}/${childName}`;
        path = `${path}/${childName}`;
        current = child;
      }
      const children = toNodes(current, path);
      nodes.push({ kind: 'folder', path, label, children, functions: sum(children, 'functions'), samples: sum(children, 'samples') });
    }
    for (const [name, fns] of [...folder.files].sort((a, b) => a[0].localeCompare(b[0]))) {
      const path = prefix ? `${prefix}/${name}` : name;
      const sorted = [...fns].sort((a, b) => a.startLine - b.startLine);
      // Each sample counts on one definition, even when several share a qualified name.
      const stats = statsForDefinitions(sorted[0].file, sorted, groups);
      const children: FunctionTreeNode[] = sorted.map((fn, i) => {
        const s = stats[i];
        return { kind: 'function', path: fn.id, label: fn.qualifiedName, fn, samples: s?.samples.length ?? 0, bestRecall: s?.bestRecall ?? null, checked: !excluded.has(fn.id) };
      });
      nodes.push({ kind: 'file', path, label: name, children, functions: children.length, samples: sum(children, 'samples') });
    }
    return nodes;
  };
  return toNodes(root, '');
}

function sum(nodes: FunctionTreeNode[], field: 'functions' | 'samples'): number {
  let total = 0;
  for (const n of nodes) {
    if (n.kind === 'function') total += field === 'functions' ? 1 : n.samples;
    else total += n[field];
  }
  return total;
}

/** The functions under a node, for "check all in this folder" and for generating from a selection. */
export function functionsUnder(node: FunctionTreeNode): FunctionRecord[] {
  if (node.kind === 'function') return [node.fn];
  return node.children.flatMap(functionsUnder);
}
