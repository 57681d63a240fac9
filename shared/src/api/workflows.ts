import { z } from 'zod';

import { WorkflowConditionSchema, WorkflowInput, WorkflowTrigger } from '../workflows/definition';
import { endpoint } from './contract';

/** Workflows (admins manage, everyone reads), templates and dry runs. */

const ActionView = z.object({ type: z.string(), hasSecret: z.boolean().optional() }).loose();

export const WorkflowView = z.object({
  id: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  trigger: WorkflowTrigger,
  conditions: WorkflowConditionSchema.nullable(),
  actions: z.array(ActionView),
  templateKey: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type WorkflowView = z.infer<typeof WorkflowView>;

const IdParams = z.object({ id: z.string().min(1) });

export const listWorkflows = endpoint({
  method: 'get',
  path: '/api/v1/workflows',
  response: z.object({ workflows: z.array(WorkflowView) }),
});
export const getWorkflow = endpoint({
  method: 'get',
  path: '/api/v1/workflows/:id',
  params: IdParams,
  response: WorkflowView,
});
export const createWorkflow = endpoint({
  method: 'post',
  path: '/api/v1/workflows',
  body: WorkflowInput,
  response: WorkflowView,
});
export const updateWorkflow = endpoint({
  method: 'put',
  path: '/api/v1/workflows/:id',
  params: IdParams,
  body: WorkflowInput,
  response: WorkflowView,
});
export const deleteWorkflow = endpoint({
  method: 'delete',
  path: '/api/v1/workflows/:id',
  params: IdParams,
  response: z.object({ deleted: z.literal(true) }),
});
export const enableWorkflow = endpoint({
  method: 'post',
  path: '/api/v1/workflows/:id/enable',
  params: IdParams,
  response: WorkflowView,
});
export const disableWorkflow = endpoint({
  method: 'post',
  path: '/api/v1/workflows/:id/disable',
  params: IdParams,
  response: WorkflowView,
});

export const DryRunResponse = z.object({
  workflowId: z.string(),
  accountsEvaluated: z.number().int(),
  accountsTriggered: z.number().int(),
  runs: z.array(
    z.object({
      accountId: z.string(),
      accountName: z.string(),
      trigger: z.object({ key: z.string(), description: z.string(), milestone: z.number().nullable() }),
      actions: z.array(
        z.object({
          actionIndex: z.number().int(),
          type: z.string(),
          customerFacing: z.boolean(),
          skipped: z.enum(['cs_opt_out', 'no_manager']).nullable(),
          description: z.string(),
        }),
      ),
    }),
  ),
});
export const dryRunWorkflow = endpoint({
  method: 'post',
  path: '/api/v1/workflows/:id/dry-run',
  params: IdParams,
  response: DryRunResponse,
});

export const TemplateView = z.object({
  key: z.string(),
  name: z.string(),
  description: z.string(),
  example: z.unknown(),
});
export const listWorkflowTemplates = endpoint({
  method: 'get',
  path: '/api/v1/workflow-templates',
  response: z.object({ templates: z.array(TemplateView) }),
});

const optionalUrl = z
  .url({ error: 'Give a full http(s) URL' })
  .refine((value) => /^https?:\/\//.test(value), 'Give a full http(s) URL')
  .optional();
export const InstantiateTemplateBody = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    messagingWebhookUrl: optionalUrl,
    slackWebhookUrl: optionalUrl,
    managers: z.record(z.string(), z.string().min(1)).optional(),
    defaultManagerId: z.string().min(1).nullable().optional(),
  })
  .strict();
export const instantiateWorkflowTemplate = endpoint({
  method: 'post',
  path: '/api/v1/workflow-templates/:key/instantiate',
  params: z.object({ key: z.string().min(1) }),
  body: InstantiateTemplateBody,
  response: WorkflowView,
});
