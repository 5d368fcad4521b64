/** The end-to-end suite of the development extension, run inside VS Code. */
import { runMocha } from './mocha-runner';

export function run(): Promise<void> {
  return runMocha(() => Promise.all([import('./extension.test'), import('./report.test')]));
}
