import { simulate, star } from '../work/main/test/support/sim.js';
const leaf = ['fabric ls {','  gpu g[8]','  switch leaf[2] : scorpio_x','  switch spine : scorpio_x','  for i in 0..7 { link g[i] <-> leaf[i % 2] : pcie6 x16 }','  for l in 0..1 { link leaf[l] <-> spine : pcie6 x16 * 2 }','  workload w { allreduce 1 GiB over g[*] using inc }','}'].join('\n');
for (const t of [star(8,'allreduce 1 GiB over g[*] using inc'), leaf, ['fabric p {', '  gpu g[4]', '  switch sp : scorpio_p', '  for i in 0..3 { link g[i] <-> sp : pcie6 x16 }', `  workload w { allreduce 1 MiB over g[*] using inc }`, '}'].join('\n')]) {
  const r = simulate(t);
  const s = r.workloads[0].steps[0];
  console.log(s.algorithm, s.latency_s, s.transfer_s, JSON.stringify(s.alternatives), r.diagnostics.map(d=>d.code+':'+d.message));
}
