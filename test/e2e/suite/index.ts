/** The end-to-end suite of the development extension, run inside VS Code. */
import { runMocha } from './mocha-runner';

export function run(): Promise<void> {
  return runMocha(() => import('./extension.test'));
}
