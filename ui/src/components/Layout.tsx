import { useEffect, useRef } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { useSession } from '../session/SessionProvider';
import { PageErrorBoundary } from './PageErrorBoundary';
import { holdsFeature as userHolds } from '../session/features';

export function Layout() {
  const { user, signOut } = useSession();
  const holdsFeature = (feature: Parameters<typeof userHolds>[1]) => userHolds(user, feature);
  const { pathname } = useLocation();
  const main = useRef<HTMLElement>(null);
  const firstPage = useRef(true);

  // After following a link, keyboard and screen-reader users start at the new page's content, not at
  // the link they left (the browser does this for full page loads; a client-side route must do it).
  useEffect(() => {
    if (firstPage.current) firstPage.current = false;
    else main.current?.focus();
  }, [pathname]);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Cauce</span>
        <nav aria-label="Main">
          <NavLink to="/inbox">Inbox</NavLink>
          <NavLink to="/processes">Processes</NavLink>
          {holdsFeature('board') && <NavLink to="/board">Leads board</NavLink>}
          {holdsFeature('tickets') && <NavLink to="/tickets">Tickets</NavLink>}
          {holdsFeature('consultants') && <NavLink to="/consultants">Consultants</NavLink>}
          <NavLink to="/definitions">Definitions</NavLink>
          {user?.roles.includes('admin') && <NavLink to="/incidents">Incidents</NavLink>}
          {holdsFeature('billingKpi') && <NavLink to="/reports/billing-kpi">Billing KPI</NavLink>}
          {holdsFeature('digitalSalesReport') && <NavLink to="/reports/digital-sales">Digital sales</NavLink>}
          {user?.roles.includes('admin') && <NavLink to="/mail">Sent mail</NavLink>}
        </nav>
        <div className="whoami">
          <span>
            {user?.displayName ?? user?.username} <span className="muted">({user?.roles.join(', ')})</span>
          </span>
          <button type="button" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1} ref={main}>
        <PageErrorBoundary resetKey={pathname}>
          <Outlet />
        </PageErrorBoundary>
      </main>
    </>
  );
}
