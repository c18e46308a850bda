import { NavLink, Outlet } from 'react-router';
import { useSession } from '../session/SessionProvider';

export function Layout() {
  const { user, signOut } = useSession();
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
          <NavLink to="/definitions">Definitions</NavLink>
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
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
