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

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(generateFabric(Number(process.argv[2] ?? 16384)));
}
