/// <reference types="vitest/config" />
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// The Tauri shell loads ui/dist from disk in a release build and the dev
// server on port 1420 during `tauri dev`, so both are fixed here.
export default defineConfig({
  plugins: [vue()],
  base: './',
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
    watch: { ignored: ['**/src-tauri/**', '**/target/**'] },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The bundle is read from local disk by the webview, never over a
    // network, so one large chunk costs nothing worth splitting for.
    chunkSizeWarningLimit: 2000,
  },
  define: {
    // vue-i18n feature flags: composition API only, no devtools in the
    // bundle. Declaring them also silences the esm-bundler warning.
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.spec.ts'],
  },
})
