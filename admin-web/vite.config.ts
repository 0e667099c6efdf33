import { defineConfig } from 'vite';

// Served by the gateway under /admin/ (index.html) and /admin/assets/** (everything else, content-hashed).
export default defineConfig({
  base: '/admin/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    // One small bundle: no inline scripts (the gateway's CSP allows only 'self').
    modulePreload: { polyfill: false },
  },
  server: {
    // `npm run dev` against a gateway on :8000
    proxy: { '/admin/session': 'http://localhost:8000', '/admin/': { target: 'http://localhost:8000', bypass: (req) => (req.url?.startsWith('/admin/src') || req.url === '/admin/' ? req.url : undefined) } },
  },
});
