/**
 * Browser test helpers: launching Debian's headless Chromium with software WebGL, serving a
 * static build, and running the Backend conformance suite inside a page.
 */
export { CHROMIUM_PATH, chromiumUnavailableReason, chromiumLaunchOptions } from './chromium.js';
export type { ChromiumLaunchSettings } from './chromium.js';
export { serveDirectory } from './static-server.js';
export type { StaticServer } from './static-server.js';
export { PAGE_CONFORMANCE_GLOBAL, runConformancePage } from './conformance-page.js';
export type { PageCaseResult, PageConformanceReport } from './conformance-page.js';
