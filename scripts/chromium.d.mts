import type { Browser } from 'playwright-core';
export const CHROMIUM: string;
export function ensureDebianPackages(packages: [name: string, path: string][], purpose: string): void;
export function launchChromium(): Promise<Browser>;
