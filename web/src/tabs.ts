// Keyboard behaviour of the login method tabs (WAI-ARIA tabs pattern: arrows move and select, Home/End
// jump, wrapping at both ends), kept apart from the DOM so it can be tested.

export function nextTabIndex(key: string, current: number, count: number): number | null {
  if (count <= 0) return null;
  switch (key) {
    case 'ArrowRight':
    case 'ArrowDown':
      return (current + 1) % count;
    case 'ArrowLeft':
    case 'ArrowUp':
      return (current - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

/** Wires a role="tablist": click or arrow keys select a tab, show its panel, and report the change. */
export function setupTabs(tablist: HTMLElement, onSelect: (tab: HTMLElement) => void = () => undefined): (index: number) => void {
  const tabs = Array.from(tablist.querySelectorAll<HTMLElement>('[role="tab"]'));
  const select = (index: number, focus = true): void => {
    tabs.forEach((tab, i) => {
      const selected = i === index;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      const panel = document.getElementById(tab.getAttribute('aria-controls') ?? '');
      if (panel) panel.hidden = !selected;
    });
    const tab = tabs[index];
    if (tab) {
      if (focus) tab.focus();
      onSelect(tab);
    }
  };
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => select(i));
    tab.addEventListener('keydown', (e) => {
      const next = nextTabIndex(e.key, i, tabs.length);
      if (next !== null) {
        e.preventDefault();
        select(next);
      }
    });
  });
  return (index) => select(index, false);
}
