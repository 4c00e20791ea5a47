import type { HandlerSlice } from '../api/handlers';
import type { Deps } from '../deps';

type Methods = 'placementTests.create' | 'placementTests.get' | 'placementTests.list' | 'placementTests.export' | 'placementTests.schedule.get' | 'placementTests.schedule.update';

export function placementTestHandlers(deps: Deps): HandlerSlice<Methods> {
  const s = deps.placementTests;
  return {
    'placementTests.create': (input, ctx) => s.create(ctx.workspaceId, input),
    'placementTests.get': (input, ctx) => s.get(ctx.workspaceId, input.id),
    'placementTests.list': (input, ctx) => s.list(ctx.workspaceId, input),
    'placementTests.export': (input, ctx) => s.exportCsv(ctx.workspaceId, input.id),
    'placementTests.schedule.get': async (_input, ctx) => s.getSchedule(ctx.workspaceId),
    'placementTests.schedule.update': (input, ctx) => s.updateSchedule(ctx.workspaceId, input),
  };
}
