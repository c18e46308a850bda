/** Whether a user's roles open a feature (workflows/policy.ts's FEATURE_ROLES; admins hold every one). The UI hides what the API would refuse; the API decides anyway. */
import type { User } from '../api/types';
import { FEATURE_ROLES } from '../../../workflows/policy';

export const holdsFeature = (user: User | null | undefined, feature: keyof typeof FEATURE_ROLES): boolean =>
  !!user?.roles.some((r) => r === 'admin' || (FEATURE_ROLES[feature] as readonly string[]).includes(r));
