/** The `fabric.*` settings as the client sends them (initialization options or configuration), checked. */
import { clampLimits } from '../model/limits.js';
import { DEFAULT_SETTINGS, type ServerSettings } from './workspace.js';

/** `fabric.simulation.timeBudgetMs`'s declared minimum (package.json): less could never finish a simulation. */
const MINIMUM_SIMULATION_BUDGET_MS = 100;

/** Reads `fabric.*` settings, whatever subset the client sends. */
export function readSettings(raw: unknown): ServerSettings {
  const fabric = ((raw as { fabric?: unknown } | undefined)?.fabric ?? raw ?? {}) as Record<string, unknown>;
  /** A finite number, raised to the setting's declared minimum; anything else gets the default. */
  const number = (value: unknown, fallback: number, minimum = 0) => (typeof value === 'number' && Number.isFinite(value) ? Math.max(value, minimum) : fallback);
  const diagnostics = (fabric.diagnostics ?? {}) as Record<string, unknown>;
  const simulation = (fabric.simulation ?? {}) as Record<string, unknown>;
  const limits = (fabric.limits ?? {}) as Record<string, unknown>;
  const limitKeys = ['maxDevices', 'maxLinks', 'maxLoopIterations', 'maxNestingDepth', 'maxImportDepth', 'maxFileSize'] as const;
  return {
    debounceMs: number(diagnostics.debounceMs, DEFAULT_SETTINGS.debounceMs),
    simulateOnChange: typeof simulation.onChange === 'boolean' ? simulation.onChange : DEFAULT_SETTINGS.simulateOnChange,
    simulationBudgetMs: number(simulation.timeBudgetMs, DEFAULT_SETTINGS.simulationBudgetMs, MINIMUM_SIMULATION_BUDGET_MS),
    maxDiagnosticsPerFile: Math.floor(number(diagnostics.maxPerFile, DEFAULT_SETTINGS.maxDiagnosticsPerFile)),
    limits: clampLimits(Object.fromEntries(limitKeys.filter((key) => typeof limits[key] === 'number' && Number.isFinite(limits[key])).map((key) => [key, Math.max(0, Math.floor(limits[key] as number))]))).limits,
  };
}
