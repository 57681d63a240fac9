import type { Express } from 'express';

import type { AppContext } from '../../context';
import { healthCheckRoutes } from './health-check';

export type RouteModule = (app: Express, context: AppContext) => void;

/** Every route module, mounted in order. One line per feature module. */
export const routeModules: RouteModule[] = [healthCheckRoutes];
