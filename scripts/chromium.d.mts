import type { Browser } from 'playwright-core';
export const CHROMIUM: string;
export function ensureChromium(): void;
export function launchChromium(): Promise<Browser>;
