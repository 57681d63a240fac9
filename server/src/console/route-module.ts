import type { RouteModule } from '../http/routes/index';
import { consoleAuthRouter } from './auth-routes';
import { consoleDataRouter } from './data-routes';
import { consoleSettingsRouter } from './settings-routes';
import { defaultConsoleDist, serveConsole } from './static';

/** The web console: its JSON APIs, then the built single-page app at `/`. */
export const consoleRoutes: RouteModule = (app, context) => {
  app.use(consoleAuthRouter(context));
  app.use(consoleSettingsRouter(context));
  app.use(consoleDataRouter(context));
  serveConsole(app, process.env.PULSE_CONSOLE_DIST ?? defaultConsoleDist);
};
