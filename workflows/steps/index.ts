import type { Step, StepType } from '../model';
import { activity } from './activity';
import { choice } from './choice';
import { end } from './end';
import { parallel } from './parallel';
import { send } from './send';
import { setStage } from './set-stage';
import { subProcess } from './sub-process';
import type { StepHandler } from './types';
import { userTask } from './user-task';
import { wait } from './wait';

/** One handler per step type; the validator guarantees no other type reaches the interpreter. */
export const handlers: { [T in StepType]: StepHandler<Extract<Step, { type: T }>> } = {
  activity,
  userTask,
  wait,
  choice,
  parallel,
  subProcess,
  setStage,
  send,
  end,
};

export type { StepHandler, StepRun, Transition } from './types';
