/**
 * Link protocols (FABRIC-LANGUAGE.md §5; DOMAIN.md "Link rates"). Per lane, per direction.
 * Each figure names its source; `estimate` marks the ones no public source pins down, and every
 * result resting on one lists it in `assumptions`.
 */

export interface Figure {
  value: number;
  source: string;
  estimate: boolean;
}

export interface Protocol {
  name: string;
  /** Raw bytes per second per lane per direction. */
  laneRate: Figure;
  efficiency: Figure;
  widths: readonly number[];
  phyLatency: Figure;
  /** Passive reach in metres. */
  reach: Figure;
}

const measured = (value: number, source: string): Figure => ({ value, source, estimate: false });
const estimate = (value: number, source: string): Figure => ({ value, source, estimate: true });

const phyLatency = estimate(10e-9, 'PHY latency per link: estimate, no public per-PHY figure');
const passiveReach = estimate(2, 'passive copper reach: estimate, depends on cable and board');

export const PROTOCOLS: ReadonlyMap<string, Protocol> = new Map(
  [
    {
      name: 'pcie5',
      laneRate: measured(4e9, 'PCIe 5.0: 32 GT/s per lane (PCI-SIG)'),
      efficiency: measured(0.985, 'PCIe 5.0 128b/130b encoding'),
      widths: [1, 2, 4, 8, 16],
      phyLatency,
      reach: passiveReach,
    },
    {
      name: 'pcie6',
      laneRate: measured(8e9, 'PCIe 6.0: 64 GT/s PAM4 per lane (PCI-SIG)'),
      efficiency: measured(0.922, 'PCIe 6.0 FLIT mode: 236 of 256 bytes carry TLPs'),
      widths: [1, 2, 4, 8, 16],
      phyLatency,
      reach: passiveReach,
    },
    {
      name: 'cxl',
      laneRate: measured(8e9, 'CXL 3.x on the PCIe 6.0 PHY'),
      efficiency: measured(0.922, 'CXL 3.x FLIT mode on the PCIe 6.0 PHY'),
      widths: [4, 8, 16],
      phyLatency,
      reach: passiveReach,
    },
    {
      name: 'ualink',
      laneRate: measured(25e9, 'UALink 200G 1.0: 200 Gb/s per lane (UALink Consortium)'),
      efficiency: measured(0.93, 'UALink 200G 1.0: ~93 GB/s effective per x4 port'),
      widths: [1, 2, 4],
      phyLatency,
      reach: passiveReach,
    },
    {
      name: 'nvlink',
      laneRate: measured(25e9, 'NVLink 5: 50 GB/s per link per direction, one link = x2'),
      efficiency: estimate(0.8, 'NVLink 5 efficiency 0.80: estimate, after NCCL\'s ~40 GB/s per link'),
      widths: [2],
      phyLatency,
      reach: passiveReach,
    },
  ].map((protocol) => [protocol.name, protocol]),
);

/** Wire propagation: about 5 ns per metre (DOMAIN.md "Latencies"). */
export const WIRE_DELAY_PER_METRE = measured(5e-9, 'wire propagation ~5 ns per metre');
/** Sources disagree (4–60 ns); 10 ns is the default. */
export const RETIMER_LATENCY = estimate(10e-9, 'retimer latency 10 ns: estimate, sources give 4–60 ns');
export const DEFAULT_LINK_LENGTH = 0.5;

export function widthText(width: number): string {
  return `x${width}`;
}
