import type { Me } from '@pulse/shared/api/console';
import { createContext, useContext } from 'react';

/** The signed-in user, for pages that adapt to the role (read-only sees disabled forms). */
export const SessionContext = createContext<Me | null>(null);

export function useSession(): Me {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}

export function canEditSettings(session: Me): boolean {
  return session.role === 'admin';
}

export function canSeeAccounts(session: Me): boolean {
  return session.role !== 'read_only';
}

export function canActOnAccounts(session: Me): boolean {
  return session.role === 'admin' || session.role === 'csm';
}
