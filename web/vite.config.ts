import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { helpPages } from './help_pages_plugin';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

const PORTAL_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'; " +
    "frame-ancestors 'none'; form-action 'self'; connect-src 'self' http://localhost:61161",
  'Cross-Origin-Opener-Policy': 'same-origin-allow-popups',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
};

// The help pages are generated from Markdown before Rollup starts, so they are ordinary inputs below.
const help = helpPages(here('.'));

// Multi-page build for a strict CSP: no inline scripts or styles, no data: URLs (assets are files).
export default defineConfig({
  plugins: [help.plugin],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: {
        index: here('index.html'),
        dashboard: here('dashboard.html'),
        error: here('error.html'),
        announcements: here('announcements.html'),
        downloads: here('downloads.html'),
        organization: here('organization.html'),
        'forgot-password': here('forgot-password.html'),
        'reset-password': here('reset-password.html'),
        help: here('help/index.html'),
        ...help.inputs,
      },
    },
  },
  // The message catalogue lives outside web/.
  server: { fs: { allow: ['..'] } },
  // `vite preview` sends the portal's headers, so a page that breaks the CSP fails during development too.
  preview: { host: '127.0.0.1', headers: PORTAL_HEADERS },
});
