import { fieldErrors } from '@pulse/shared/api/contract';
import {
  createWorkflow,
  deleteWorkflow,
  disableWorkflow,
  dryRunWorkflow as dryRunEndpoint,
  enableWorkflow,
  getWorkflow,
  instantiateWorkflowTemplate,
  listWorkflows,
  listWorkflowTemplates,
  updateWorkflow,
} from '@pulse/shared/api/workflows';
import { type Workflow, WorkflowInput } from '@pulse/shared/workflows/definition';
import { workflowTemplates } from '@pulse/shared/workflows/templates';
import type { Router } from 'express';
import { mountDefinitionCrud } from '../alerts/definition-routes';
import {
  createDefinition,
  getDefinition,
  redactSecrets,
  type StoredDefinition,
  updateDefinition,
} from '../alerts/definitions-store';
import type { AppContext } from '../context';
import { principalOf, requireRole } from '../http/auth';
import { mount } from '../http/endpoint';
import { ApiError } from '../http/errors';
import { dryRunWorkflow } from './dry-run';

const everyone = requireRole();
const admins = requireRole('admin');

function workflowView(stored: StoredDefinition<'workflows'>) {
  return {
    ...redactSecrets(stored.value as Workflow),
    templateKey: stored.templateKey,
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
  };
}

export function mountWorkflowRoutes(router: Router, context: AppContext): void {
  const { db } = context;
  const notFound = (id: string) => new ApiError('NOT_FOUND', `No workflow "${id}"`);

  mountDefinitionCrud(router, context, {
    table: 'workflows',
    noun: 'workflow',
    listKey: 'workflows',
    view: workflowView,
    contracts: {
      list: listWorkflows,
      get: getWorkflow,
      create: createWorkflow,
      update: updateWorkflow,
      remove: deleteWorkflow,
    },
    readers: everyone,
    writers: admins,
  });

  for (const [contract, enabled] of [
    [enableWorkflow, true],
    [disableWorkflow, false],
  ] as const) {
    mount(
      router,
      contract,
      async ({ params, request }) => {
        const principal = principalOf(request);
        const stored = await updateDefinition(
          db,
          'workflows',
          principal.tenantId,
          params.id,
          { enabled },
          principal.actor,
          context.now(),
        );
        if (!stored) throw notFound(params.id);
        return workflowView(stored);
      },
      admins,
    );
  }

  mount(
    router,
    dryRunEndpoint,
    async ({ params, request }) => {
      const principal = principalOf(request);
      const stored = await getDefinition(db, 'workflows', principal.tenantId, params.id);
      if (!stored) throw notFound(params.id);
      const result = await dryRunWorkflow(db, principal.tenantId, stored.value, context.now());
      return {
        workflowId: params.id,
        accountsEvaluated: result.accountsEvaluated,
        accountsTriggered: new Set(result.runs.map((run) => run.accountId)).size,
        runs: result.runs.map((run) => ({
          accountId: run.accountId,
          accountName: run.accountName,
          trigger: run.trigger,
          actions: run.actions.map(({ delivery: _delivery, ...action }) => action),
        })),
      };
    },
    admins,
  );

  mount(
    router,
    listWorkflowTemplates,
    async () => ({
      templates: workflowTemplates.map((template) => ({
        key: template.key,
        name: template.name,
        description: template.description,
        example: template.build({}),
      })),
    }),
    everyone,
  );

  mount(
    router,
    instantiateWorkflowTemplate,
    async ({ params, body, request }) => {
      const principal = principalOf(request);
      const template = workflowTemplates.find((candidate) => candidate.key === params.key);
      if (!template)
        throw new ApiError(
          'NOT_FOUND',
          `No template "${params.key}"; templates: ${workflowTemplates.map((t) => t.key).join(', ')}`,
        );
      const { name, ...options } = body;
      const parsed = WorkflowInput.safeParse({ ...template.build(options), ...(name ? { name } : {}) });
      if (!parsed.success)
        throw ApiError.invalid(
          'The template options do not make a valid workflow',
          fieldErrors(parsed.error),
        );
      return workflowView(
        await createDefinition(
          db,
          'workflows',
          principal.tenantId,
          parsed.data,
          principal.actor,
          context.now(),
          template.key,
        ),
      );
    },
    admins,
  );
}
