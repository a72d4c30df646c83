import { existsSync } from 'node:fs';

/** Where Debian installs Chromium (`apt-get install chromium`); the browser tests drive it. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Why the headless-Chromium tests cannot run here, or `undefined` when they can: the browser
 * at {@link CHROMIUM_PATH} is missing.
 */
export function chromiumUnavailableReason(path: string = CHROMIUM_PATH): string | undefined {
  return existsSync(path)
    ? undefined
    : `${path} is not installed (install it with: apt-get install -y chromium)`;
}

/** Options of {@link chromiumLaunchOptions}. */
export interface ChromiumLaunchSettings {
  /**
   * Software WebGL 2 through SwiftShader (default true). False disables the GPU altogether,
   * which is enough for pages that only draw SVG.
   */
  readonly webgl?: boolean;
  /** The browser executable (default {@link CHROMIUM_PATH}). */
  readonly executablePath?: string;
}

/**
 * Launch options for playwright-core's `chromium.launch()` that work on these machines:
 * Debian's Chromium, headless, no sandbox, no network chatter, and software WebGL 2
 * (SwiftShader) unless `webgl: false`. playwright gives every launch a fresh temporary
 * profile (`--user-data-dir`), so runs never share state.
 */
export function chromiumLaunchOptions(settings: ChromiumLaunchSettings = {}): {
  executablePath: string;
  args: string[];
} {
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ];
  if (settings.webgl ?? true) args.push('--use-angle=swiftshader', '--enable-unsafe-swiftshader');
  else args.push('--disable-gpu');
  return { executablePath: settings.executablePath ?? CHROMIUM_PATH, args };
}
