/** The custom requests of shared/protocol.ts: `fabric/simulate` and `fabric/topology`. */
import { SimulateRequest, TopologyRequest } from '../../../../shared/protocol.js';
import { buildTopology } from '../topology.js';
import type { Feature } from './feature.js';

export const customRequestsFeature: Feature = {
  capabilities: {},
  register(connection, workspace) {
    connection.onRequest(SimulateRequest, async ({ uri }) => {
      const state = workspace.documents.get(uri);
      return state ? ((await workspace.report(state)) ?? null) : null;
    });
    connection.onRequest(TopologyRequest, ({ uri }) => {
      const state = workspace.documents.get(uri);
      if (!state) return null;
      return buildTopology(uri, state.document.version, workspace.current(state), state.report, state.reportVersion);
    });
  },
};
