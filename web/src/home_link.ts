// Pages anyone may open (help, errors) lead back to the login page as built; for a person who is logged in,
// the way back is the home page (the dashboard). Asked once; until the answer, or without one, the links
// stay as built, which is right for everyone else.

export async function linkHomeIfLoggedIn(redraw: () => void, fetchFn: typeof fetch = fetch): Promise<boolean> {
  try {
    // The status, not /api/session: a visitor's page view must neither create a session nor keep one alive.
    const r = await fetchFn('/api/session/status', { credentials: 'same-origin', cache: 'no-store' });
    const s = (await r.json()) as { authenticated?: unknown };
    if (s.authenticated !== true) return false;
  } catch {
    return false; // the portal is unreachable: the links as built still work
  }
  document.querySelectorAll<HTMLAnchorElement>('a.brand, a.back-home').forEach((a) => {
    a.href = '/dashboard.html';
    if (a.classList.contains('back-home')) a.dataset['i18n'] = 'backToHome';
  });
  redraw();
  return true;
}
