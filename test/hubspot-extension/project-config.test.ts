import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PULSE_ORIGIN } from '../../extension/hubspot/src/app/shared/config';
import { requiredScopes } from '../../server/src/crm/hubspot/constants';
import { propertiesByObjectType } from '../../server/src/crm/hubspot/mappers';

/**
 * The HubSpot project checked against the shapes HubSpot documents for platform 2025.2:
 * - project + app: https://developers.hubspot.com/docs/apps/developer-platform/build-apps/app-configuration
 * - cards: https://developers.hubspot.com/docs/apps/developer-platform/add-features/ui-extensibility/app-cards/reference
 * - settings: https://developers.hubspot.com/docs/apps/developer-platform/add-features/ui-extensibility/create-a-settings-component
 * - workflow actions: https://developers.hubspot.com/docs/apps/developer-platform/add-features/custom-workflow-actions
 * - webhooks: https://developers.hubspot.com/docs/apps/developer-platform/add-features/configure-webhooks
 * and against Pulse itself: one origin everywhere, the scopes the server's OAuth install asks for,
 * webhook properties the sync reads.
 */

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '../../extension/hubspot');
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

const HsProject = z
  .object({
    name: z.string().min(1),
    srcDir: z.string().min(1),
    platformVersion: z.enum(['2025.2', '2026.03']),
  })
  .strict();

const uid = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'uid: letters, digits, - and _ only, at most 64');
const httpsUrl = z.url().refine((url) => url.startsWith('https://'), 'must be https');
const entrypoint = (folder: string) =>
  z.string().refine((path) => path.startsWith(`/app/${folder}/`) && /\.(jsx|tsx)$/.test(path), {
    message: `must be a .jsx/.tsx file under /app/${folder}/`,
  });

const App = z
  .object({
    uid,
    type: z.literal('app'),
    config: z
      .object({
        name: z.string().min(1).max(200),
        description: z.string().max(8192).optional(),
        distribution: z.enum(['private', 'marketplace']),
        auth: z.object({
          type: z.enum(['oauth', 'static']),
          redirectUrls: z.array(httpsUrl).optional(),
          requiredScopes: z.array(z.string().min(1)).min(1),
          optionalScopes: z.array(z.string()).default([]),
          conditionallyRequiredScopes: z.array(z.string()).default([]),
        }),
        permittedUrls: z.object({
          fetch: z.array(httpsUrl).default([]),
          iframe: z.array(httpsUrl).default([]),
          img: z.array(httpsUrl).default([]),
        }),
        support: z
          .object({
            supportEmail: z.email().optional(),
            documentationUrl: httpsUrl.optional(),
            supportUrl: httpsUrl.optional(),
            supportPhone: z.string().optional(),
          })
          .optional(),
      })
      .refine((config) => config.auth.type !== 'oauth' || (config.auth.redirectUrls?.length ?? 0) > 0, {
        message: 'an OAuth app needs at least one redirect URL',
      }),
  })
  .strict();

const Card = z
  .object({
    uid,
    type: z.literal('card'),
    config: z
      .object({
        name: z.string().min(1),
        description: z.string().optional(),
        location: z.enum(['crm.record.tab', 'crm.record.sidebar', 'crm.preview', 'helpdesk.sidebar']),
        entrypoint: entrypoint('cards'),
        objectTypes: z.array(z.enum(['contacts', 'companies', 'deals', 'tickets'])).min(1),
      })
      .strict(),
  })
  .strict();

const Settings = z
  .object({
    uid,
    type: z.literal('settings'),
    config: z
      .object({
        name: z.string().min(1),
        description: z.string().optional(),
        entrypoint: entrypoint('settings'),
      })
      .strict(),
  })
  .strict();

const TypeDefinition = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/),
  type: z.enum(['string', 'number', 'bool', 'date', 'datetime', 'enumeration', 'phone_number']),
  fieldType: z.enum([
    'text',
    'textarea',
    'number',
    'select',
    'booleancheckbox',
    'date',
    'checkbox',
    'phonenumber',
  ]),
  options: z.array(z.object({ label: z.string(), value: z.string() })).optional(),
});

const WorkflowAction = z
  .object({
    uid,
    type: z.literal('workflow-action'),
    config: z
      .object({
        actionUrl: httpsUrl,
        isPublished: z.boolean(),
        supportedClients: z.array(z.object({ client: z.literal('WORKFLOWS') })).min(1),
        objectTypes: z.array(z.enum(['CONTACT', 'COMPANY', 'DEAL', 'TICKET', 'QUOTE'])).min(1),
        inputFields: z.array(
          z.object({
            typeDefinition: TypeDefinition,
            supportedValueTypes: z.array(z.enum(['STATIC_VALUE', 'OBJECT_PROPERTY', 'FIELD_DATA'])),
            isRequired: z.boolean(),
          }),
        ),
        outputFields: z.array(z.object({ typeDefinition: TypeDefinition })),
        labels: z.record(
          z.string(),
          z.object({
            actionName: z.string().min(1),
            actionDescription: z.string().optional(),
            actionCardContent: z.string().optional(),
            appDisplayName: z.string().optional(),
            inputFieldLabels: z.record(z.string(), z.string()).optional(),
            outputFieldLabels: z.record(z.string(), z.string()).optional(),
          }),
        ),
      })
      .strict(),
  })
  .strict();

const legacySubscription = z
  .object({
    subscriptionType: z
      .string()
      .regex(
        /^(contact|company|deal|ticket)\.(creation|deletion|merge|restore|propertyChange|associationChange)$/,
      ),
    propertyName: z.string().optional(),
    active: z.boolean(),
  })
  .refine(
    (entry) => entry.subscriptionType.endsWith('.propertyChange') === (entry.propertyName !== undefined),
    {
      message: 'propertyChange subscriptions name their property; other types must not',
    },
  );

const Webhooks = z
  .object({
    uid,
    type: z.literal('webhooks'),
    config: z
      .object({
        settings: z.object({ targetUrl: httpsUrl, maxConcurrentRequests: z.number().int().min(5) }).strict(),
        subscriptions: z
          .object({
            crmObjects: z
              .array(z.object({ subscriptionType: z.string(), objectType: z.string(), active: z.boolean() }))
              .optional(),
            legacyCrmObjects: z.array(legacySubscription).optional(),
            hubEvents: z.array(z.object({ subscriptionType: z.string(), active: z.boolean() })).optional(),
          })
          .strict(),
      })
      .strict(),
  })
  .strict();

/** Which component type each feature folder holds (app configuration reference, "Project structure"). */
const schemaByFolder: Record<string, z.ZodType> = {
  app: App,
  cards: Card,
  settings: Settings,
  'workflow-actions': WorkflowAction,
  webhooks: Webhooks,
};

function filesUnder(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (name === 'node_modules') return [];
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const project = HsProject.parse(readJson(join(projectRoot, 'hsproject.json')));
const srcDir = join(projectRoot, project.srcDir);
const metaFiles = filesUnder(srcDir).filter((path) => path.endsWith('-hsmeta.json'));
const components = metaFiles.map((path) => {
  const where = relative(join(srcDir, 'app'), path).split(sep);
  return { path, folder: where.length === 1 ? 'app' : where[0]!, depth: where.length, json: readJson(path) };
});
const ofType = <T extends z.ZodType>(folder: string, schema: T) =>
  components
    .filter((component) => component.folder === folder)
    .map((component) => schema.parse(component.json) as z.infer<T>);

describe('HubSpot project configuration', () => {
  it('is a 2025.2 project whose srcDir holds the app', () => {
    expect(project.platformVersion).toBe('2025.2');
    expect(existsSync(join(srcDir, 'app', 'app-hsmeta.json'))).toBe(true);
  });

  it('has every *-hsmeta.json at the root of a known feature folder, valid for its type', () => {
    expect(metaFiles.length).toBeGreaterThanOrEqual(7);
    for (const component of components) {
      const schema = schemaByFolder[component.folder];
      expect(schema, `${component.path}: no feature folder "${component.folder}"`).toBeDefined();
      expect(component.depth, `${component.path} must sit at the root of its folder`).toBeLessThanOrEqual(2);
      const result = schema!.safeParse(component.json);
      expect(result.success ? [] : result.error.issues, component.path).toEqual([]);
    }
    expect(components.filter((component) => component.folder === 'app')).toHaveLength(1);
  });

  it('gives every component a unique uid', () => {
    const uids = components.map((component) => (component.json as { uid: string }).uid);
    expect(new Set(uids).size).toBe(uids.length);
  });

  it('points every card and settings entrypoint at a file that exists and extends its own location', () => {
    const cards = ofType('cards', Card);
    expect(cards.map((card) => [card.config.location, card.config.objectTypes])).toEqual(
      expect.arrayContaining([
        ['crm.record.tab', ['companies']],
        ['crm.record.sidebar', ['deals', 'tickets']],
      ]),
    );
    const entries = [
      ...cards.map((card) => ({ entrypoint: card.config.entrypoint, location: card.config.location })),
      ...ofType('settings', Settings).map((page) => ({
        entrypoint: page.config.entrypoint,
        location: 'settings',
      })),
    ];
    for (const entry of entries) {
      const file = join(srcDir, entry.entrypoint);
      expect(existsSync(file), `${entry.entrypoint} does not exist`).toBe(true);
      expect(readFileSync(file, 'utf8')).toContain(`hubspot.extend<'${entry.location}'>`);
    }
    for (const folder of ['cards', 'settings']) {
      const manifest = readJson(join(srcDir, 'app', folder, 'package.json')) as {
        dependencies: Record<string, string>;
      };
      expect(Object.keys(manifest.dependencies).sort()).toEqual(['@hubspot/ui-extensions', 'react']);
      expect(manifest.dependencies.react).toBe('18.3.1');
    }
  });

  it('uses one Pulse origin for fetch, OAuth redirect, workflow actions and webhooks', () => {
    const [app] = ofType('app', App);
    expect(app!.config.permittedUrls.fetch).toEqual([PULSE_ORIGIN]);
    const urls = [
      ...(app!.config.auth.redirectUrls ?? []),
      ...ofType('workflow-actions', WorkflowAction).map((action) => action.config.actionUrl),
      ...ofType('webhooks', Webhooks).map((hooks) => hooks.config.settings.targetUrl),
    ];
    expect(urls.length).toBeGreaterThanOrEqual(4);
    for (const url of urls) expect(new URL(url).origin, url).toBe(PULSE_ORIGIN);
  });

  it('declares exactly the scopes the server asks for when a portal installs Pulse', () => {
    const [app] = ofType('app', App);
    // HubSpot refuses an install whose authorize URL and app scopes disagree.
    expect([...app!.config.auth.requiredScopes].sort()).toEqual([...requiredScopes].sort());
    expect(app!.config.auth.optionalScopes).toEqual([]);
  });

  it('routes workflow actions and webhooks to the endpoints the server mounts', () => {
    const actions = ofType('workflow-actions', WorkflowAction);
    expect(actions.map((action) => new URL(action.config.actionUrl).pathname).sort()).toEqual([
      '/hubspot/workflow-actions/recalculate',
      '/hubspot/workflow-actions/top-recommendation',
    ]);
    for (const action of actions) expect(action.config.objectTypes).toEqual(['COMPANY']);
    const [hooks] = ofType('webhooks', Webhooks);
    expect(new URL(hooks!.config.settings.targetUrl).pathname).toBe('/webhooks/hubspot');
  });

  it('subscribes to creation, deletion and merge of companies, deals and tickets, and to the properties the sync reads', () => {
    const [hooks] = ofType('webhooks', Webhooks);
    const subscriptions = hooks!.config.subscriptions.legacyCrmObjects ?? [];
    const types = new Set(subscriptions.map((entry) => entry.subscriptionType));
    for (const object of ['company', 'deal', 'ticket']) {
      for (const event of ['creation', 'deletion', 'merge', 'propertyChange']) {
        expect(types.has(`${object}.${event}`), `${object}.${event}`).toBe(true);
      }
    }
    const synced: Record<string, string[]> = {
      company: propertiesByObjectType.companies,
      deal: propertiesByObjectType.deals,
      ticket: propertiesByObjectType.tickets,
    };
    for (const entry of subscriptions.filter((item) => item.propertyName)) {
      const object = entry.subscriptionType.split('.')[0]!;
      expect(synced[object], `${entry.subscriptionType} ${entry.propertyName}`).toContain(entry.propertyName);
      // Pulse's own write-back properties would echo every score back as a webhook.
      expect(entry.propertyName).not.toMatch(
        /^pulse_(health|churn|factor|data|cltv|upsell|top|open|next|scored)/,
      );
    }
  });
});
