/** The subProcess step (workflows/steps/sub-process.ts) on a fake StepServices. */
import type { DefinitionVersion, SubProcessStep } from '../../../workflows/model';
import { subProcess } from '../../../workflows/steps/sub-process';
import { FakeServices, runStep } from './fake-services';

const onboarding = { id: 'onboarding', version: 3 } as unknown as DefinitionVersion;

const onboard: SubProcessStep = { type: 'subProcess', definition: 'onboarding', input: { plan: '=plan' }, output: 'onboarded', next: 'done' };

const at = { pos: { stepId: 'onboard' } };

it('runs the resolved definition version as a child keyed by the step visit, and keeps its result', async () => {
  const services = new FakeServices({ plan: 'pro' });
  services.engineAnswers['engine.resolveDefinition'] = () => onboarding;
  services.childResult = { status: 'completed', outcome: 'live', variables: { accountId: 'acc-1' } };

  const { transition } = await runStep(subProcess, { ...onboard, version: 3 }, services, at);

  expect(transition).toEqual({ next: 'done' });
  expect(services.callsOf('engine.resolveDefinition')).toEqual([{ id: 'onboarding', version: 3 }]);
  expect(services.children).toEqual([
    {
      stepKey: 'inst-1:onboard:1',
      child: { definition: onboarding, businessKey: 'acme/onboard', variables: { plan: 'pro' }, startedBy: 'process:inst-1' },
    },
  ]);
  expect(services.variables.onboarded).toEqual({ status: 'completed', outcome: 'live', variables: { accountId: 'acc-1' } });
});

it('gives the child the business key the step resolves, and no variables without input', async () => {
  const services = new FakeServices({ company: { rut: '76.123.456-7' } });
  services.engineAnswers['engine.resolveDefinition'] = () => onboarding;

  const { transition } = await runStep(subProcess, { type: 'subProcess', definition: 'onboarding', businessKey: '=company.rut' }, services, at);

  expect(transition).toEqual({ pathEnd: true });
  expect(services.children[0].child).toMatchObject({ businessKey: '76.123.456-7', variables: {} });
  expect(services.variables).toEqual({ company: { rut: '76.123.456-7' } });
});
