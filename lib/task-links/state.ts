/** Whether a link can still be used: the one rule the public API applies (and the operators' list shows). */
export type LinkRefusal = 'link_revoked' | 'link_used' | 'link_expired';

export interface LinkFacts {
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
}

/** Revoked beats used beats expired: the answer names what an operator or the person did last. */
export function linkRefusal(link: LinkFacts, now: number): LinkRefusal | null {
  if (link.revoked_at) return 'link_revoked';
  if (link.used_at) return 'link_used';
  if (link.expires_at.getTime() <= now) return 'link_expired';
  return null;
}

export const REFUSAL_MESSAGES: Record<LinkRefusal, string> = {
  link_revoked: 'This link was revoked. Ask whoever sent it for a new one.',
  link_used: 'This link was already used: the task is done.',
  link_expired: 'This link has expired. Ask whoever sent it for a new one.',
};

export const linkStatus = (link: LinkFacts, now: number): 'active' | 'revoked' | 'used' | 'expired' => {
  const refusal = linkRefusal(link, now);
  return refusal ? (refusal.slice('link_'.length) as 'revoked' | 'used' | 'expired') : 'active';
};
