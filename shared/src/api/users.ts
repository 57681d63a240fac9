import { z } from 'zod';

import { endpoint } from './contract';

/** Console users (admins only): who may sign in, with which role and CRM owner id. */

export const consoleRoles = ['admin', 'csm', 'account_executive', 'read_only'] as const;
export type ConsoleRole = (typeof consoleRoles)[number];

export const roleLabels: Record<ConsoleRole, string> = {
  admin: 'Admin',
  csm: 'CSM',
  account_executive: 'Account executive',
  read_only: 'Read-only',
};

const roleField = z.enum(consoleRoles, { error: `role must be one of: ${consoleRoles.join(', ')}` });
const password = z.string().min(8, 'Passwords are at least 8 characters').max(200, 'At most 200 characters');
const ownerId = z.string().trim().min(1, 'owner id must not be blank').nullable();

export const ConsoleUser = z.object({
  id: z.string(),
  email: z.string(),
  role: z.enum(consoleRoles),
  ownerId: z.string().nullable(),
  createdAt: z.string(),
  disabled: z.boolean(),
});
export type ConsoleUser = z.infer<typeof ConsoleUser>;

export const CreateUserBody = z
  .object({
    email: z.email('Enter a valid email address'),
    password,
    role: roleField,
    /** The CRM owner id whose accounts a CSM or account executive sees. */
    ownerId: ownerId.default(null),
  })
  .strict()
  .superRefine((user, context) => {
    if ((user.role === 'csm' || user.role === 'account_executive') && !user.ownerId) {
      context.addIssue({
        code: 'custom',
        path: ['ownerId'],
        message: 'CSMs and account executives need the CRM owner id of their accounts',
      });
    }
  });
export type CreateUserBody = z.infer<typeof CreateUserBody>;

export const UpdateUserBody = z
  .object({
    role: roleField.optional(),
    ownerId: ownerId.optional(),
    password: password.optional(),
    disabled: z.boolean().optional(),
  })
  .strict();
export type UpdateUserBody = z.infer<typeof UpdateUserBody>;

export const listUsers = endpoint({
  method: 'get',
  path: '/api/v1/users',
  response: z.object({ users: z.array(ConsoleUser) }),
});
export const createUser = endpoint({
  method: 'post',
  path: '/api/v1/users',
  body: CreateUserBody,
  response: ConsoleUser,
});
export const updateUser = endpoint({
  method: 'put',
  path: '/api/v1/users/:id',
  params: z.object({ id: z.string().min(1) }),
  body: UpdateUserBody,
  response: ConsoleUser,
});
