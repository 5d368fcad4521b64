// Generates a flat leaf–spine UALink fabric, one line per device and per link, for benchmarks.
// 16 accelerators per Scorpio X leaf, 16 leaves and 8 spines per pod (all lane budgets fit,
// leaves 1:1). Usage: node scripts/generate-fabric.mjs ACCELERATORS > out.fabric
export function generateFabric(accelerators) {
  const perLeaf = 16;
  const leavesPerPod = 16;
  const spinesPerPod = 8;
  const leaves = Math.ceil(accelerators / perLeaf);
  const pods = Math.ceil(leaves / leavesPerPod);
  const lines = [`// ${accelerators} accelerators, ${leaves} leaves, ${pods * spinesPerPod} spines (generated)`, 'fabric generated {'];
  for (let a = 0; a < accelerators; a++) lines.push(`  gpu a${a} : gpu_ualink`);
  for (let l = 0; l < leaves; l++) lines.push(`  switch l${l} : scorpio_x`);
  for (let s = 0; s < pods * spinesPerPod; s++) lines.push(`  switch s${s} : scorpio_x`);
  for (let a = 0; a < accelerators; a++) lines.push(`  link a${a} <-> l${Math.floor(a / perLeaf)} : ualink x4 * 2`);
  for (let l = 0; l < leaves; l++) {
    const pod = Math.floor(l / leavesPerPod);
    for (let k = 0; k < spinesPerPod; k++) lines.push(`  link l${l} <-> s${pod * spinesPerPod + k} : ualink x4 * 4`);
  }
  lines.push('}', '');
  return lines.join('\n');
}

// Run as a script (not imported by a benchmark or a bundled test).
if (process.argv[1]?.endsWith('generate-fabric.mjs')) {
  process.stdout.write(generateFabric(Number(process.argv[2] ?? 16384)));
}

// A connected two-tier fabric for simulator benchmarks: 16 accelerators per Scorpio X leaf,
// every leaf linked to each of 8 spine chassis, and a ring all-reduce over every accelerator.
export function generateTwoTier(accelerators, algorithm = 'ring') {
  const leaves = Math.ceil(accelerators / 16);
  return `// ${accelerators} accelerators on ${leaves} leaves and 8 spines (generated)
/// A spine chassis big enough for every leaf (an estimate: a multi-chip Scorpio X chassis).
model spine_chassis : scorpio_x { lanes: ${leaves * 16} }
fabric two_tier {
  settings { oversubscription_limit: 1 }
  gpu acc[${accelerators}] : gpu_ualink
  switch leaf[${leaves}] : scorpio_x
  switch spine[8] : spine_chassis
  for i in 0..${accelerators - 1} { link acc[i] <-> leaf[i / 16] : ualink x4 * 2 }
  for l in 0..${leaves - 1} { for s in 0..7 { link leaf[l] <-> spine[s] : ualink x4 * 4 } }
  workload step { allreduce 1 GiB over acc[*]${algorithm === 'auto' ? '' : ` using ${algorithm}`} }
}
`;
}
