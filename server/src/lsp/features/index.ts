/** Every language feature the server offers; server.ts merges their capabilities and registers them. */
import { customRequestsFeature } from './custom-requests.js';
import type { Feature } from './feature.js';
import { hoverFeature } from './hover.js';

export const FEATURES: Feature[] = [hoverFeature, customRequestsFeature];
