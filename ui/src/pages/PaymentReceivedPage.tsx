/** Where the payment gateway sends the customer back after paying an invoice (seed 001). */
import { Link } from 'react-router';
import { usePageTitle } from '../hooks/usePageTitle';

export function PaymentReceivedPage() {
  usePageTitle('Thank you for your payment');
  return (
    <main className="link-page">
      <article>
        <h1>Thank you for your payment</h1>
        <p className="notice" role="status">
          Your payment is being confirmed; the invoice shows it as paid in a moment, and a receipt reaches you by e-mail.
        </p>
        <p>
          <Link to="/portal">See your invoices</Link>
        </p>
      </article>
    </main>
  );
}
