/** Checks the packaged .vsix, installed into VS Code: it activates and publishes diagnostics. */
import { runMocha } from '../suite/mocha-runner';

export function run(): Promise<void> {
  return runMocha(() => import('./installed.test'));
}
