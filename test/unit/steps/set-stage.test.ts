/** The setStage step (workflows/steps/set-stage.ts) on a fake StepServices. */
import type { SetStageStep } from '../../../workflows/model';
import { setStage } from '../../../workflows/steps/set-stage';
import { FakeServices, runStep } from './fake-services';

const at = { pos: { stepId: 'won' } };

it('records the stage with the actor the step names, and its row keyed by the visit', async () => {
  const services = new FakeServices({ contact: { completedBy: 'ana' } });
  const step: SetStageStep = { type: 'setStage', stage: 'customer', actor: '=contact.completedBy', next: 'welcome' };

  const { transition } = await runStep(setStage, step, services, { pos: { stepId: 'won', visit: 3 } });

  expect(transition).toEqual({ next: 'welcome' });
  expect(services.stages).toEqual([{ stage: 'customer', actor: 'ana' }]);
  expect(services.callsOf('engine.setStage')).toEqual([
    { key: 'inst-1:won:3', instanceId: 'inst-1', stage: 'customer', actor: 'ana', at: new Date(services.clock).toISOString() },
  ]);
});

it.each([
  ['no actor', undefined],
  ['an actor that resolves to nothing', '=contact.completedBy'],
  ['an actor that resolves to an empty string', '=""'],
])('records the system as the actor with %s', async (_, actor) => {
  const services = new FakeServices({});
  await runStep(setStage, { type: 'setStage', stage: 'lead', actor }, services, at);

  expect(services.stages).toEqual([{ stage: 'lead', actor: 'system' }]);
  expect(services.callsOf('engine.setStage')).toEqual([expect.objectContaining({ actor: 'system' })]);
});
