/**
 * What the reporters get of a case besides its checks: its info (id, title, tags, step labels)
 * and its exchanges once each, in reading order.
 */
import type { Exchange } from '../soap/index.ts';
import type { CaseInfo } from './events.ts';
import type { Scenario, Step } from './model.ts';
import type { StepKind } from './step.ts';

export function caseInfo(s: Scenario, kinds: Map<string, StepKind>): CaseInfo {
  return {
    id: s.id,
    title: s.title,
    ...(s.description ? { description: s.description } : {}),
    tags: s.tags,
    ...(s.testCase ? { testCase: s.testCase } : {}),
    file: s.at.file,
    line: s.at.line,
    stepLabels: s.steps.map((st) => stepLabel(st, kinds)),
  };
}

export function stepLabel(st: Step, kinds: Map<string, StepKind>): string {
  const base = kinds.get(st.kind)?.label?.(st.params) ?? st.kind;
  return st.title ? `${st.title} (${base})` : st.name ? `${base} → ${st.name}` : base;
}

/** Exchanges as seen once: a call from the Nodo is kept as the Nodo's outbound record. */
export function canonicalExchanges(list: readonly Exchange[]): Exchange[] {
  const kept = list.filter((e) => !(e.direction === 'inbound' && e.from === 'nodo'));
  // A PSP call is recorded when it is answered, after the station calls it caused: put it first.
  const out: Exchange[] = [];
  let pending: Exchange[] = [];
  for (const e of kept) {
    if (e.from === 'psp') {
      out.push(e, ...pending);
      pending = [];
    } else if (e.operation.startsWith('paSendRT')) out.push(...pending.splice(0), e);
    else pending.push(e);
  }
  return [...out, ...pending];
}
