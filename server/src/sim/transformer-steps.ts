/** `train` and `serve` on the fabric: the step model of §13.3 or §13.4, with its exchanges timed once each. */
import type { DiagnosticSink } from '../model/diagnostics.js';
import type { FabricModel } from '../model/types.js';
import type { ExchangeTimer } from './exchanges.js';
import { simulateServe } from './serve-step.js';
import { ExchangeLog, type TransformerOutcome, type TransformerStatement } from './stage-model.js';
import { simulateTrain } from './train-step.js';

export type { TransformerStatement } from './stage-model.js';

export function simulateTransformerStatement(statement: TransformerStatement, timer: ExchangeTimer, fabric: FabricModel, sink: DiagnosticSink): TransformerOutcome {
  const log = new ExchangeLog(timer);
  const outcome = statement.type === 'train' ? simulateTrain(statement, log, fabric, sink) : simulateServe(statement, log, fabric, sink);
  if (log.problem) {
    sink.report({ file: fabric.file, span: statement.span, code: 'unreachable', message: `\`${statement.type} ${statement.transformer.name}\` cannot be simulated: ${log.problem}` });
    return { assumptions: outcome.assumptions };
  }
  return outcome;
}

