import type { Me } from '@pulse/shared/api/console';
import { roleLabels } from '@pulse/shared/api/users';
import { useCallback, useEffect, useRef, useState } from 'react';

import { ApiFailure, api, setCsrfToken, whenSignedOut } from './api';
import { AccountPage } from './pages/AccountPage';
import { AccountsPage } from './pages/AccountsPage';
import { DashboardPage } from './pages/DashboardPage';
import { SettingsPage } from './pages/SettingsPage';
import { SignInPage } from './pages/SignInPage';
import { Link, navigate, useLocation } from './router';
import { canSeeAccounts, SessionContext } from './session';

export function App() {
  const [session, setSession] = useState<Me | null | 'loading'>('loading');
  const { path } = useLocation();
  const main = useRef<HTMLElement>(null);

  const signedIn = useCallback((me: Me | null) => {
    setCsrfToken(me?.csrfToken ?? null);
    setSession(me);
  }, []);

  useEffect(() => {
    whenSignedOut(() => signedIn(null));
    api<Me>('GET', '/api/v1/auth/me')
      .then(signedIn)
      .catch((error) => {
        if (error instanceof ApiFailure && error.status === 401) signedIn(null);
        else signedIn(null);
      });
  }, [signedIn]);

  // Moving between pages puts focus on the new page's content, as a full page load would.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every path change on purpose
  useEffect(() => {
    main.current?.focus();
  }, [path]);

  if (session === 'loading') return <p className="muted centered">Loading Pulse…</p>;
  if (!session) return <SignInPage onSignedIn={signedIn} />;

  const signOut = async () => {
    await api('POST', '/api/v1/auth/logout').catch(() => undefined);
    signedIn(null);
    navigate('/');
  };

  let page: JSX.Element;
  const accountMatch = /^\/accounts\/([^/]+)$/.exec(path);
  if (accountMatch) page = <AccountPage accountId={decodeURIComponent(accountMatch[1]!)} />;
  else if (path === '/accounts') page = <AccountsPage />;
  else if (path.startsWith('/settings')) page = <SettingsPage />;
  else page = <DashboardPage />;

  const navItems = [
    { href: '/', label: 'Dashboard', current: path === '/' },
    ...(canSeeAccounts(session)
      ? [{ href: '/accounts', label: 'Accounts', current: path.startsWith('/accounts') }]
      : []),
    { href: '/settings', label: 'Settings', current: path.startsWith('/settings') },
  ];

  return (
    <SessionContext.Provider value={session}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link href="/" className="brand">
          Pulse
        </Link>
        <nav aria-label="Main">
          <ul>
            {navItems.map((item) => (
              <li key={item.href}>
                <Link href={item.href} aria-current={item.current ? 'page' : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span>
            {session.email} · {roleLabels[session.role]}
          </span>
          <button type="button" className="link-button" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {page}
      </main>
    </SessionContext.Provider>
  );
}
