/** Where a browser lands after the web-to-lead form embedded in the company website posts (seed 001). */
import { usePageTitle } from '../hooks/usePageTitle';

export function LeadReceivedPage() {
  usePageTitle('Thank you');
  return (
    <main className="link-page">
      <article>
        <h1>Thank you</h1>
        <p className="notice" role="status">
          We received your request. A salesperson will contact you soon.
        </p>
      </article>
    </main>
  );
}
