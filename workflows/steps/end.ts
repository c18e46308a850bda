import type { EndStep } from '../model';
import type { StepHandler } from './types';

export const end: StepHandler<EndStep> = async ({ step }) => ({ end: true, outcome: step.outcome ?? null });
