/**
 * A transformer's parameters and FLOPs (FABRIC-LANGUAGE-2.md §13.1). Norms and biases are
 * ignored; g = 3 when the MLP is gated, else 2; d = hidden / heads.
 */
import type { TransformerShape } from './types.js';

/** Attention per layer: A = 2h² + 2·h·kv·d (queries and output, keys and values). */
export function attentionParams(s: TransformerShape): number {
  const d = s.hidden / s.heads;
  return 2 * s.hidden * s.hidden + 2 * s.hidden * s.kvHeads * d;
}

const matrices = (s: TransformerShape) => (s.gated ? 3 : 2);

/** Whether layer i (0-based) is a mixture-of-experts layer: experts > 0 and (i + 1) a multiple of moe_every. */
export function isMoeLayer(s: TransformerShape, layer: number): boolean {
  return s.experts > 0 && (layer + 1) % s.moeEvery === 0;
}

/** A layer's MLP parameters split into the dense part (with the router) and the experts' MLPs. */
export function mlpParams(s: TransformerShape, layer: number): { dense: number; expert: number; active: number } {
  const g = matrices(s);
  if (!isMoeLayer(s, layer)) {
    const dense = g * s.hidden * s.ffn;
    return { dense, expert: 0, active: dense };
  }
  const one = g * s.hidden * s.expertFfn;
  const router = s.hidden * s.experts;
  return { dense: router + s.sharedExperts * one, expert: s.experts * one, active: (s.topK + s.sharedExperts) * one + router };
}

/** E_in = E_out = vocab·h (untied). */
export const embeddingParams = (s: TransformerShape): number => s.vocab * s.hidden;

/** N: every parameter; N_act: those one token uses. */
export function parameterCounts(s: TransformerShape): { total: number; active: number } {
  let total = 2 * embeddingParams(s);
  let active = total;
  const attention = attentionParams(s);
  for (let layer = 0; layer < s.layers; layer++) {
    const mlp = mlpParams(s, layer);
    total += attention + mlp.dense + mlp.expert;
    active += attention + mlp.active;
  }
  return { total, active };
}

/** Forward FLOPs of one token at attention context c: 2·(N_act − E_in) + 4·layers·h·c. */
export function forwardFlopsPerToken(s: TransformerShape, context: number): number {
  return 2 * (parameterCounts(s).active - embeddingParams(s)) + 4 * s.layers * s.hidden * context;
}

/** Model FLOPs of training one token at sequence length s: forward and a backward of twice its cost. */
export function trainingFlopsPerToken(shape: TransformerShape, sequence: number): number {
  return 3 * forwardFlopsPerToken(shape, sequence);
}
