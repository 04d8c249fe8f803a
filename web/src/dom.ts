// Finding the elements a page's script needs. A page whose markup lost an element fails at once with the
// element's id, rather than later with "cannot read properties of null" somewhere far from the cause.

export interface ElementSource {
  getElementById(id: string): HTMLElement | null;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string, root: ElementSource = document): T {
  const found = root.getElementById(id);
  if (!found) throw new Error(`missing #${id}`);
  return found as T;
}

/** A new element with a class and, as text (never markup), its content. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className !== '') node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
