/** A tiny element builder. Text always goes in as text nodes; the only HTML ever inserted is
 * KaTeX output built from escaped text (see math.ts), passed explicitly as `html`. */

type Child = Node | string | null | undefined | false;

export interface ElementProps {
  class?: string;
  title?: string;
  html?: string;
  attrs?: Record<string, string>;
  /** CSS properties, set through the CSSOM (custom properties included). */
  style?: Record<string, string>;
}

export function h(tag: string, props: ElementProps = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  if (props.title) el.title = props.title;
  for (const [name, value] of Object.entries(props.attrs ?? {})) el.setAttribute(name, value);
  for (const [name, value] of Object.entries(props.style ?? {})) el.style.setProperty(name, value);
  if (props.html !== undefined) el.innerHTML = props.html;
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child);
  }
  return el;
}

export function byId<T extends HTMLElement | SVGElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page lacks #${id}`);
  return el as unknown as T;
}
