import { Link } from 'react-router';
import { usePageTitle } from '../hooks/usePageTitle';

export function NotFoundPage() {
  usePageTitle('Page not found');
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. Go to your <Link to="/inbox">inbox</Link>.
      </p>
    </section>
  );
}
