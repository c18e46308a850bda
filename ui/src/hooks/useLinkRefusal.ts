/**
 * The client's pages opened by a single-use link (estimate, contract): an answer the page knows
 * (`messages`: a used, replaced or expired link…) ends the page with that message; any other failure is
 * shown as an error.
 */
import { useState } from 'react';
import { asApiError, type ApiError } from '../api/client';

export function useLinkRefusal(messages: Record<string, string>) {
  const [dead, setDead] = useState<string>();
  const [error, setError] = useState<ApiError>();
  const refused = (err: unknown) => {
    const e = asApiError(err);
    if (e.code in messages) setDead(e.code);
    else if (e.status === 404) setDead('not_found');
    else setError(e);
  };
  return { dead, setDead, error, setError, refused };
}
