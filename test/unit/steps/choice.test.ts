/** The choice step (workflows/steps/choice.ts) on a fake StepServices. */
import { ExpressionError } from '../../../workflows/expressions';
import { faultOf } from '../../../workflows/incidents';
import type { ChoiceStep } from '../../../workflows/model';
import { choice } from '../../../workflows/steps/choice';
import { FakeServices, runStep } from './fake-services';

const route: ChoiceStep = {
  type: 'choice',
  choices: [
    { when: "segment = 'enterprise'", next: 'assisted' },
    { when: '=seats > 10', next: 'assisted10' },
    { when: 'seats > 0', next: 'selfService' },
  ],
  default: 'nurture',
};

const at = { pos: { stepId: 'route' } };

it('goes where the first condition that holds leads, even when later ones hold too', async () => {
  const services = new FakeServices({ segment: 'smb', seats: 25 });
  await expect(runStep(choice, route, services, at)).resolves.toMatchObject({ transition: { next: 'assisted10' } });
});

it('treats a missing variable as false, not as an error', async () => {
  const services = new FakeServices({ seats: 3 });
  await expect(runStep(choice, route, services, at)).resolves.toMatchObject({ transition: { next: 'selfService' } });
});

it('goes to the default when no condition holds', async () => {
  const services = new FakeServices({ seats: 0 });
  await expect(runStep(choice, route, services, at)).resolves.toMatchObject({ transition: { next: 'nurture' } });
});

it('with no condition holding and no default, stops at a NoChoiceMatched incident', async () => {
  const services = new FakeServices({ seats: 0 });
  const err = await runStep(choice, { ...route, default: undefined }, services, at).catch((e: unknown) => e);

  expect(faultOf(err)).toEqual({ type: 'NoChoiceMatched', message: 'choice "route": no condition held and there is no default' });
});

it('names the failing condition by its place in the definition and its own text', async () => {
  const services = new FakeServices({ seats: 1 });
  const step: ChoiceStep = { type: 'choice', choices: [{ when: 'seats > 0', next: 'a' }, { when: "$nope(seats)", next: 'b' }] };
  // The first holds: the second is never evaluated.
  await expect(runStep(choice, step, services, at)).resolves.toMatchObject({ transition: { next: 'a' } });

  const err = await runStep(choice, { ...step, choices: [...step.choices].reverse() }, services, at).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ExpressionError);
  expect(faultOf(err)).toMatchObject({ path: '/steps/route/choices/0/when', message: expect.stringContaining('"$nope(seats)"') });
});
