/** A flat leaf–spine UALink fabric, one line per device and per link. */
export function generateFabric(accelerators: number): string;
/** A connected two-tier fabric with one all-reduce over every accelerator. */
export function generateTwoTier(accelerators: number, algorithm?: string): string;
