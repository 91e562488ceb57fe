/**
 * The XML editor: a plain textarea (no wrapping) over a backdrop that paints the lines with
 * schema issues, a gutter of line numbers with a mark on those lines, and the list of issues
 * below ("line:col path message"); clicking an issue selects its line. Read-only for answers.
 */
import type { Issue } from './api.ts';
import { clear, h } from './dom.ts';

export class XmlEditor {
  readonly root: HTMLElement;
  readonly textarea: HTMLTextAreaElement;
  private readonly gutter: HTMLElement;
  private readonly backdrop: HTMLElement;
  private readonly list: HTMLElement;
  private issues: Issue[] = [];

  constructor(opts: { id: string; label: string; readOnly?: boolean; onInput?: () => void }) {
    this.textarea = h('textarea', { id: opts.id, spellcheck: 'false', wrap: 'off', 'aria-label': opts.label, readOnly: Boolean(opts.readOnly) });
    this.gutter = h('div', { class: 'gutter', 'aria-hidden': 'true' });
    this.backdrop = h('div', { class: 'backdrop', 'aria-hidden': 'true' });
    this.list = h('ul', { class: 'issues', id: `${opts.id}-issues` });
    this.root = h(
      'div',
      { class: `editor${opts.readOnly ? ' readonly' : ''}` },
      h('div', { class: 'editor-body' }, this.gutter, h('div', { class: 'editor-text' }, this.backdrop, this.textarea)),
      this.list,
    );
    this.textarea.addEventListener('input', () => {
      this.renderLines();
      opts.onInput?.();
    });
    this.textarea.addEventListener('scroll', () => this.syncScroll());
  }

  get value(): string {
    return this.textarea.value;
  }

  set value(text: string) {
    this.textarea.value = text;
    this.textarea.scrollTop = 0;
    this.setIssues([]);
  }

  /** Marks the lines of these issues and lists them (an empty list clears the marks). */
  setIssues(issues: Issue[], summary?: string): void {
    this.issues = issues;
    this.renderLines();
    clear(this.list);
    if (summary) this.list.append(h('li', { class: issues.length ? 'summary bad' : 'summary ok' }, summary));
    for (const i of issues) {
      this.list.append(
        h(
          'li',
          { class: 'issue', 'data-line': i.line, onclick: () => this.selectLine(i.line) },
          h('span', { class: 'where' }, `${i.line}:${i.col}`),
          ' ',
          h('span', { class: 'path' }, i.path || '/'),
          ' ',
          i.message,
        ),
      );
    }
  }

  selectLine(line: number): void {
    const lines = this.textarea.value.split('\n');
    const start = lines.slice(0, Math.max(0, line - 1)).reduce((n, l) => n + l.length + 1, 0);
    const end = start + (lines[line - 1]?.length ?? 0);
    this.textarea.focus();
    this.textarea.setSelectionRange(start, end);
    const lineHeight = parseFloat(getComputedStyle(this.textarea).lineHeight) || 18;
    this.textarea.scrollTop = Math.max(0, (line - 3) * lineHeight);
    this.syncScroll();
  }

  private renderLines(): void {
    const count = this.textarea.value.split('\n').length;
    const bad = new Map<number, string[]>();
    for (const i of this.issues) bad.set(i.line, [...(bad.get(i.line) ?? []), i.message]);
    clear(this.gutter);
    clear(this.backdrop);
    for (let n = 1; n <= count; n++) {
      const why = bad.get(n);
      this.gutter.append(h('div', { class: why ? 'ln bad' : 'ln', title: why?.join('\n') }, String(n)));
      this.backdrop.append(h('div', { class: why ? 'bl bad' : 'bl' }, '\u200b'));
    }
    this.syncScroll();
  }

  private syncScroll(): void {
    this.gutter.scrollTop = this.textarea.scrollTop;
    this.backdrop.scrollTop = this.textarea.scrollTop;
    this.backdrop.scrollLeft = this.textarea.scrollLeft;
  }
}
