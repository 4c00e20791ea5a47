import type { HandlerSlice } from '../api/slice';
import type { PlacementTestService } from './service';

type Methods = 'placementTests.create' | 'placementTests.get' | 'placementTests.list' | 'placementTests.export' | 'placementTests.schedule.get' | 'placementTests.schedule.update';

/** The services the placement test methods call. */
export interface PlacementTestHandlerNeeds {
  placementTests: PlacementTestService;
}

export function placementTestHandlers(deps: PlacementTestHandlerNeeds): HandlerSlice<Methods> {
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
