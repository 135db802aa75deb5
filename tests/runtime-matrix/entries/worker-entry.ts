// Entry of the Workers build (workerd): the harness POSTs its URLs, the handler runs the scenarios and answers the
// results as JSON.
import type { MatrixConfig } from '../scenarios/matrix-config';
import { runScenarios } from '../scenarios/run-scenarios';

/** The Worker: one POST runs every scenario. */
export default {
  async fetch(request: Request): Promise<Response> {
    const config = (await request.json()) as MatrixConfig;
    return Response.json({ runtime: 'workerd', results: await runScenarios(config) });
  },
};
